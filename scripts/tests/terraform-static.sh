#!/usr/bin/env bash
# Static Terraform checks, offline: fmt -check over terraform/, then
# init (no backend, committed lock file read-only) + validate of both
# entry points. Ends with "N passed, M failed"; exits non-zero on failure.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../lib/tools.sh
source "$ROOT/scripts/lib/tools.sh"

PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok - $*"; }
nok() { FAIL=$((FAIL + 1)); echo "FAIL - $*"; }

TERRAFORM="$(ensure_terraform)" || { echo "0 passed, 1 failed"; exit 1; }
navoy_tf_env
echo "# $("$TERRAFORM" version | head -n1)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/navoy-tf-static.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

if OUT="$("$TERRAFORM" fmt -check -recursive -diff "$ROOT/terraform" 2>&1)"; then
  ok "terraform fmt -check"
else
  nok "terraform fmt -check"
  echo "$OUT" | head -n 40
fi

for env in local aws; do
  export TF_DATA_DIR="$WORK/$env"
  if OUT="$(cd "$ROOT/terraform/envs/$env" && "$TERRAFORM" init -backend=false -lockfile=readonly -input=false -no-color 2>&1)"; then
    ok "terraform init envs/$env (offline mirror, lock file read-only)"
  else
    nok "terraform init envs/$env"
    echo "$OUT" | tail -n 20
    continue
  fi
  if OUT="$(cd "$ROOT/terraform/envs/$env" && "$TERRAFORM" validate -no-color 2>&1)"; then
    ok "terraform validate envs/$env"
  else
    nok "terraform validate envs/$env"
    echo "$OUT" | tail -n 20
  fi
done

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
