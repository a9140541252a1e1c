#!/usr/bin/env bash
# Rewrite constraints.txt from the set-up virtualenv after changing pyproject.toml's dependencies
# (install them first: .venv/bin/python -m pip install -e ".[dev]"), then run the tests and
# the quality bench before committing: a new version can change passages and answers.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  echo "# Versions every install uses (scripts/setup.sh, the Dockerfile), so the same code gives the"
  echo "# same passages and answers on every machine; torch is pinned on its own (its CPU build)."
  echo "# Written by scripts/lock.sh: do not edit by hand."
  .venv/bin/python -m pip freeze --exclude-editable | grep -v '^torch=='
} > constraints.txt
echo "constraints.txt: $(grep -vc '^#' constraints.txt) packages"
