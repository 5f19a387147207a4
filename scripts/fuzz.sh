#!/usr/bin/env bash
# Fuzzing (issue 9 §5): cargo-fuzz targets in fuzz/ against the public API of crates/verify.
#
#   bash scripts/fuzz.sh brief            each target for a fixed number of runs; fails on any crash
#   bash scripts/fuzz.sh long [SECONDS [TARGET...]]
#                                         each (or each named) target for SECONDS (default 600), one at a
#                                         time, one job; prints executions and crashes per target in a table
#                                         (the rows of earlier long runs of other targets are kept).
#                                         FUZZ_RUNS=N stops a target after N executions; FUZZ_MAX_LEN=N
#                                         overrides the largest input; FUZZ_KEEP_SEEDS=1 keeps fuzz/seeds/
#                                         (for a second long run beside a first, one per core).
#   bash scripts/fuzz.sh seed             only (re)build the seed corpora in fuzz/seeds/
#
# Installs cargo-fuzz 0.13.2 (and a nightly toolchain) if missing. Non-interactive and idempotent.
# Seeds come from examples/, tests/bad-inputs/ (if present) and ../shared/vectors (if present);
# they are derived at run time into fuzz/seeds/ (git-ignored). Every crash input is kept in
# fuzz/regressions/<target>/ (committed), and every run replays those first.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
FUZZ=$ROOT/fuzz
SHARED=$ROOT/../shared/vectors
MODE=${1:-brief}
LONG_SECONDS=${2:-600}

TARGETS=(parse_receipts parse_keys number_rule verify_invariant rows_chunking row_fast_path rows_ranges receipts_streamed receipt_fast_path)
# `long SECONDS TARGET...` runs only the named targets.
LONG_TARGETS=("${@:3}")
[ ${#LONG_TARGETS[@]} -gt 0 ] || LONG_TARGETS=("${TARGETS[@]}")
# Per target: runs in a brief run, the largest input, the dictionary.
declare -A RUNS=([parse_receipts]=30000 [parse_keys]=30000 [number_rule]=60000 [verify_invariant]=3000 [rows_chunking]=4000 [row_fast_path]=60000 [rows_ranges]=1500 [receipts_streamed]=1500 [receipt_fast_path]=60000)
declare -A MAX_LEN=([parse_receipts]=16384 [parse_keys]=8192 [number_rule]=256 [verify_invariant]=20000 [rows_chunking]=20000 [row_fast_path]=1024 [rows_ranges]=20000 [receipts_streamed]=16384 [receipt_fast_path]=2048)
declare -A DICT=([parse_receipts]=json.dict [parse_keys]=json.dict [number_rule]=numbers.dict [verify_invariant]=json.dict [rows_chunking]=json.dict [row_fast_path]=json.dict [rows_ranges]=json.dict [receipts_streamed]=json.dict [receipt_fast_path]=json.dict)

HOST=$(rustc -vV | sed -n 's/^host: //p')
say() { printf '[fuzz] %s\n' "$*" >&2; }

# ---- tools -------------------------------------------------------------------------------
ensure_tools() {
  if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    say "installing the nightly toolchain (rustup, minimal profile)"
    rustup toolchain install nightly --profile minimal --no-self-update
  fi
  if ! cargo fuzz --version >/dev/null 2>&1; then
    say "installing cargo-fuzz 0.13.2"
    cargo install cargo-fuzz --locked --version 0.13.2
  fi
  # The fuzz crate's own lock file is committed; refuse to change it silently.
  cargo +nightly fetch --locked --manifest-path "$FUZZ/Cargo.toml" >/dev/null
}

# ---- seeds -------------------------------------------------------------------------------
# Content-addressed file names, so re-seeding is idempotent.
# put TARGET [MAX_BYTES] < bytes   (cuts here, not with head in a pipe: SIGPIPE + pipefail)
put() {
  local tmp sum
  tmp=$(mktemp)
  if [ -n "${2:-}" ]; then
    cat >"$tmp.all"
    head -c "$2" "$tmp.all" >"$tmp"
    rm -f "$tmp.all"
  else
    cat >"$tmp"
  fi
  if [ -s "$tmp" ]; then
    sum=$(sha1sum "$tmp" | cut -c1-16)
    mv "$tmp" "$FUZZ/seeds/$1/$sum"
  else
    rm -f "$tmp"
  fi
}
unhex() { perl -ne 'chomp; print pack("H*", $_)'; }
# Every value of a string member named $1 in JSON file $2 (Wycheproof puts each on one line).
members() { grep -o "\"$1\" *: *\"[^\"]*\"" "$2" | sed 's/^[^:]*: *"//; s/"$//' | sort -u; }

seed() {
  rm -rf "$FUZZ/seeds"
  local t f n
  for t in "${TARGETS[@]}"; do mkdir -p "$FUZZ/seeds/$t"; done
  local ex=$ROOT/examples rows_head rows_mid
  rows_head=$(mktemp) rows_mid=$(mktemp)
  head -n 40 "$ex/rows.jsonl" >"$rows_head"
  sed -n '40,60p' "$ex/rows.jsonl" >"$rows_mid"

  # parse_receipts: every example, tampered example and bad input, plus the RFC 8785 inputs.
  for f in "$ex"/receipts.jsonl "$ex"/approvals.json "$ex"/jwks.json "$rows_head" "$ex"/tampered/*; do
    put parse_receipts 16384 <"$f"
  done
  head -n 2 "$ex/receipts.jsonl" | sed -n 2p | put parse_receipts
  { printf '['; paste -sd, "$ex/receipts.jsonl"; printf ']'; } | put parse_receipts
  { printf '\xef\xbb\xbf'; head -n 3 "$ex/receipts.jsonl"; } | put parse_receipts
  head -n 3 "$ex/receipts.jsonl" | sed 's/$/\r/' | put parse_receipts
  if [ -d "$SHARED/jcs" ]; then
    for f in "$SHARED"/jcs/input/*.json "$SHARED"/jcs/output/*.json; do put parse_receipts <"$f"; done
  fi

  # parse_keys: the demo keys (JWKS, one JWK, PEM), and the Wycheproof keys as PEM, SPKI DER,
  # PKCS#1 DER and JWK.
  put parse_keys <"$ex/jwks.json"
  put parse_keys <"$ex/audit-key.pub.pem"
  put parse_keys <"$ex/audit-key.pem"
  if command -v jq >/dev/null; then jq -c '.keys[0]' "$ex/jwks.json" | put parse_keys; fi
  if [ -d "$SHARED/wycheproof/testvectors_v1" ]; then
    for f in "$SHARED"/wycheproof/testvectors_v1/*.json; do
      n=0
      while read -r hex && [ $n -lt 6 ]; do printf '%s' "$hex" | unhex | put parse_keys; n=$((n + 1)); done < <(members publicKeyDer "$f")
      n=0
      while read -r hex && [ $n -lt 3 ]; do printf '%s' "$hex" | unhex | put parse_keys; n=$((n + 1)); done < <(members publicKeyAsn "$f")
      n=0
      while read -r pem && [ $n -lt 3 ]; do printf '%b' "$pem" | put parse_keys; n=$((n + 1)); done < <(members publicKeyPem "$f")
      if command -v jq >/dev/null; then
        jq -c '[.testGroups[] | (.keyJwk // .publicKeyJwk // empty)] | .[:3][]' "$f" | while read -r jwk; do
          printf '%s' "$jwk" | put parse_keys
        done || true
      fi
    done
  fi

  # number_rule: the issue's cases, branch boundaries of the ECMAScript serialisation, and
  # the numbers in the RFC 8785 test data.
  for n in 0 -0 0.1 1.0 1E2 1e21 1e+21 1e-7 0.000001 5e-324 2e-324 1e-400 1e400 1.7976931348623157e308 \
    1.7976931348623159e308 18446744073709551616 18446744073709551617 9007199254740992 9007199254740993.0 \
    1152921504606846976 333333333.33333329 100000000000000000000 295147905179352825856 -1.5e-7 \
    0.30000000000000004 4.35 123456789012345678901234567890e-30; do
    printf '%s' "$n" | put number_rule
  done
  if [ -d "$SHARED/jcs" ]; then
    grep -ohE -- '-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?' "$SHARED/jcs/input/values.json" "$SHARED/jcs/input/arrays.json" |
      sort -u | while read -r n; do printf '%s' "$n" | put number_rule; done || true
    cut -d, -f2 "$SHARED/jcs/numbers/es6_numbers_sample.csv" | while read -r n; do printf '%s' "$n" | put number_rule; done
  fi

  # receipts_streamed: [control 0xFF] receipt file: the demo chain and approvals, tampered
  # examples, rows among receipts, CRLF, and small chunkings with a round left out.
  for f in "$ex"/receipts.jsonl "$ex"/approvals.json "$ex"/tampered/*; do put receipts_streamed 16384 <"$f"; done
  { printf '\x00\x01\x01\x05\x00\x21\xff'; cat "$ex/receipts.jsonl"; } | put receipts_streamed 16384
  { printf '\x02\x03\x40\xff'; head -n 3 "$ex/receipts.jsonl" | sed 's/$/\r/'; head -n 2 "$rows_head"; } | put receipts_streamed

  # verify_invariant: receipts [0xFF approvals [0xFF rows]]: the demo set whole and in parts,
  # the tampered examples, and empty parts.
  local sep
  sep=$(mktemp)
  printf '\xff' >"$sep"
  put verify_invariant <"$ex/receipts.jsonl"
  cat "$ex/receipts.jsonl" "$sep" "$ex/approvals.json" | put verify_invariant
  cat "$ex/receipts.jsonl" "$sep" "$ex/approvals.json" "$sep" "$rows_head" | put verify_invariant
  cat "$ex/receipts.jsonl" "$sep" "$sep" "$rows_mid" | put verify_invariant
  head -n 1 "$ex/receipts.jsonl" | put verify_invariant
  cat "$sep" "$ex/approvals.json" | put verify_invariant
  for f in "$ex"/tampered/*; do
    case $f in
    *rows*) cat "$ex/receipts.jsonl" "$sep" "$sep" "$f" | put verify_invariant 20000 ;;
    *approval*) cat "$ex/receipts.jsonl" "$sep" "$f" | put verify_invariant ;;
    *) put verify_invariant <"$f" ;;
    esac
  done

  # rows_chunking: [chunk lengths 0xFF] rows, with LF, CRLF, a BOM, a cut last line.
  put rows_chunking <"$rows_head"
  cat "$sep" "$rows_mid" | put rows_chunking
  { printf '\x01\x00\x05\x40'; cat "$sep" "$rows_head"; } | put rows_chunking
  { printf '\x03'; cat "$sep"; sed 's/$/\r/' "$rows_mid"; } | put rows_chunking
  { printf '\x07\x02'; cat "$sep"; printf '\xef\xbb\xbf'; cat "$rows_mid"; } | put rows_chunking 3000
  for f in "$ex"/tampered/rows*; do put rows_chunking 20000 <"$f"; done

  # rows_ranges: [cut selectors 0xFF] rows, the same exports as rows_chunking.
  put rows_ranges <"$rows_head"
  { printf '\x10\x80\xf0'; cat "$sep" "$rows_mid"; } | put rows_ranges
  { printf '\x01\x01\x40'; cat "$sep"; sed 's/$/\r/' "$rows_mid"; } | put rows_ranges
  for f in "$ex"/tampered/rows*; do { printf '\x20\x60\xa0'; cat "$sep"; head -c 20000 "$f"; } | put rows_ranges; done

  # row_fast_path: single row lines, honest and tampered (one seed per distinct line).
  while IFS= read -r line; do printf '%s' "$line" | put row_fast_path; done < <(head -n 40 "$ex/rows.jsonl"; for f in "$ex"/tampered/rows*; do head -n 5 "$f"; done)

  # receipt_fast_path: single receipt lines, honest and tampered (one seed per distinct line).
  while IFS= read -r line; do printf '%s' "$line" | put receipt_fast_path; done < <(cat "$ex/receipts.jsonl" "$ex"/tampered/receipts*.jsonl)

  # Bad inputs (tests/bad-inputs/, when present): every file seeds the parsers and the whole engine.
  if [ -d "$ROOT/tests/bad-inputs" ]; then
    while IFS= read -r -d '' f; do
      put parse_receipts 16384 <"$f"
      put parse_keys 8192 <"$f"
      put verify_invariant 20000 <"$f"
    done < <(find "$ROOT/tests/bad-inputs" -type f -size -1M -print0)
  fi
  rm -f "$rows_head" "$rows_mid" "$sep"
  for t in "${TARGETS[@]}"; do say "seeds for $t: $(find "$FUZZ/seeds/$t" -type f | wc -l) files"; done
}

# ---- runs --------------------------------------------------------------------------------
build() {
  say "building the fuzz targets (nightly, release with debug assertions, no sanitizer)"
  (cd "$ROOT" && cargo +nightly fuzz build --sanitizer none)
}

# Copy the crash inputs a run of target $1 wrote (newer than stamp file $2) from fuzz/artifacts/
# into fuzz/regressions/, leaving out any whose bytes a regression already has. Keeps the 5
# smallest of one run: a known crash can recur hundreds of times in a long run.
keep_crashes() {
  local t=$1 stamp=$2 dir=$FUZZ/artifacts/$1 f n=0 known
  mkdir -p "$FUZZ/regressions/$t"
  [ -d "$dir" ] || return 0
  known=$(find "$FUZZ/regressions/$t" -type f -exec sha1sum {} + | cut -d' ' -f1)
  while IFS= read -r f; do
    [ -n "$f" ] || continue
    if ! grep -qx "$(sha1sum "$f" | cut -d' ' -f1)" <<<"$known" && [ $n -lt 5 ]; then
      cp "$f" "$FUZZ/regressions/$t/"
      say "$t: new regression input fuzz/regressions/$t/$(basename "$f")"
      known+=$'\n'$(sha1sum "$f" | cut -d' ' -f1)
      n=$((n + 1))
    fi
  done < <(find "$dir" -type f -newer "$stamp" \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \) -printf '%s %p\n' | sort -n | cut -d' ' -f2-)
}

count_crashes() { # crash inputs libFuzzer has written for target $1
  if [ -d "$FUZZ/artifacts/$1" ]; then find "$FUZZ/artifacts/$1" -type f -name 'crash-*' | wc -l; else echo 0; fi
}

# libFuzzer options shared by both modes.
common_flags() { # common_flags TARGET [MAX_LEN]
  local t=$1 max=${2:-}
  echo "-max_len=${max:-${MAX_LEN[$t]}} -dict=$FUZZ/dicts/${DICT[$t]} -timeout=20 -rss_limit_mb=2048 -print_final_stats=1"
}

run_brief() {
  local t failed=() work log
  work=$(mktemp -d)
  for t in "${TARGETS[@]}"; do
    mkdir -p "$work/$t" "$FUZZ/regressions/$t"
    log=$work/$t.log
    touch "$work/$t.stamp"
    say "$t: replaying $(find "$FUZZ/regressions/$t" -type f | wc -l) regression inputs, then ${RUNS[$t]} runs"
    # shellcheck disable=SC2046
    if (cd "$ROOT" && cargo +nightly fuzz run --sanitizer none "$t" "$work/$t" "$FUZZ/seeds/$t" "$FUZZ/regressions/$t" -- \
      -runs="${RUNS[$t]}" -seed=1 $(common_flags "$t")) >"$log" 2>&1; then
      say "$t: ok ($(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' || echo '?') executions)"
    else
      grep -m1 -B2 -A12 -E "panicked at|==ERROR|deadly signal|ERROR: libFuzzer" "$log" >&2 || tail -n 30 "$log" >&2
      failed+=("$t")
      keep_crashes "$t" "$work/$t.stamp"
    fi
  done
  rm -rf "$work"
  if [ ${#failed[@]} -gt 0 ]; then
    say "FAILED: ${failed[*]} (inputs in fuzz/artifacts/<target>/ and fuzz/regressions/<target>/)"
    exit 1
  fi
  say "all ${#TARGETS[@]} targets passed their brief run"
}

run_long() {
  local t log execs crashes start row
  mkdir -p "$FUZZ/logs"
  for t in "${LONG_TARGETS[@]}"; do
    mkdir -p "$FUZZ/corpus/$t" "$FUZZ/regressions/$t"
    log=$FUZZ/logs/$t.log
    touch "$FUZZ/logs/$t.stamp"
    start=$(count_crashes "$t")
    say "$t: fuzzing for $LONG_SECONDS s or ${FUZZ_RUNS:-unlimited} executions (one job; a crash is kept and the run goes on)"
    # -fork=1 runs one child at a time and starts a new one after a crash, so a known crash
    # does not end the run; the parent's last "#N:" line counts every execution. The
    # regressions are left out: the brief run replays them, and they would crash every child.
    # shellcheck disable=SC2046
    # The built binary is called directly: `cargo fuzz run` would re-run every crash input
    # afterwards to print it, which takes minutes when a known crash recurs hundreds of times.
    mkdir -p "$FUZZ/artifacts/$t"
    (cd "$ROOT" && "$FUZZ/target/$HOST/release/$t" -artifact_prefix="$FUZZ/artifacts/$t/" "$FUZZ/corpus/$t" "$FUZZ/seeds/$t" \
      -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -max_total_time="$LONG_SECONDS" \
      -runs="${FUZZ_RUNS:--1}" $(common_flags "$t" "${FUZZ_MAX_LEN:-}")) >"$log" 2>&1 || true
    execs=$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#' || true)
    crashes=$(($(count_crashes "$t") - start))
    row="| $t | $(date -u +%Y-%m-%d) | $(grep -oE 'time: [0-9]+s' "$log" | tail -n 1 | grep -oE '[0-9]+' || true) | ${FUZZ_MAX_LEN:-${MAX_LEN[$t]}} | ${execs:-?} | $crashes |"
    echo "$row" >"$FUZZ/logs/$t.row"
    say "$t: ${execs:-?} executions, $crashes new crash inputs"
    keep_crashes "$t" "$FUZZ/logs/$t.stamp"
  done
  echo
  echo "Machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "| target | date | seconds | max input bytes | executions | crash inputs |"
  echo "| --- | --- | ---: | ---: | ---: | ---: |"
  for t in "${TARGETS[@]}"; do cat "$FUZZ/logs/$t.row" 2>/dev/null || true; done
}

case "$MODE" in
brief)
  ensure_tools
  seed
  build
  run_brief
  ;;
long)
  ensure_tools
  # FUZZ_KEEP_SEEDS=1 reuses fuzz/seeds/ as they are: a second long run beside a first
  # (one per core) must not remove the seeds the first one's children read.
  if [ "${FUZZ_KEEP_SEEDS:-}" = 1 ] && [ -d "$FUZZ/seeds" ]; then say "keeping fuzz/seeds/ as they are"; else seed; fi
  build
  run_long
  ;;
seed) seed ;;
*)
  echo "usage: bash scripts/fuzz.sh brief | long [SECONDS] | seed" >&2
  exit 2
  ;;
esac
