#!/usr/bin/env bash
# Bring up the local navoy stack: an AWS emulator on 127.0.0.1, the whole
# Terraform design applied to it (terraform/envs/local), then the local data
# plane. Idempotent: re-running reuses what is already up.
#
# Usage: scripts/localstack-up.sh [--engine auto|localstack|moto] [--port N]
#                                 [--dataplane-port N] [--control-port N] [--no-dataplane]
#
#   --engine          auto (default): LocalStack when a Docker engine answers
#                     and LOCALSTACK_AUTH_TOKEN is set, else moto.
#   --port            emulator port on 127.0.0.1 (default 4566, env NAVOY_PORT)
#   --dataplane-port  local ALB listener of the data plane (default 8080,
#                     env NAVOY_DATAPLANE_PORT)
#   --control-port    the data plane's control API, for fault drills (default:
#                     the listener's port + 1, env NAVOY_DATAPLANE_CONTROL_PORT)
#   --no-dataplane    provision only
#
# Environment:
#   NAVOY_STATE_DIR           where run/ (pid files), logs/, tfstate/ and
#                             tf-data/ go (default <repo>/.navoy)
#   NAVOY_FORCE_TOOL_INSTALL  1 = use the pinned PyPI terraform even if one
#                             is on PATH
#   LOCALSTACK_AUTH_TOKEN     needed by the LocalStack image
#   NAVOY_LOCALSTACK_IMAGE    LocalStack image (default localstack/localstack:2026.3.0)
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/tools.sh
source "$ROOT/scripts/lib/tools.sh"

ENGINE=auto
PORT="${NAVOY_PORT:-4566}"
DP_PORT="${NAVOY_DATAPLANE_PORT:-8080}"
CTRL_PORT="${NAVOY_DATAPLANE_CONTROL_PORT:-}"
WITH_DATAPLANE=1
LOCALSTACK_IMAGE="${NAVOY_LOCALSTACK_IMAGE:-localstack/localstack:2026.3.0}"

usage() { sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --engine) ENGINE="${2:?--engine needs a value}"; shift 2 ;;
    --engine=*) ENGINE="${1#*=}"; shift ;;
    --port) PORT="${2:?--port needs a value}"; shift 2 ;;
    --port=*) PORT="${1#*=}"; shift ;;
    --dataplane-port) DP_PORT="${2:?--dataplane-port needs a value}"; shift 2 ;;
    --dataplane-port=*) DP_PORT="${1#*=}"; shift ;;
    --control-port) CTRL_PORT="${2:?--control-port needs a value}"; shift 2 ;;
    --control-port=*) CTRL_PORT="${1#*=}"; shift ;;
    --no-dataplane) WITH_DATAPLANE=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
case "$ENGINE" in auto | localstack | moto) ;; *) echo "--engine must be auto, localstack or moto" >&2; exit 2 ;; esac
for p in "$PORT" "$DP_PORT" "${CTRL_PORT:-1}"; do
  case "$p" in '' | *[!0-9]*) echo "a port must be a number from 1 to 65535 (got '$p')" >&2; exit 2 ;; esac
  if [ "$p" -lt 1 ] || [ "$p" -gt 65535 ]; then echo "a port must be a number from 1 to 65535 (got '$p')" >&2; exit 2; fi
done
CTRL_PORT="${CTRL_PORT:-$((DP_PORT + 1))}"

STATE_DIR="${NAVOY_STATE_DIR:-$ROOT/.navoy}"
mkdir -p "$STATE_DIR/run" "$STATE_DIR/logs" "$STATE_DIR/tfstate" "$STATE_DIR/tf-data"
STATE_DIR="$(cd "$STATE_DIR" && pwd)"
RUN="$STATE_DIR/run"
LOGS="$STATE_DIR/logs"
TF_STATE="$STATE_DIR/tfstate/local.tfstate"
export TF_DATA_DIR="$STATE_DIR/tf-data/local"
TF_DIR="$ROOT/terraform/envs/local"
ENDPOINT="http://127.0.0.1:$PORT"

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1

STEP="start"
STEP_LOG=""
T0=$(date +%s)

step() {
  STEP="$1"
  STEP_LOG="${2:-}"
  printf '==> %s\n' "$STEP"
}
info() { printf '    %s\n' "$*"; }

on_error() {
  local rc=$?
  trap - ERR
  printf '\nFAILED at step: %s (exit %s)\n' "$STEP" "$rc" >&2
  if [ -n "$STEP_LOG" ] && [ -f "$STEP_LOG" ]; then
    printf -- '--- last lines of %s ---\n' "$STEP_LOG" >&2
    tail -n 25 "$STEP_LOG" >&2
    printf -- '---\n' >&2
  fi
  printf 'Anything started has a pid file in %s; scripts/localstack-down.sh stops it.\n' "$RUN" >&2
  exit "$rc"
}
trap on_error ERR

# pid_alive FILE: the pid in FILE is a live process.
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

port_open() { # port
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# wait_http URL SECONDS PIDFILE: any HTTP answer counts.
wait_http() {
  local url="$1" secs="$2" pidfile="$3" i
  for ((i = 0; i < secs * 5; i++)); do
    if "$PYTHON" - "$url" <<'PY' 2>/dev/null; then
import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(sys.argv[1], timeout=2)
except urllib.error.HTTPError:
    pass
PY
      return 0
    fi
    if ! pid_alive "$pidfile"; then
      echo "process exited before answering" >&2
      return 1
    fi
    sleep 0.2
  done
  echo "no answer from $url after ${secs}s" >&2
  return 1
}

wait_port() { # port seconds pidfile
  local i
  for ((i = 0; i < $2 * 5; i++)); do
    port_open "$1" && return 0
    pid_alive "$3" || { echo "process exited before listening" >&2; return 1; }
    sleep 0.2
  done
  echo "nothing listens on 127.0.0.1:$1 after $2 s" >&2
  return 1
}

# start_bg NAME LOGFILE CMD...: start in the background (own session, so a
# Ctrl-C of this script does not take it down) and write run/NAME.pid.
start_bg() {
  local name="$1" log="$2"
  shift 2
  : >"$log"
  if command -v setsid >/dev/null 2>&1; then
    nohup setsid "$@" >>"$log" 2>&1 </dev/null &
  else
    nohup "$@" >>"$log" 2>&1 </dev/null &
  fi
  echo $! >"$RUN/$name.pid"
}

# ---------------------------------------------------------------- tools
step "tools: terraform, provider mirror, moto venv" "$LOGS/tools.log"
: >"$LOGS/tools.log"
TERRAFORM="$(ensure_terraform 2>>"$LOGS/tools.log")"
PYTHON="$(ensure_moto 2>>"$LOGS/tools.log")"
navoy_tf_env
info "terraform: $TERRAFORM ($("$TERRAFORM" version | head -n1))"
info "python:    $PYTHON"

# ---------------------------------------------------------------- engine
step "engine: choose ($ENGINE)"
docker_ok() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }
RUNNING_ENGINE=""
if pid_alive "$RUN/emulator.pid" && [ -f "$RUN/emulator.engine" ]; then
  RUNNING_ENGINE="$(cat "$RUN/emulator.engine")"
fi
if [ -n "$RUNNING_ENGINE" ]; then
  if [ "$ENGINE" != auto ] && [ "$ENGINE" != "$RUNNING_ENGINE" ]; then
    echo "a $RUNNING_ENGINE emulator is already running (pid $(cat "$RUN/emulator.pid")); run scripts/localstack-down.sh first" >&2
    false
  fi
  ENGINE="$RUNNING_ENGINE"
  PORT="$(cat "$RUN/emulator.port")"
  ENDPOINT="http://127.0.0.1:$PORT"
elif [ "$ENGINE" = auto ]; then
  if [ -n "${LOCALSTACK_AUTH_TOKEN:-}" ] && docker_ok; then ENGINE=localstack; else ENGINE=moto; fi
elif [ "$ENGINE" = localstack ]; then
  [ -n "${LOCALSTACK_AUTH_TOKEN:-}" ] || { echo "LocalStack needs LOCALSTACK_AUTH_TOKEN (its image requires one; ECS/ELBv2/ASG are paid-tier)" >&2; false; }
  docker_ok || { echo "no Docker engine answers (docker info failed)" >&2; false; }
fi
info "engine: $ENGINE"

# ---------------------------------------------------------------- emulator
step "emulator: start on 127.0.0.1:$PORT" "$LOGS/emulator.log"
FRESH_EMULATOR=0
if [ -n "$RUNNING_ENGINE" ]; then
  info "already running (pid $(cat "$RUN/emulator.pid")), reusing it"
else
  rm -f "$RUN/emulator.pid" "$RUN/emulator.engine" "$RUN/emulator.port" "$RUN/localstack.cid"
  if port_open "$PORT"; then
    echo "127.0.0.1:$PORT is already in use by a process this script did not start; free it or use --port" >&2
    false
  fi
  if [ "$ENGINE" = moto ]; then
    if [ -f "$ROOT/scripts/emulator/moto_server.py" ]; then
      info "moto with the navoy extension (scripts/emulator/moto_server.py)"
      start_bg emulator "$LOGS/emulator.log" env MOTO_IAM_LOAD_MANAGED_POLICIES=true \
        "$PYTHON" "$ROOT/scripts/emulator/moto_server.py" -H 127.0.0.1 -p "$PORT"
    else
      info "plain moto_server"
      start_bg emulator "$LOGS/emulator.log" env MOTO_IAM_LOAD_MANAGED_POLICIES=true \
        "$(dirname "$PYTHON")/moto_server" -H 127.0.0.1 -p "$PORT"
    fi
    WAIT_SECS=30
  else
    info "LocalStack image $LOCALSTACK_IMAGE"
    start_bg emulator "$LOGS/emulator.log" docker run --rm --cidfile "$RUN/localstack.cid" \
      -p "127.0.0.1:$PORT:4566" -e LOCALSTACK_AUTH_TOKEN \
      -e SERVICES=ec2,elbv2,ecs,ecr,autoscaling,application-autoscaling,iam,sts,logs,cloudwatch,secretsmanager,ssm,kms \
      "$LOCALSTACK_IMAGE"
    WAIT_SECS=180
  fi
  echo "$ENGINE" >"$RUN/emulator.engine"
  echo "$PORT" >"$RUN/emulator.port"
  FRESH_EMULATOR=1
  info "pid $(cat "$RUN/emulator.pid"), log $LOGS/emulator.log"
fi

step "emulator: wait until it answers" "$LOGS/emulator.log"
HEALTH_URL="$ENDPOINT/"
[ "$ENGINE" = localstack ] && HEALTH_URL="$ENDPOINT/_localstack/health"
if ! wait_http "$HEALTH_URL" "${WAIT_SECS:-30}" "$RUN/emulator.pid"; then
  # A started emulator that never answers is useless: stop it now.
  if [ "$FRESH_EMULATOR" = 1 ]; then
    "$ROOT/scripts/localstack-down.sh" >/dev/null 2>&1 || true
  fi
  false
fi
info "answers at $ENDPOINT"

# moto keeps everything in memory: a state file from an earlier emulator
# process describes resources that no longer exist.
if [ "$FRESH_EMULATOR" = 1 ] && [ -f "$TF_STATE" ]; then
  mv "$TF_STATE" "$TF_STATE.previous"
  info "fresh emulator: earlier state moved to $TF_STATE.previous"
fi

# ---------------------------------------------------------------- terraform
step "terraform init" "$LOGS/terraform-init.log"
(cd "$TF_DIR" && "$TERRAFORM" init -input=false -no-color -lockfile=readonly \
  -backend-config="path=$TF_STATE" -reconfigure) >"$LOGS/terraform-init.log" 2>&1
info "ok (provider hashicorp/aws 3.39.0 from the offline mirror)"

step "terraform apply (about 80 s: the provider waits 60 s on the ALB)" "$LOGS/terraform-apply.log"
A0=$(date +%s)
(cd "$TF_DIR" && "$TERRAFORM" apply -input=false -no-color -auto-approve \
  -var "endpoint=$ENDPOINT") >"$LOGS/terraform-apply.log" 2>&1
info "$(grep -E '^Apply complete' "$LOGS/terraform-apply.log" || echo 'applied') in $(($(date +%s) - A0)) s"

tf_out() { (cd "$TF_DIR" && "$TERRAFORM" output -raw "$1"); }
CLUSTER="$(tf_out cluster_name)"
SERVICE="$(tf_out service_name)"
LOG_GROUP="$(tf_out log_group_name)"

# ---------------------------------------------------------------- data plane
DP_URL=""
if [ "$WITH_DATAPLANE" = 1 ] && [ -f "$ROOT/scripts/emulator/dataplane.py" ]; then
  step "data plane: start (local ALB listener on 127.0.0.1:$DP_PORT)" "$LOGS/dataplane.log"
  if pid_alive "$RUN/dataplane.pid"; then
    info "already running (pid $(cat "$RUN/dataplane.pid")), reusing it"
    DP_PORT="$(cat "$RUN/dataplane.port" 2>/dev/null || echo "$DP_PORT")"
    CTRL_PORT="$(cat "$RUN/dataplane.control-port" 2>/dev/null || echo "$CTRL_PORT")"
  else
    rm -f "$RUN/dataplane.pid"
    if port_open "$DP_PORT"; then
      echo "127.0.0.1:$DP_PORT is already in use; use --dataplane-port" >&2
      false
    fi
    if [ "$CTRL_PORT" = "$DP_PORT" ] || [ "$CTRL_PORT" = "$PORT" ] || port_open "$CTRL_PORT"; then
      echo "127.0.0.1:$CTRL_PORT (the data plane's control port) is taken; use --control-port" >&2
      false
    fi
    DP_ARGS=(--endpoint "$ENDPOINT" --listen-port "$DP_PORT" --control-port "$CTRL_PORT")
    start_bg dataplane "$LOGS/dataplane.log" "$PYTHON" "$ROOT/scripts/emulator/dataplane.py" "${DP_ARGS[@]}"
    echo "$DP_PORT" >"$RUN/dataplane.port"
    echo "$CTRL_PORT" >"$RUN/dataplane.control-port"
    info "pid $(cat "$RUN/dataplane.pid"), log $LOGS/dataplane.log"
    wait_port "$DP_PORT" 30 "$RUN/dataplane.pid"
  fi
  DP_URL="http://127.0.0.1:$DP_PORT"
  info "listening at $DP_URL"
elif [ "$WITH_DATAPLANE" = 1 ]; then
  step "data plane: not present (scripts/emulator/dataplane.py), skipped"
fi

OPEN="--local"
[ "$PORT" = 4566 ] || OPEN="--local --endpoint-url $ENDPOINT"
DRILL="none (no data plane)"
if [ -n "$DP_URL" ]; then
  DRILL="scripts/emulator/dataplane.py fault --crash TASK --control http://127.0.0.1:$CTRL_PORT"
fi
trap - ERR
cat <<EOF

navoy local stack is up ($(($(date +%s) - T0)) s)
  engine        $ENGINE (pid $(cat "$RUN/emulator.pid"))
  endpoint      $ENDPOINT   (AWS_ENDPOINT_URL=$ENDPOINT, credentials test/test, region us-east-1)
  cluster       $CLUSTER, service $SERVICE, log group $LOG_GROUP
  app (ALB)     ${DP_URL:-no local data plane running}
  fault drills  $DRILL
  state         $TF_STATE
  logs          $LOGS
Open the console:  cargo run --release -- $OPEN
Stop:              scripts/localstack-down.sh   (add --destroy to destroy the stack first)
EOF
