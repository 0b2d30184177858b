#!/usr/bin/env bash
# Installs everything Fuzhi Event Desk needs to build, run and test on Debian 12
# (as root, or with sudo): Debian packages, Go and Node when missing or too
# old, the Go modules and the frontend's npm packages. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

GO_MIN=1.26
NODE_MIN=20.19
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

apt_packages=(
  build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev   # the desktop window (Wails, webkit2_41)
  xvfb xauth xdotool imagemagick                                  # the real-window smoke test
  chromium                                                        # browser tests (playwright-core drives it)
  poppler-utils                                                   # looking at PDFs as PNG
  postgresql                                                      # the reference national platform's database (tests)
  fonts-wqy-microhei                                              # a Chinese UI font for the window and browser
  ca-certificates curl git
)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

export PATH="/usr/local/go/bin:$HOME/go/bin:$PATH"
if ! command -v go >/dev/null || ! version_ge "$(go env GOVERSION | sed 's/^go//')" "$GO_MIN"; then
  echo "==> installing Go $GO_MIN (Debian's is too old)"
  curl -fsSL "https://go.dev/dl/go1.26.8.linux-amd64.tar.gz" | $SUDO tar -C /usr/local -xz
fi
if ! command -v node >/dev/null || ! version_ge "$(node -v | sed 's/^v//')" "$NODE_MIN"; then
  echo "==> installing Node.js 22 (Debian's is too old for Vite)"
  curl -fsSL "https://nodejs.org/dist/v22.12.0/node-v22.12.0-linux-x64.tar.xz" | $SUDO tar -C /usr/local --strip-components=1 -xJ
fi

echo "==> go mod download"
go mod download
echo "==> npm install (frontend, from package-lock.json)"
(cd frontend && npm install --no-audit --no-fund --loglevel=error)
echo "==> setup done: $(go version | cut -d' ' -f3), node $(node -v)"
