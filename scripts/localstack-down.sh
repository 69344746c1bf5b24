#!/usr/bin/env bash
# Stop what scripts/localstack-up.sh started (by pid file, never by name).
#
# Usage: scripts/localstack-down.sh [--destroy] [--keep-emulator]
#
#   --destroy        terraform destroy the local stack first (needs the
#                    emulator that holds it to be running)
#   --keep-emulator  with --destroy: leave the emulator running afterwards
#                    (e.g. to check that nothing is left)
#
# Environment: NAVOY_STATE_DIR (default <repo>/.navoy), as for the up script.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/tools.sh
source "$ROOT/scripts/lib/tools.sh"

DESTROY=0
KEEP_EMULATOR=0
while [ $# -gt 0 ]; do
  case "$1" in
    --destroy) DESTROY=1; shift ;;
    --keep-emulator) KEEP_EMULATOR=1; shift ;;
    -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

STATE_DIR="${NAVOY_STATE_DIR:-$ROOT/.navoy}"
if [ ! -d "$STATE_DIR" ]; then
  echo "nothing to do: $STATE_DIR does not exist"
  exit 0
fi
STATE_DIR="$(cd "$STATE_DIR" && pwd)"
RUN="$STATE_DIR/run"
LOGS="$STATE_DIR/logs"
TF_STATE="$STATE_DIR/tfstate/local.tfstate"
export TF_DATA_DIR="$STATE_DIR/tf-data/local"
TF_DIR="$ROOT/terraform/envs/local"
mkdir -p "$RUN" "$LOGS"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1

FAILED=0

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# stop NAME PATTERN: stop the process in run/NAME.pid if its command line
# still matches PATTERN (guards against a recycled pid).
stop() {
  local name="$1" pattern="$2" pidfile="$RUN/$1.pid" pid i
  if [ ! -f "$pidfile" ]; then
    echo "    $name: not running (no pid file)"
    return 0
  fi
  pid="$(cat "$pidfile")"
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "    $name: pid $pid already gone"
    rm -f "$pidfile"
    return 0
  fi
  if ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$pattern"; then
    echo "    $name: pid $pid is no longer ours ($(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-80)); leaving it"
    rm -f "$pidfile"
    return 0
  fi
  # The up script starts each process as the leader of its own process group
  # (setsid); signal the whole group so children (task processes of the data
  # plane) go too.
  local target="$pid"
  if [ "$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')" = "$pid" ]; then
    target="-$pid"
  fi
  kill -TERM -- "$target" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL -- "$target" 2>/dev/null || true
    sleep 0.2
  fi
  # Children that outlived a leader that exited on TERM.
  if [ "$target" != "$pid" ] && [ -n "$(ps -eo pgid= | awk -v g="$pid" '$1 == g')" ]; then
    sleep 1
    kill -KILL -- "$target" 2>/dev/null || true
  fi
  if kill -0 "$pid" 2>/dev/null; then
    echo "    $name: pid $pid did not stop" >&2
    FAILED=1
    return 0
  fi
  echo "    $name: stopped pid $pid"
  rm -f "$pidfile"
}

# The data plane goes first: it acts on the stack (tasks, targets) and must
# not recreate anything while it is being destroyed.
echo "==> data plane: stop"
stop dataplane dataplane.py
rm -f "$RUN/dataplane.port" "$RUN/dataplane.control-port"

if [ "$DESTROY" = 1 ]; then
  echo "==> terraform destroy"
  if [ ! -f "$TF_STATE" ]; then
    echo "    no state at $TF_STATE: nothing to destroy"
  elif ! pid_alive "$RUN/emulator.pid"; then
    # moto keeps the stack in memory only: with its process gone, so is the stack.
    mv "$TF_STATE" "$TF_STATE.previous"
    echo "    emulator not running: the stack went with it; state moved to $TF_STATE.previous"
  else
    PORT="$(cat "$RUN/emulator.port")"
    TERRAFORM="$(ensure_terraform 2>>"$LOGS/tools.log")"
    navoy_tf_env
    D0=$(date +%s)
    (cd "$TF_DIR" && "$TERRAFORM" init -input=false -no-color -lockfile=readonly \
      -backend-config="path=$TF_STATE" -reconfigure) >"$LOGS/terraform-init.log" 2>&1 || true
    # moto never reports a deleted capacity provider as INACTIVE, which the
    # provider waits for: take it out of state and delete it through the API.
: >"$LOGS/terraform-destroy.log"
    CAPACITY_PROVIDERS=()
    for addr in $(cd "$TF_DIR" && "$TERRAFORM" state list 2>/dev/null | grep 'aws_ecs_capacity_provider\.' || true); do
      name="$(cd "$TF_DIR" && "$TERRAFORM" state show -no-color "$addr" | awk -F'"' '$1 ~ /^ *name *= *$/ {print $2; exit}')"
      (cd "$TF_DIR" && "$TERRAFORM" state rm -backup="$TF_STATE.before-state-rm" "$addr") >>"$LOGS/terraform-destroy.log" 2>&1
      [ -n "$name" ] && CAPACITY_PROVIDERS+=("$name")
    done
    if (cd "$TF_DIR" && "$TERRAFORM" destroy -input=false -no-color -auto-approve \
      -var "endpoint=http://127.0.0.1:$PORT") >>"$LOGS/terraform-destroy.log" 2>&1; then
      echo "    $(grep -E '^Destroy complete' "$LOGS/terraform-destroy.log" || echo destroyed) in $(($(date +%s) - D0)) s"
      for name in "${CAPACITY_PROVIDERS[@]}"; do
        if "$(ensure_moto 2>>"$LOGS/tools.log")" - "http://127.0.0.1:$PORT" "$name" <<'PY' >>"$LOGS/terraform-destroy.log" 2>&1; then
import sys, boto3
boto3.client("ecs", endpoint_url=sys.argv[1], region_name="us-east-1",
             aws_access_key_id="test", aws_secret_access_key="test").delete_capacity_provider(capacityProvider=sys.argv[2])
PY
          echo "    capacity provider $name deleted through the API"
        else
          echo "    could not delete capacity provider $name (see $LOGS/terraform-destroy.log)" >&2
          FAILED=1
        fi
      done
    else
      echo "FAILED at step: terraform destroy" >&2
      echo "--- last lines of $LOGS/terraform-destroy.log ---" >&2
      tail -n 25 "$LOGS/terraform-destroy.log" >&2
      FAILED=1
    fi
  fi
fi

if [ "$KEEP_EMULATOR" = 1 ]; then
  echo "==> emulator: kept running (--keep-emulator)"
else
  echo "==> emulator: stop"
  ENGINE="$(cat "$RUN/emulator.engine" 2>/dev/null || echo moto)"
  if [ "$ENGINE" = localstack ]; then
    if [ -f "$RUN/localstack.cid" ]; then
      docker stop "$(cat "$RUN/localstack.cid")" >/dev/null 2>&1 || true
      rm -f "$RUN/localstack.cid"
    fi
    stop emulator docker
  else
    stop emulator moto
  fi
  if [ ! -f "$RUN/emulator.pid" ]; then
    rm -f "$RUN/emulator.engine" "$RUN/emulator.port"
  fi
fi

if [ "$FAILED" = 1 ]; then
  echo "down finished with errors" >&2
  exit 1
fi
echo "down: done"
