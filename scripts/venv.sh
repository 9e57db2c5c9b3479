#!/usr/bin/env bash
# Create .venv and install the pinned requirements; reinstall only when they change.
#   scripts/venv.sh run   runtime packages (requirements.txt)
#   scripts/venv.sh dev   runtime + test tools (requirements-dev.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-dev}
req=requirements.txt
[ "$kind" = dev ] && req=requirements-dev.txt

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Ascend needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "==> Creating .venv"
  "$PYTHON" -m venv .venv || { echo "python3 -m venv failed: install the python3-venv package." >&2; exit 1; }
fi
stamp=".venv/.installed-$kind"
want=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
# The test tools come on top of the runtime set: a current dev install serves `run` too.
[ "$kind" = run ] && [ "$(cat .venv/.installed-dev 2>/dev/null)" = "$want" ] && exit 0
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "==> Installing $req"
  log=$(mktemp)
  if ! { .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip &&
         .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$req"; } >"$log" 2>&1; then
    grep -v "is ignored" "$log" >&2
    rm -f "$log"
    echo "Installing $req failed." >&2
    exit 1
  fi
  rm -f "$log"
  echo "$want" > "$stamp"
fi
