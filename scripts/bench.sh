#!/usr/bin/env bash
# Benchmarks, not tests (scripts/test.sh never runs this): builds the release CLI,
# generates the big deterministic sets once into target/bench-data/ (kept between runs),
# measures our CLI and its peers in the same run, and prints one markdown table
# "work | ours | peer | ratio". A ratio above 1 means ours is faster than the peer.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

TARGET="${CARGO_TARGET_DIR:-target}"
DATA="$TARGET/bench-data"
RECEIPT="$TARGET/release/receipt"
ROWS=1000000
YEAR=525600
SAMPLE=50000
CORES="$(nproc)"
# Bump when the generator's output changes, so a cached set is rebuilt.
DATA_VERSION=1

step "tools"
# `time` is a shell keyword, so look for the GNU program by its path.
ensure_debian_packages openssl:openssl sha256sum:coreutils /usr/bin/time:time
ensure_openssl_dev

step "build the release CLI"
cargo build -p receipt-cli --release --locked --quiet

# ---- data ---------------------------------------------------------------------------
stamp="data v$DATA_VERSION rows=$ROWS receipts=$YEAR sample=$SAMPLE"
# Every file too: a set whose export was deleted to free disk is generated again.
have_data() {
  [ -f "$DATA/complete" ] && [ "$(cat "$DATA/complete")" = "$stamp" ] || return 1
  local f
  for f in jwks.json rows.jsonl rows-receipts.jsonl receipts.jsonl "receipts-$SAMPLE.jsonl"; do
    [ -s "$DATA/$f" ] || return 1
  done
}
if have_data; then
  step "data: cached in $DATA"
else
  step "data: generate $ROWS rows and $YEAR receipts into $DATA (once)"
  rm -rf "$DATA"
  "$RECEIPT" demo --out "$DATA" --rows "$ROWS" --receipts "$YEAR"
  # A prefix of a chain is a chain: the first receipts are the 50,000-receipt sample.
  head -n "$SAMPLE" "$DATA/receipts.jsonl" >"$DATA/receipts-$SAMPLE.jsonl"
  echo "$stamp" >"$DATA/complete"
fi

# ---- measuring helpers ----------------------------------------------------------------
# run_timed OUT CMD...: run CMD (stdout to /dev/null), set SECS (wall) and RSS_MB (peak).
# The exit code must be 0 (verified); anything else stops the benchmark.
run_timed() {
  local log="$DATA/.time.log"
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -f '%M' -o "$log" "$@" >/dev/null
  t1=$(date +%s%N)
  SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  RSS_MB=$(awk '{ v = $1 } END { printf "%.0f", v / 1024 }' "$log")
}

# best_of N CMD...: the fastest of N runs (the first also warms the page cache).
best_of() {
  local n=$1 best="" best_rss=""
  shift
  for _ in $(seq "$n"); do
    run_timed "$@"
    if [ -z "$best" ] || awk -v a="$SECS" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$SECS
      best_rss=$RSS_MB
    fi
  done
  SECS=$best
  RSS_MB=$best_rss
}

# openssl speed's verify/s for RSA-2048 (the last column of its summary line).
openssl_verify_rate() {
  openssl speed -seconds 3 "$@" rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ { v = $NF } END { print v }'
}

# 1234567.8 -> 1,234,568
fmt() {
  awk -v x="$1" 'BEGIN { s = sprintf("%.0f", x); t = "";
    while (length(s) > 3) { t = "," substr(s, length(s) - 2) t; s = substr(s, 1, length(s) - 3) }
    print s t }'
}
fmt2() { awk -v x="$1" 'BEGIN { printf "%.2f", x }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

ROWS_TABLE=()
row() { ROWS_TABLE+=("| $1 | $2 | $3 | $4 |"); }

# The backends the CLI offers: the default first, then any other `--backend` value.
backends() {
  if "$RECEIPT" verify --help | grep -q -- '--backend'; then
    echo "native rustcrypto"
  else
    echo "default"
  fi
}

backend_args() { [ "$1" = default ] && return 0; echo "--backend $1"; }

# ---- native rows ----------------------------------------------------------------------
native_rows() {
  step "peers: openssl speed rsa2048 (one core, then -multi $CORES), sha256sum"
  local one multi sha
  one=$(openssl_verify_rate)
  multi=$(openssl_verify_rate -multi "$CORES")
  local export_mb
  export_mb=$(awk -v b="$(stat -c %s "$DATA/rows.jsonl")" 'BEGIN { printf "%.0f", b / 1e6 }')
  best_of 3 sha256sum "$DATA/rows.jsonl"
  sha=$SECS

  for b in $(backends); do
    # shellcheck disable=SC2046 # backend_args is empty or two words
    local args=($(backend_args "$b")) label="CLI"
    [ "$b" = default ] || label="CLI, $b backend"

    step "$label: $SAMPLE receipts"
    best_of 3 "$RECEIPT" verify "${args[@]}" --key "$DATA/jwks.json" "$DATA/receipts-$SAMPLE.jsonl"
    local rate
    rate=$(awk -v n="$SAMPLE" -v s="$SECS" 'BEGIN { print n / s }')
    row "RS256, $(fmt $SAMPLE) receipts, $label, end to end" "$(fmt "$rate")/s" \
      "\`openssl speed rsa2048\` verify, 1 core: $(fmt "$one")/s" "$(ratio "$rate" "$one")"
    row "RS256, $(fmt $SAMPLE) receipts, $label, end to end" "$(fmt "$rate")/s" \
      "\`openssl speed -multi $CORES rsa2048\` verify: $(fmt "$multi")/s" "$(ratio "$rate" "$multi")"

    step "$label: $YEAR receipts (a year)"
    run_timed "$RECEIPT" verify "${args[@]}" --key "$DATA/jwks.json" "$DATA/receipts.jsonl"
    local year_secs=$SECS year_rss=$RSS_MB peer_secs
    peer_secs=$(awk -v n="$YEAR" -v r="$multi" 'BEGIN { print n / r }')
    row "RS256, $(fmt $YEAR) receipts (a year), $label, end to end" "$(fmt2 "$year_secs") s" \
      "$(fmt $YEAR) verifies at the \`-multi $CORES\` rate: $(fmt2 "$peer_secs") s" "$(ratio "$peer_secs" "$year_secs")"

    step "$label: $ROWS-row export with its receipts"
    best_of 3 "$RECEIPT" verify "${args[@]}" --key "$DATA/jwks.json" --rows "$DATA/rows.jsonl" "$DATA/rows-receipts.jsonl"
    local rows_secs=$SECS rows_rss=$RSS_MB
    row "$(fmt $ROWS)-row export ($export_mb MB, sealed every 1,000 rows), $label" "$(fmt2 "$rows_secs") s" \
      "\`sha256sum\` of the same file: $(fmt2 "$sha") s" "$(ratio "$sha" "$rows_secs")"

    row "$label peak RSS: $(fmt $YEAR) receipts / $(fmt $ROWS) rows" "$year_rss MB / $rows_rss MB" "–" "–"
  done
}

# ---- browser rows ---------------------------------------------------------------------
# BROWSER ROWS GO HERE (the lead adds them): drive the real page in headless Chromium
# through $DATA/rows.jsonl and $DATA/receipts.jsonl, measure WebCrypto `verify` and
# `digest` over the same work in the same browser, peak WASM memory per worker and the
# gzipped sizes, and add each result with `row "work" "ours" "peer" "ratio"`.
browser_rows() {
  step "the page (headless Chromium): build dist/ (scripts/web.sh), then tests/bench/page.mjs"
  ensure_chromium
  bash scripts/web.sh >/dev/null
  local out
  out=$(node tests/bench/page.mjs "$DATA")
  while IFS= read -r line; do
    case "$line" in "| "*) ROWS_TABLE+=("$line") ;; esac
  done <<<"$out"
  local sizes
  sizes=$(node -e 'const s = require("./dist/sizes.json"); console.log(`page ${s.page}, embed ${s.embed}, verifier wasm ${s.verifierWasm}`)')
  row "gzipped sizes (bytes)" "$sizes" "budgets: page 358,400, embed 250,352, pkg 197,534" "–"
}

native_rows
browser_rows

step "results ($(date -u +%Y-%m-%d), $CORES cores, $(. /etc/os-release && echo "$PRETTY_NAME"), $(openssl version | cut -d' ' -f1-2))"
echo
echo "| work | ours | peer | ratio |"
echo "| --- | --- | --- | --- |"
printf '%s\n' "${ROWS_TABLE[@]}"
