# shellcheck shell=bash
# Shared by the console's tmux tests (tui-e2e.sh, tui-ops-e2e.sh): the binary, a private tmux
# server, the screen, waiting for it, pass/fail counting, starting the console and quitting it.
#
# Source it after `set -euo pipefail` with `root` set to the repository root; it sets `bin`,
# `tmp` (removed on exit) and `session`, and these functions:
#   t ARGS...                      tmux on the private server
#   screen                         the visible pane, as text
#   wait_until SECONDS COMMAND...  true once COMMAND succeeds
#   wait_for SECONDS REGEX         true once the screen matches (extended regex)
#   pass NAME / fail NAME          count a check (fail prints the screen)
#   console_start W H ARGS...      the console with ARGS in a fresh W×H session, drawn
#   console_alive                  true while that console runs
#   quit_and_check_restored        `q` exits 0, the terminal is restored (two checks)
#   summary                        prints 'N passed, M failed'; false when any failed
#
# Environment: NAVOY_CONSOLE_BIN (default: the release build if present, else the debug build,
# built if missing), AWS_REGION (default us-east-1), AWS credentials (default: the emulator's
# test keys).

export AWS_REGION="${AWS_REGION:-us-east-1}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"

bin="${NAVOY_CONSOLE_BIN:-}"
if [ -z "$bin" ]; then
  target="${CARGO_TARGET_DIR:-$root/target}"
  if [ -x "$target/release/navoy-console" ]; then
    bin="$target/release/navoy-console"
  else
    [ -x "$target/debug/navoy-console" ] || (cd "$root" && cargo build --locked --bin navoy-console)
    bin="$target/debug/navoy-console"
  fi
fi

command -v tmux >/dev/null || {
  echo "tmux is not installed" >&2
  exit 2
}

tmp="$(mktemp -d)"
sock="navoy-tui-e2e-$$"
session=""
sessions=0
t() { tmux -L "$sock" -f /dev/null "$@"; }
cleanup() {
  t kill-server 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

passed=0
failed=0
pass() {
  passed=$((passed + 1))
  printf 'ok   %s\n' "$1"
}
fail() {
  failed=$((failed + 1))
  printf 'FAIL %s\n' "$1"
  printf '%s\n' "--- screen ---"
  screen | sed 's/^/    /'
}

screen() { t capture-pane -p -t "$session" 2>/dev/null || true; }

# wait_until SECONDS COMMAND...: true once COMMAND succeeds (tried every 0.2 s).
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  while [ "$SECONDS" -lt "$deadline" ]; do
    if "$@"; then
      return 0
    fi
    sleep 0.2
  done
  return 1
}

screen_matches() { screen | grep -Eq -- "$1"; }

# wait_for SECONDS EXTENDED-REGEX: true once the screen matches.
wait_for() { wait_until "$1" screen_matches "$2"; }

# One word for a POSIX shell: single-quoted, inner single quotes escaped.
shell_word() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# console_start WIDTH HEIGHT ARGS...: the console with ARGS in a new WIDTH×HEIGHT session; the
# previous one, if any, is closed after (closing the last session would stop the server). A
# small sh records the console's pid and execs it; its exit status goes to $tmp/SESSION.exit
# and the pane stays open, so the terminal state can be read after.
console_start() {
  local w="$1" h="$2" words="" a old="$session"
  shift 2
  for a in "$bin" "$@"; do
    words="$words $(shell_word "$a")"
  done
  sessions=$((sessions + 1))
  session="console-$sessions"
  t new-session -d -s "$session" -x "$w" -y "$h" \
    "sh -c 'echo \$\$ > \"\$0\"; exec \"\$@\"' '$tmp/$session.pid' $words; echo \$? > '$tmp/$session.exit'; sleep 600"
  [ -z "$old" ] || t kill-session -t "$old"
  # Keys sent before the first frame can reach a terminal not yet in raw mode (Enter would
  # arrive as ctrl-j); the checks that follow fail if it never comes.
  wait_for 30 '^ navoy-console │' || true
}

# True while the console started last runs: it has not exited and its process is there.
console_alive() {
  [ ! -e "$tmp/$session.exit" ] && [ -s "$tmp/$session.pid" ] &&
    kill -0 "$(cat "$tmp/$session.pid")" 2>/dev/null
}

# `q` exits with status 0 and leaves the main screen, no mouse capture, a visible cursor.
quit_and_check_restored() {
  t send-keys -t "$session" 'q'
  local exit_file="$tmp/$session.exit"
  wait_until 10 test -s "$exit_file" || true
  if [ -s "$exit_file" ] && [ "$(cat "$exit_file")" = "0" ]; then
    pass "q exits with status 0"
  else
    fail "q exits with status 0 (exit: $(cat "$exit_file" 2>/dev/null || echo none))"
  fi
  local flags
  flags="$(t display-message -p -t "$session" '#{alternate_on} #{mouse_any_flag} #{cursor_flag}')"
  if [ "$flags" = "0 0 1" ]; then
    pass "terminal restored (main screen, no mouse capture, cursor visible)"
  else
    fail "terminal restored (alternate mouse cursor: $flags)"
  fi
}

summary() {
  printf '%s passed, %s failed\n' "$passed" "$failed"
  [ "$failed" -eq 0 ]
}
