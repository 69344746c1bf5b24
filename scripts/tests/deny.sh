#!/usr/bin/env bash
# Dependency audit of Cargo.lock with cargo-deny (pinned, see scripts/lib/tools.sh; rules in
# deny.toml). licenses, bans and sources need nothing but the lock file and crates.io, and always
# gate. advisories needs the RustSec database, which is fetched from GitHub: when that works it is
# checked against a fresh copy; when not, against a copy already on this machine (its date is
# printed); with neither, one line says the advisory check was not run and why, and the step's
# verdict rests on the other three checks.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../lib/tools.sh
source "$ROOT/scripts/lib/tools.sh"
cd "$ROOT" || exit 1

DENY="$(ensure_cargo_deny)" || { echo "cargo-deny: could not be installed"; exit 1; }
echo "# $("$DENY" --version)"

# Diagnostics without the inclusion graphs (thousands of lines); the hint says how to see them.
check() { # [--offline] checks...
  local net=()
  if [ "$1" = "--offline" ]; then
    net=(--offline)
    shift
  fi
  "$DENY" --locked ${net[@]+"${net[@]}"} check --hide-inclusion-graph --show-stats "$@" 2>&1 && return 0
  echo "cargo-deny: FAILED; 'cargo deny --locked check $*' shows how each crate is pulled in"
  return 1
}

RC=0
check licenses bans sources || RC=1

# The clone of the database in cargo-deny's default db-path ($CARGO_HOME/advisory-dbs), if any.
local_db() {
  local d found=""
  for d in "${CARGO_HOME:-$HOME/.cargo}"/advisory-dbs/advisory-db-*; do
    if [ -d "$d/.git" ] && git -C "$d" rev-parse -q --verify HEAD >/dev/null; then
      found="$d"
    fi
  done
  [ -n "$found" ] && printf '%s\n' "$found"
}
db_date() { # dir -> "last changed 2026-11-20 (6 days ago)"
  printf 'last changed %s (%s days ago)\n' "$(git -C "$1" log -1 --format=%cs)" \
    "$((($(date +%s) - $(git -C "$1" log -1 --format=%ct)) / 86400))"
}

LIMIT=()
command -v timeout >/dev/null && LIMIT=(timeout 300)
if FETCH_ERR="$(${LIMIT[@]+"${LIMIT[@]}"} "$DENY" fetch db 2>&1)"; then
  DB="$(local_db)" && echo "advisories: RustSec database refreshed, $(db_date "$DB")"
  check advisories || RC=1
else
  # Why, in git's words: its last "fatal:" line and what follows ("Could not resolve host: ...").
  WHY="$(printf '%s\n' "$FETCH_ERR" | awk '/^fatal: /{w=substr($0, 8); next} w != "" && NF {w = w " " $0} END {print w}')"
  WHY="${WHY:-$(printf '%s\n' "$FETCH_ERR" | grep -v '^\s*$' | tail -n 1)}"
  if DB="$(local_db)"; then
    echo "advisories: the RustSec database could not be refreshed (${WHY:-fetch failed}); checking against the copy on this machine, $(db_date "$DB")"
    check --offline advisories || RC=1
  else
    NOTE="advisories: NOT CHECKED (vulnerable, unsound, unmaintained or yanked crates): the RustSec database could not be fetched (${WHY:-fetch failed}) and none is on this machine"
    echo "$NOTE"
    [ -n "${NAVOY_TEST_NOTES:-}" ] && echo "cargo-deny $NOTE" >>"$NAVOY_TEST_NOTES"
  fi
fi
exit "$RC"
