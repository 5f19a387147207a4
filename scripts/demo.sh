#!/usr/bin/env bash
# The README's "run" command: builds the trust-center page with the built-in demo vendor
# and demo receipts, and serves it at a printed http://127.0.0.1:PORT: 8080, or a free
# port when 8080 is taken (PORT=n forces one). Idempotent and non-interactive; installs
# what is missing. Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

bash scripts/web.sh

step "serving the trust-center page (the embed example is under /embed/)"
if [ -n "${PORT:-}" ]; then exec node scripts/serve.mjs dist "$PORT"; else exec node scripts/serve.mjs dist; fi
