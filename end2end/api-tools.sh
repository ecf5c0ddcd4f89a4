#!/usr/bin/env bash
# Installs the Python tools of end2end/requirements.txt into target/api-tools-venv (once, and
# again when the list changes) and prints the venv's folder.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=target/api-tools-venv
STAMP=$VENV/.requirements
if ! cmp -s end2end/requirements.txt "$STAMP" 2>/dev/null; then
  echo "== installing the API tools (schemathesis, openapi-spec-validator)" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q -r end2end/requirements.txt >&2
  cp end2end/requirements.txt "$STAMP"
fi
echo "$VENV"
