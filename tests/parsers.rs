//! The config and theme parsers never panic on any input, and every error names the file.

use proptest::prelude::*;

/// TOML-ish text: keys and values from the real vocabulary, mixed with noise.
fn tomlish() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("refresh_secs"),
        Just("logs_refresh_secs"),
        Just("default_view"),
        Just("theme"),
        Just("log_buffer"),
        Just("ok"),
        Just("danger"),
        Just("accent"),
        Just("selection"),
        Just("fg"),
        Just("bg"),
        Just("[keys]"),
        Just("[ok]"),
        Just("quit"),
        Just("bogus"),
    ];
    let value = prop_oneof![
        Just("3".to_owned()),
        Just("-1".to_owned()),
        Just("1e309".to_owned()),
        Just("\"red\"".to_owned()),
        Just("\"#12345\"".to_owned()),
        Just("\"topology\"".to_owned()),
        Just("[\"q\", \"ctrl-\"]".to_owned()),
        Just("{ fg = \"nope\" }".to_owned()),
        Just("99999999999999999999".to_owned()),
        "\\PC{0,12}",
    ];
    prop::collection::vec((key, value, any::<bool>()), 0..12).prop_map(|lines| {
        lines
            .into_iter()
            .map(|(k, v, header)| {
                if header || k.starts_with('[') {
                    format!("{k}\n")
                } else {
                    format!("{k} = {v}\n")
                }
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn config_parser_never_panics_and_names_the_file(text in prop_oneof![tomlish(), "\\PC{0,200}"]) {
        if let Err(e) = navoy_console::config::parse(&text, "cfg-under-test.toml") {
            prop_assert!(e.to_string().contains("cfg-under-test.toml"), "{e}");
        }
    }

    #[test]
    fn theme_parser_never_panics_and_names_the_file(text in prop_oneof![tomlish(), "\\PC{0,200}"]) {
        if let Err(e) = navoy_console::theme::parse(&text, "theme-under-test.toml") {
            prop_assert!(e.to_string().contains("theme-under-test.toml"), "{e}");
        }
    }
}
