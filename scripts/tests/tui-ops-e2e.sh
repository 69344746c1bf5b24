#!/usr/bin/env bash
# End-to-end test of operating the live stack from the interactive console, driven through tmux
# like tui-e2e.sh:
#   1. Operate (not read-only): once `:services` shows every service at its desired count, on
#      `:instances` select the instance running the most tasks, `d`; Enter on an empty
#      confirmation is refused; the instance id typed + Enter drains it: the row shows
#      DRAINING, then 0 running tasks while the others run them all; `u` + Enter makes it
#      ACTIVE again. The events view and the audit log (NAVOY_AUDIT_LOG, a temporary file) hold
#      applied and settled records of both, and only those.
#   2. Read-only (`--read-only`): the same `d` is refused before any popup with a visible
#      message; the only new audit record is that refusal (no plan, no call).
#   3. In that read-only session, with live data, the window is resized to 1x1, 20x5, 59x15,
#      60x15, 80x24, 300x100 and back: the console keeps running, shows the "enlarge the
#      terminal" message below 60x15 and the normal view from there, then `q` exits 0 and the
#      terminal is restored.
# The stack is left as found: the drained instance is ACTIVE again (tasks are not moved back).
#
#   scripts/tests/tui-ops-e2e.sh http://127.0.0.1:4566
#
# Environment: as tui-lib.sh, and NAVOY_TEST_PYTHON (a Python 3 to read the audit log, default
# python3). Prints the measured drain and undrain times and `N passed, M failed`.
set -euo pipefail

endpoint="${1:?usage: $0 ENDPOINT_URL}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=SCRIPTDIR/tui-lib.sh
source "$root/scripts/tests/tui-lib.sh"
py="${NAVOY_TEST_PYTHON:-python3}"
audit="$tmp/audit.jsonl"
export NAVOY_AUDIT_LOG="$audit"

# check NAME COMMAND...: pass when COMMAND succeeds, else fail.
check() {
  local name="$1"
  shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}

# The container instances list as `ID STATUS RUNNING`, one per row, in screen order.
rows() {
  screen | sed -nE 's/^│(i-[0-9a-f]+) +([A-Z_]+) .* ([0-9]+)\+[0-9]+ .*/\1 \2 \3/p'
}

# On the services view: every service runs its desired count with none pending. Prints the
# desired tasks of all services.
services_steady() {
  screen | sed -nE 's/^│[^ ]+ +[A-Z]+ +([0-9]+)\/([0-9]+)\/([0-9]+) .*/\1 \2 \3/p' |
    awk '$1 != $2 || $3 != 0 { bad = 1 } { n++; d += $1 } END { if (n && !bad) print d; exit !(n && !bad) }'
}

# At least two instances, all ACTIVE, running the $desired tasks: where the drill starts from.
ready_to_drain() {
  rows | awk -v want="$desired" '$2 != "ACTIVE" { bad = 1 } { n++; t += $3 }
    END { exit !(n >= 2 && !bad && t > 0 && t == want) }'
}

# Tasks running on instances other than $1.
tasks_elsewhere() { rows | awk -v id="$1" '$1 != id { t += $3 } END { print t + 0 }'; }

# select_row N: the Nth row (from 0) of the list: first row, then N times down.
select_row() {
  t send-keys -t "$session" 'g'
  for _ in $(seq 1 "$1"); do
    t send-keys -t "$session" 'j'
  done
}

audit_lines() { if [ -f "$audit" ]; then wc -l <"$audit"; else echo 0; fi; }

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# audit_ok MODE INSTANCE SKIP: the records after the first SKIP lines are exactly what MODE
# (`operate` or `read-only`) leaves for INSTANCE.
audit_ok() {
  "$py" - "$audit" "$@" <<'PY'
import json, sys
path, mode, instance, skip = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
records = [json.loads(line) for line in open(path, encoding="utf-8")][skip:]
def show():
    return "\n".join(json.dumps(r) for r in records)
for r in records:
    for key in ("time", "identity", "endpoint", "region", "cluster", "operation", "parameters", "outcome"):
        assert r.get(key) not in (None, ""), f"{key} missing:\n{show()}"
    assert r["parameters"].get("instance") == instance, show()
got = [(r["operation"], r["outcome"]["status"]) for r in records]
if mode == "operate":
    want = [("drain", "applied"), ("drain", "settled"), ("undrain", "applied"), ("undrain", "settled")]
    assert got == want, f"{got} != {want}\n{show()}"
    for r, status in zip(records[::2], ("DRAINING", "ACTIVE")):
        call = f"status={status}"
        assert [c for c in r["plan"]["calls"] if "UpdateContainerInstancesState" in c and call in c], show()
        assert r["outcome"]["done"] == r["plan"]["calls"], show()
    assert any("DRAINING: 0 task(s) on it" in d for d in records[1]["outcome"]["done"]), show()
    assert any(" ACTIVE: " in d for d in records[3]["outcome"]["done"]), show()
else:
    assert got == [("drain", "refused")], f"{got}\n{show()}"
    r = records[0]
    assert r["plan"] is None and not r["outcome"].get("done"), show()
    assert "read-only" in r["outcome"]["message"], show()
PY
}

# ---------------------------------------------------------------------------------------------
# 1. Drain and undrain from the console.
console_start 160 45 --endpoint-url "$endpoint"
t send-keys -t "$session" ':' 'services' Enter
desired=""
if wait_for 20 '┌ services' && wait_until 120 services_steady >/dev/null; then
  desired="$(services_steady)"
  pass ":services: every service runs its $desired desired task(s), none pending"
fi
t send-keys -t "$session" ':' 'instances' Enter
if [ -n "$desired" ] && wait_for 20 '┌ container instances' && wait_until 120 ready_to_drain; then
  pass ":instances: two or more ACTIVE instances run the $desired task(s)"
else
  fail "a steady stack: services at their desired count, two or more ACTIVE instances running it"
  summary
  exit 1
fi
# The instance running the most tasks (the first of equals), and its row in the list.
read -r index id < <(rows | awk '$3 > most { most = $3; i = NR - 1; id = $1 } END { print i, id }')
echo "draining $id (row $((index + 1)), $(rows | awk -v id="$id" '$1 == id { print $3 }') of $desired running tasks)"
select_row "$index"
t send-keys -t "$session" 'd'
check "d on the selected row opens the drain plan for $id" \
  wait_for 10 "┌ confirm: drain instance $id "
check "the plan asks for the instance id to be typed" \
  screen_matches "type '$id' then Enter to run it"
t send-keys -t "$session" Enter
if wait_for 5 "type exactly '$id' to confirm" && screen_matches "┌ confirm: drain instance $id " &&
  [ "$(audit_lines)" -eq 0 ] && screen_matches "^│$id +ACTIVE "; then
  pass "Enter without the id is refused: the popup stays, nothing ran"
else
  fail "Enter without the id is refused: the popup stays, nothing ran"
fi

t send-keys -t "$session" -l "$id"
t send-keys -t "$session" Enter
started="$(now)"
if wait_for 10 "(⟳ running|✓ settled) drain instance $id" && ! screen_matches '┌ confirm:|type exactly'; then
  pass "the typed id confirms: the popup and its hint close, the drain runs"
else
  fail "the typed id confirms: the popup and its hint close, the drain runs"
fi
if wait_for 30 "^│$id +DRAINING "; then
  pass "$id shows DRAINING ($(since "$started") s)"
else
  fail "$id shows DRAINING"
fi
if wait_for 240 "^│$id +DRAINING .* 0\+0 "; then
  drained="$(since "$started")"
  pass "$id shows 0 running tasks ($drained s after the confirmation)"
else
  fail "$id shows 0 running tasks within 240 s"
fi
check "the drain settles" wait_for 60 "✓ settled drain instance $id"
moved() { [ "$(tasks_elsewhere "$id")" -eq "$desired" ]; }
check "the other instances run the $desired task(s)" wait_until 30 moved

t send-keys -t "$session" 'u'
check "u opens the undrain plan for $id (Enter confirms)" \
  wait_for 10 "┌ confirm: undrain instance $id .*"
check "the undrain plan needs only Enter" screen_matches 'Enter: run it · Esc: cancel'
t send-keys -t "$session" Enter
started="$(now)"
if wait_for 60 "^│$id +ACTIVE "; then
  undrained="$(since "$started")"
  pass "$id shows ACTIVE again ($undrained s after the confirmation)"
else
  fail "$id shows ACTIVE again"
fi
check "the undrain settles" wait_for 60 "✓ settled undrain instance $id"

t send-keys -t "$session" '7'
if wait_for 10 "\[console\] drain [^ ]+ \($id\): settled" &&
  wait_for 10 "\[console\] undrain [^ ]+ \($id\): DRAINING → ACTIVE: settled"; then
  pass "the events view shows both operations settled"
else
  fail "the events view shows both operations settled"
fi
quit_and_check_restored
check "audit: drain and undrain of $id, each applied then settled, with their calls" \
  audit_ok operate "$id" 0

# ---------------------------------------------------------------------------------------------
# 2. Read-only: the drain key is refused before any popup; only the refusal is audited.
before="$(audit_lines)"
console_start 160 45 --endpoint-url "$endpoint" --read-only
t send-keys -t "$session" ':' 'instances' Enter
if wait_for 20 'READ-ONLY' && wait_for 30 "^│$id +ACTIVE "; then
  pass "read-only: $id is listed ACTIVE"
else
  fail "read-only: $id is listed ACTIVE"
fi
select_row "$index"
t send-keys -t "$session" 'd'
refusal="refused: read-only mode \(--read-only\) forbids drain instance $id; nothing was changed"
if wait_for 10 "$refusal" && ! screen_matches '┌ confirm:'; then
  pass "read-only: d is refused with a visible message, no popup"
else
  fail "read-only: d is refused with a visible message, no popup"
fi
one_more() { [ "$(audit_lines)" -gt "$before" ]; }
wait_until 10 one_more || true
check "read-only audit: one refusal of the drain, no plan, no call" \
  audit_ok read-only "$id" "$before"

# ---------------------------------------------------------------------------------------------
# 3. Resize the live read-only session.
t set -g window-size manual
message="enlarge the terminal"

# The screen with its blanks and line breaks removed.
squeezed() { screen | tr -d ' \n'; }
widest() { screen | "$py" -c 'import sys; print(max(map(len, sys.stdin.buffer.read().decode().splitlines()), default=0))'; }

# Below 60x15 the whole screen is the message, cut to what fits (at 1x1 its first letter).
shows_message() {
  local full
  full="$(printf '%s' "$message need 60×15, have $1×$2" | tr -d ' ')"
  local got
  got="$(squeezed)"
  if [ "$1" -ge 20 ]; then
    [ "$got" = "$full" ]
  else
    [ -n "$got" ] && [ "${full#"$got"}" != "$full" ]
  fi
}

# The normal view fills the width: the instances and the ASG, the header's READ-ONLY badge.
shows_view() {
  screen_matches '┌ container instances' && screen_matches '┌ auto scaling' &&
    screen_matches 'READ-ONLY' && [ "$(widest)" -eq "$1" ]
}

for size in 1x1 20x5 59x15 60x15 80x24 300x100 160x45; do
  w="${size%x*}" h="${size#*x}"
  t resize-window -t "$session" -x "$w" -y "$h"
  applied="$(t display-message -p -t "$session" '#{pane_width}x#{pane_height}')"
  if [ "$applied" != "$size" ]; then
    fail "tmux resized the pane to $size (it is $applied)"
    continue
  fi
  if [ "$w" -lt 60 ] || [ "$h" -lt 15 ]; then
    # Kept small past a refresh (every 3 s by default), so live data lands while it is.
    if wait_until 5 shows_message "$w" "$h" && sleep 4 && console_alive && shows_message "$w" "$h"; then
      pass "$size: still running, shows '$message' (what fits of it)"
    else
      fail "$size: still running, shows '$message'"
    fi
  elif wait_until 10 shows_view "$w" && console_alive; then
    pass "$size: still running, the normal view fills $w columns"
  else
    fail "$size: still running, the normal view fills $w columns"
  fi
done
if wait_for 10 'updated [0-3]s ago' && ! screen_matches 'STALE' && screen_matches "^│$id +ACTIVE "; then
  pass "after the resizes the data is fresh and $id still ACTIVE"
else
  fail "after the resizes the data is fresh and $id still ACTIVE"
fi
quit_and_check_restored

printf 'timings: drain to 0 tasks on screen %s s, undrain to ACTIVE on screen %s s\n' \
  "${drained:-?}" "${undrained:-?}"
summary
