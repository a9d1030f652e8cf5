#!/usr/bin/env bash
# Installs what the tests need, idempotently, or fails saying what is missing:
# Go 1.23 (Debian bookworm-backports) for gofmt/go vet of golden files. The
# end-to-end editor is a separate prerequisite: scripts/e2e-setup.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
GO_BIN=/usr/lib/go-1.23/bin/go
if [ ! -x "$GO_BIN" ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "missing: Go 1.23 at $GO_BIN (install golang-1.23-go from Debian bookworm-backports as root)" >&2
    exit 1
  fi
  backports="$here/../shared/tools/apt-backports.sh"
  if [ -f "$backports" ]; then bash "$backports"; else
    echo "missing: ../shared/tools/apt-backports.sh to add bookworm-backports" >&2; exit 1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q golang-1.23-go >/dev/null
fi
"$GO_BIN" version
