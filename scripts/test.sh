#!/usr/bin/env bash
# The test command behind `make test`. Exit code 5 (no tests collected) counts as a failure:
# a suite that ran nothing has proven nothing.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p artifacts
.venv/bin/pytest -p no:cacheprovider "$@"
status=$?
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests" >&2
fi
exit "$status"
