#!/usr/bin/env bash
# Prints the path of the Temporal CLI (which embeds the Temporal server with SQLite persistence
# and the Web UI), building it from the Go module proxy the first time (a few minutes on 2 cores).
# The binary lives outside the checkout so every clone on the machine reuses it.
set -euo pipefail
VERSION="${TEMPORAL_CLI_VERSION:-v1.5.1}"
DIR="${DUEPROCESS_TOOLS_DIR:-$HOME/.cache/dueprocess}/temporal-cli-$VERSION"
BIN="$DIR/temporal"
if [ -n "${TEMPORAL_CLI:-}" ]; then echo "$TEMPORAL_CLI"; exit 0; fi
if [ ! -x "$BIN" ]; then
  command -v go >/dev/null || { echo "temporal-cli: Go is needed to build the Temporal CLI (see README)" >&2; exit 1; }
  echo "temporal-cli: building github.com/temporalio/cli/cmd/temporal@$VERSION into $DIR (first run only)" >&2
  mkdir -p "$DIR"
  GOBIN="$DIR" GOFLAGS=-buildvcs=false go install "github.com/temporalio/cli/cmd/temporal@$VERSION" >&2
fi
echo "$BIN"
