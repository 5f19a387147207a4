#!/usr/bin/env bash
# The README's "run" command: builds the trust-center page with the built-in demo vendor
# and demo receipts, and serves it at a printed http://127.0.0.1:PORT (PORT=8080 by
# default; PORT=0 picks a free one). Idempotent and non-interactive; installs what is
# missing. Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

bash scripts/web.sh

step "serving the trust-center page (the embed example is under /embed/)"
exec node scripts/serve.mjs dist "${PORT:-8080}"
