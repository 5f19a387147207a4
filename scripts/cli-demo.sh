#!/usr/bin/env bash
# The CLI tour: build the `receipt` CLI and verify the
# committed demo set, the good files and each tampered example. Idempotent and
# non-interactive.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

step "build the receipt CLI (release, --locked)"
cargo build --release --locked -p receipt-cli --quiet
receipt=target/release/receipt

step "receipt verify: the demo chain, its 300 rows and two wave approvals"
"$receipt" verify --key examples/jwks.json --rows examples/rows.jsonl examples/receipts.jsonl examples/approvals.json

expect_failure() {
  step "receipt verify: $1 (must NOT verify)"
  shift
  if "$receipt" verify "$@"; then
    echo "a tampered example verified; this is a bug" >&2
    exit 1
  fi
}
expect_failure "a receipt edited after signing" --key examples/jwks.json examples/tampered/receipt-edited.json
expect_failure "a chain with a receipt removed" --key examples/jwks.json examples/tampered/receipts-removed.jsonl
expect_failure "a row deleted and every later row re-hashed" \
  --key examples/jwks.json --rows examples/tampered/rows-deleted-rehashed.jsonl examples/receipts.jsonl
expect_failure "a self-approved 250-device wave" --key examples/jwks.json examples/tampered/approval-self-approved.json

step "done: the demo set verifies and every tampered example is caught"
