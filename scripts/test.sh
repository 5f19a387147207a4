#!/usr/bin/env bash
# Runs every test and gate. Idempotent and non-interactive: installs what is missing
# (openssl and python3 from Debian, rustfmt/clippy and the wasm32 target via rustup).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

step "tools"
ensure_debian_packages openssl:openssl python3:python3
ensure_rust_components
ensure_wasm_target

step "cargo fetch (--locked)"
cargo fetch --locked

step "format"
cargo fmt --all --check

step "clippy (-D warnings)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "docs (-D warnings)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked --quiet

step "core builds for wasm32-unknown-unknown without getrandom"
cargo build -p receipt-verify --target wasm32-unknown-unknown --locked --quiet
if cargo tree -p receipt-verify --target wasm32-unknown-unknown -e normal --locked -i getrandom >/dev/null 2>&1; then
  echo "receipt-verify pulls getrandom into the wasm32 build; verify-only builds must not need randomness" >&2
  exit 1
fi

step "tests (native; vector counts are printed by the tests)"
mkdir -p target
set +e
cargo test --workspace --locked -- --show-output 2>&1 | tee target/test-output.txt
status=${PIPESTATUS[0]}
set -e
grep -E '^test result:' target/test-output.txt | awk '{p+=$4; f+=$6} END {printf "\n%d passed, %d failed\n", p, f}'
exit "$status"
