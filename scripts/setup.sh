#!/usr/bin/env bash
# Set up sgbot on a fresh machine and run the demo: a virtualenv, CPU torch (installed first:
# plain `torch` would pull a multi-GB CUDA build), the package with its test tools, then ingest
# the fictional sample partnership, answer a sample question and open the terminal chat.
#
#   bash scripts/setup.sh            # set up + demo (chat opens when run in a terminal)
#   bash scripts/setup.sh --no-demo  # set up only (CI)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet torch==2.13.0
.venv/bin/python -m pip install --quiet -c constraints.txt -e ".[dev]"

if [ "${1:-}" = "--no-demo" ]; then
  exit 0
fi

export SGBOT_DATA_DIR=${SGBOT_DATA_DIR:-data}
echo "== Ingesting the sample partnership's documents into $SGBOT_DATA_DIR"
.venv/bin/sgbot ingest samples/
echo "== Asking a sample question"
.venv/bin/sgbot ask "Who chairs the Safeguarding Practice Review Group?"
chat=".venv/bin/sgbot chat"
if [ "$SGBOT_DATA_DIR" != "data" ]; then
  chat="SGBOT_DATA_DIR=$SGBOT_DATA_DIR $chat"
fi
if [ -t 0 ] && [ -t 1 ]; then
  echo "== Opening the chat (type 'quit' to leave)"
  .venv/bin/sgbot chat
else
  # piped output or no keyboard (CI, `| tee`, `</dev/null`): the chat would read nothing
  echo "== Not opening the chat: this is not an interactive terminal."
  echo "   To chat, run in a terminal:  cd $(pwd) && $chat"
fi
