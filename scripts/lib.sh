# Shared helpers for scripts/*.sh: idempotent installers that skip what is present.

step() { printf '\n==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else
    echo "need root to run: $*" >&2; return 1; fi
}

# ensure_debian_packages cmd:package ...  installs package when cmd is missing.
ensure_debian_packages() {
  local missing=()
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing ${missing[*]} from Debian"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
}

# The headers and pkg-config file the `openssl` crate (the CLI's native backend and big
# demo sets) builds against. libssl-dev has no command to look for: ask pkg-config.
ensure_openssl_dev() {
  ensure_debian_packages pkg-config:pkg-config
  pkg-config --exists openssl 2>/dev/null || ensure_debian_packages "libssl-dev(missing):libssl-dev"
}

ensure_rust_components() {
  cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
  cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
}

ensure_wasm_target() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
}

# wasm-bindgen-cli must match the wasm-bindgen crate exactly (=0.2.130).
ensure_wasm_bindgen_cli() {
  if ! wasm-bindgen --version 2>/dev/null | grep -q ' 0.2.130'; then
    step "install wasm-bindgen-cli 0.2.130 (about 3 min, once)"
    cargo install wasm-bindgen-cli --version 0.2.130 --force
  fi
}

# npm packages from the committed package-lock.json (binaryen 132 for wasm-opt, …).
ensure_npm_tools() {
  # The stamp is a copy of the lock file that was installed; a changed lock reinstalls.
  if [ ! -x node_modules/.bin/wasm-opt ] || ! cmp -s package-lock.json node_modules/.receipt-installed-lock 2>/dev/null; then
    step "npm ci (from package-lock.json)"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json node_modules/.receipt-installed-lock
  fi
  export PATH="$PWD/node_modules/.bin:$PATH"
}

ensure_chromium() {
  ensure_debian_packages chromium:chromium chromedriver:chromium-driver
}

ensure_trunk() {
  # trunk 0.22 needs a newer rustc; 0.21.14 is the version checked on this machine.
  if ! trunk --version 2>/dev/null | grep -q '0.21.14'; then
    step "cargo install trunk 0.21.14 (about 9 min, once)"
    cargo install trunk --version 0.21.14 --locked --quiet
  fi
}

# wasm-opt in place, with the features rustc 1.95 emits for wasm32 (binaryen 132).
# Size pass (2026-12-04), pkg's wasm as pkg.sh measures it, each flag alone against -Oz
# (201,406 bytes):
# - --one-caller-inline-max-function-size=20: inline small functions that have one caller
#   (-7,410; with all four, 10 and 40 came out larger, 100 much larger);
# - --reorder-functions-by-name, run after optimising: like functions side by side, which
#   gzip compresses better (-1,567; the order changes no behaviour);
# - -Os rather than -Oz (-242), --strip-producers, the toolchain names nothing reads (-95).
# All four: 191,838 (-9,568). Not used: --low-memory-unused (-381 more) assumes no address
# below 1024 is reached by wrapping past 2^32; too little to take an assumption for.
wasm_opt_z() {
  wasm-opt -Os --one-caller-inline-max-function-size=20 \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    --strip-producers --reorder-functions-by-name "$1" -o "$1"
}
