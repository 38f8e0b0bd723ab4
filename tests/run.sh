#!/usr/bin/env bash
# Runs the whole suite. The integration tests start and stop their own services.
# pytest exits 5 when it collected no test: that is a broken suite here, never a pass.
set -uo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check . || exit 1
.venv/bin/pytest "$@"
status=$?
if [ "$status" -eq 5 ]; then
  echo "error: pytest collected no tests" >&2
  exit 1
fi
exit "$status"
