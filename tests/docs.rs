//! The README's key table is the keymap's own (regenerate it from the failure message).

use navoy_console::app::keymap::Keymap;

#[test]
fn readme_key_table_matches_the_keymap() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let begin = "<!-- keys:begin (generated from the keymap; tests/docs.rs checks it) -->\n";
    let end = "<!-- keys:end -->";
    let start = readme.find(begin).expect("README has the keys block") + begin.len();
    let stop = readme[start..]
        .find(end)
        .expect("README closes the keys block")
        + start;
    let expected = Keymap::default().markdown_table();
    assert_eq!(
        &readme[start..stop],
        expected,
        "update README.md's key table to:\n{expected}"
    );
}
