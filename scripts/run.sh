#!/usr/bin/env bash
# Sets up and runs Fuzhi Event Desk.
#   bash scripts/run.sh            the desktop window (opens the demo event on first start)
#   bash scripts/run.sh serve      the same app in a browser: open the link it prints (http://127.0.0.1:8787/?k=…)
# Extra arguments go to the program (an event file for the window; flags for serve).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="/usr/local/go/bin:$PATH"
case "${LC_ALL:-${LANG:-}}" in *UTF-8*|*utf8*) ;; *) export LANG=C.UTF-8 ;; esac

echo "==> building the frontend"
(cd frontend && npm run build --silent)

if [ "${1:-}" = "serve" ]; then
  shift
  go build -o bin/fuzhi ./cmd/fuzhi
  exec ./bin/fuzhi serve "$@"
fi

echo "==> building the desktop app"
go tool wails build -tags webkit2_41 -skipbindings -s -m >/dev/null
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display here: the window would have nowhere to open."
  echo "Use 'bash scripts/run.sh serve' and open the link it prints in a browser,"
  echo "or run under a virtual display: xvfb-run -a build/bin/fuzhi-desk"
  exit 1
fi
exec ./build/bin/fuzhi-desk "$@"
