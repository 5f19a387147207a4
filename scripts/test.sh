#!/usr/bin/env bash
# Runs every test and gate. Idempotent and non-interactive: installs what is missing
# (openssl, libssl-dev, pkg-config and python3 from Debian, rustfmt/clippy and the wasm32 target via rustup).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

# A fresh clone gains nothing from incremental caches, and they cost about 700 MB of disk.
if [ "${CI:-}" = "true" ]; then export CARGO_INCREMENTAL=0; fi

step "tools"
ensure_debian_packages openssl:openssl python3:python3
ensure_openssl_dev
ensure_chromium
ensure_rust_components
ensure_wasm_target
ensure_wasm_bindgen_cli
ensure_npm_tools

step "cargo fetch (--locked)"
cargo fetch --locked
# The RFC 8785 reference comparison is its own workspace (see its Cargo.toml).
JCS_REFERENCE=(--locked --manifest-path tests/jcs-reference/Cargo.toml --target-dir "${CARGO_TARGET_DIR:-$PWD/target}")
cargo fetch --locked --manifest-path tests/jcs-reference/Cargo.toml

step "format"
cargo fmt --all --check
cargo fmt --manifest-path tests/jcs-reference/Cargo.toml --check

step "clippy (-D warnings)"
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy --all-targets "${JCS_REFERENCE[@]}" -- -D warnings

step "docs (-D warnings)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked --quiet

step "core builds for wasm32-unknown-unknown without getrandom, with and without RustCrypto"
cargo build -p receipt-verify --target wasm32-unknown-unknown --locked --quiet
cargo clippy -p receipt-verify -p receipt-verify-wasm --no-default-features --target wasm32-unknown-unknown --locked --quiet -- -D warnings
if cargo tree -p receipt-verify --target wasm32-unknown-unknown -e normal --locked -i getrandom >/dev/null 2>&1; then
  echo "receipt-verify pulls getrandom into the wasm32 build; verify-only builds must not need randomness" >&2
  exit 1
fi
# The tests must read numbers through the serde_json the product ships: a dev-dependency
# that turns on `float_roundtrip` (serde_json_canonicalizer does) would turn it on for every
# build of `cargo test --workspace`, and the core's number rule would be tested on a parser
# it never runs on. That reference lives in tests/jcs-reference, its own workspace.
if cargo tree --workspace -e features -i serde_json --locked 2>/dev/null | grep 'serde_json feature "float_roundtrip"' >/dev/null; then
  echo "the workspace's test builds turn on serde_json's float_roundtrip, which the product does not ship" >&2
  exit 1
fi

# Each suite appends its "test result" lines here; the closing line sums them.
mkdir -p target
: > target/test-results.txt
run_suite() {
  local name=$1; shift
  step "$name"
  set +e
  "$@" 2>&1 | tee target/suite-output.txt
  local status=${PIPESTATUS[0]}
  set -e
  grep -E '^test result:|^# (pass|fail) ' target/suite-output.txt >> target/test-results.txt || true
  # Playwright's list reporter ends with "  N passed" / "  N failed".
  sed -nE 's/^ +([0-9]+) passed.*/# pass \1/p; s/^ +([0-9]+) failed.*/# fail \1/p' target/suite-output.txt \
    >> target/test-results.txt
  if [ "$status" -ne 0 ]; then echo "FAILED: $name" >&2; summary; exit "$status"; fi
}
summary() {
  awk '/^test result:/ {p+=$4; f+=$6} /^# pass / {p+=$3} /^# fail / {f+=$3} END {printf "\n%d passed, %d failed\n", p, f}' target/test-results.txt
}

# The mutation cases are also written here, for the WASM/CLI parity test below.
export RECEIPT_PARITY_CORPUS="$PWD/target/parity-corpus"
rm -rf "$RECEIPT_PARITY_CORPUS"
run_suite "tests: native (vector counts are printed by the tests)" \
  cargo test --workspace --locked -- --show-output
run_suite "tests: the RFC 8785 writer against serde_json_canonicalizer (native)" \
  cargo test "${JCS_REFERENCE[@]}" -- --show-output

# Fuzzing (issue 9 §5): every target replays its regressions, then runs a fixed number of
# executions. Long runs are a separate command: `bash scripts/fuzz.sh long SECONDS`.
run_suite "fuzz: brief run of every cargo-fuzz target (regressions first)" bash scripts/fuzz.sh brief

export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export CHROMEDRIVER=/usr/bin/chromedriver
# The runner gives a whole test binary 20 s in a browser by default: a loaded machine must
# not fail a suite that takes 10 s on a quiet one (a timeout is a guard, not a goal).
export WASM_BINDGEN_TEST_TIMEOUT=300
run_suite "tests: the core's suite in WASM under Node" \
  cargo test -p receipt-verify --target wasm32-unknown-unknown --locked -- --nocapture
run_suite "tests: the core's suite in WASM in headless Chromium" \
  env WASM_BINDGEN_USE_BROWSER=1 cargo test -p receipt-verify --target wasm32-unknown-unknown --locked -- --nocapture

run_suite "tests: the RFC 8785 writer against serde_json_canonicalizer, in WASM under Node and headless Chromium" \
  bash -c 'cargo test --target wasm32-unknown-unknown "$@" -- --nocapture && WASM_BINDGEN_USE_BROWSER=1 cargo test --target wasm32-unknown-unknown "$@" -- --nocapture' _ "${JCS_REFERENCE[@]}"

run_suite "tests: WebCrypto against RustCrypto on every Wycheproof vector, in Node" \
  cargo test -p receipt-verify-wasm --target wasm32-unknown-unknown --locked -- --nocapture
run_suite "tests: WebCrypto against RustCrypto on every Wycheproof vector, in headless Chromium" \
  env WASM_BINDGEN_USE_BROWSER=1 cargo test -p receipt-verify-wasm --target wasm32-unknown-unknown --locked -- --nocapture

run_suite "tests: the trust-center widget in headless Chromium (state model, mount_to views, the bad-input corpus)" \
  cargo test -p trust-center --target wasm32-unknown-unknown --locked --test verifier --test corpus

step "the package (pkg/), the page (dist/) and the embed (dist/embed/)"
bash scripts/web.sh
cargo build -p receipt-cli --locked --quiet
run_suite "tests: the JS API in Node, WASM/CLI parity, README examples (Node and Chromium)" \
  env RECEIPT_BIN="$PWD/target/debug/receipt" CHROMIUM=/usr/bin/chromium node --test tests/node/

step "size budgets: page 358,400 bytes (350 KB; its verifier wasm has no RustCrypto, its workers use WebCrypto), embed 250,352 bytes of gzipped wasm + JS (issue 9 raised the embed from 200 KB to 224 KB, its cap is 210 KB; issue 10 added the one-pass row reader, 2 KB, the progress line, 3,499 bytes, bounded memory for hostile exports, 299 bytes, receipt streaming, 6,244 bytes, streaming them in the page, 2,045 bytes, the typed worker protocol with receipts in the progress line, 806 bytes, red team 5's bounded line reader with the page comparing its passes over a file, net of base64ct leaving the wasm, 274 bytes, red team 6's fixes with the core spelling out unassigned default-ignorables, 177 bytes, and red team 6's \"at least\" counts (after either limit) and role check, 215 bytes; then down 2,200 bytes by a size pass: 242,783; red team 7's certificate fix, 17 bytes: 242,800; red team 7's JWK alg and x5c holding for every copy of a key, 1,430 bytes: 244,230; red team 8's and review 9's fixes, 2,097 bytes: 246,327; red team 8's batch customers and row counts, 1,100 bytes: 247,427; review 9's narrowed-window message, 509 bytes: 247,936; red team 9's unreadable ts, 350 bytes, then wasm-opt's flags of a size pass, 3,660 bytes less: 244,626; red team 10's leap-second fraction, 56 bytes: 244,682; red team 11's fixes, 25 bytes less: 244,657; a Key Vault exp written 1900000000.0 read, 44 bytes: 244,701; issue 10's one-pass receipt reader, 1,850 bytes: 246,551; a certificate serial shown as openssl prints it, 204 bytes: 246,755; the receipt reader's fields pass building no receipt, 110 bytes: 246,865; a certificate serial that is not a DER INTEGER refused, 25 bytes: 246,890; red teams 13 to 15: 248,426; red team 17 (a receipt's key found by lookup, a member's name counted in the value budget, a document that does not parse parsed once), 1,926 bytes: 250,352)"
node -e '
  const s = JSON.parse(require("fs").readFileSync("dist/sizes.json", "utf8"));
  const kb = (n) => (n / 1024).toFixed(1) + " KB";
  console.log(`page ${kb(s.page)} (budget 358,400 bytes), embed ${kb(s.embed)} (budget 250,352 bytes)`);
  if (s.page > 358400) { console.error("the page is over its 358,400-byte budget"); process.exit(1); }
  if (s.embed > 250352) { console.error("the embed is over its 250,352-byte budget"); process.exit(1); }
'

# A free port for the end-to-end server (tests/e2e/playwright.config.mjs), so that a second
# run on the same machine does not find 4517 taken.
E2E_PORT="${E2E_PORT:-$(node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')}"
export E2E_PORT
run_suite "tests: the page and the embed end to end in Chromium (Playwright, axe-core, screenshots)" \
  bash -c 'cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npx --no-install playwright test -c playwright.config.mjs'

summary
