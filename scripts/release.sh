#!/usr/bin/env bash
# Builds what goes to the organizers' laptops, into dist/:
#   fuzhi-desk-VERSION-windows-amd64-setup.exe     the installer (build/windows/fuzhi.nsi)
#   fuzhi-desk-VERSION-windows-amd64-portable.zip  the same programs without installing
#   fuzhi-desk_VERSION_amd64.deb                   Debian/Ubuntu package
#   fuzhi-desk-VERSION-linux-amd64.tar.gz          the Linux programs in a folder
#   SHA256SUMS
# VERSION is wails.json's productVersion; the commit is stamped beside it
# (`fuzhi version`, the 关于 dialog). Windows programs and the installer are
# Authenticode-signed with osslsigncode when FUZHI_SIGN_CERT and FUZHI_SIGN_KEY
# (PEM files) are given. Run scripts/setup.sh first (CI does, through test.sh).
#   bash scripts/release.sh [--skip-frontend]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
case "${LC_ALL:-${LANG:-}}" in *UTF-8*|*utf8*) ;; *) export LANG=C.UTF-8 ;; esac

skip_frontend=0
[ "${1:-}" = "--skip-frontend" ] && skip_frontend=1

version=$(sed -n 's/.*"productVersion": *"\([^"]*\)".*/\1/p' wails.json)
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "wails.json productVersion must be X.Y.Z, not '$version'"; exit 1; }
commit=$(git rev-parse --short=12 HEAD)
[ -z "$(git status --porcelain --untracked-files=no)" ] || commit="$commit-dirty"
# Every file in the packages carries the commit's time, so two builds of one
# commit give the same archives.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
pkg=github.com/fuzhi/eventdesk/internal/buildinfo
ldflags="-s -w -X $pkg.Version=$version -X $pkg.Commit=$commit"

dist=$PWD/dist
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
rm -rf "$dist"; mkdir -p "$dist" "$stage/win" "$stage/linux"
t0=$SECONDS
step() { echo "==> $* ($((SECONDS - t0)) s)"; }

# sign FILE: Authenticode, in place, when a certificate is given.
sign() { bash scripts/sign-windows.sh "$1"; }

if [ "$skip_frontend" = 0 ]; then
  step "frontend build"
  (cd frontend && npm run build --silent)
fi

step "Windows: fuzhi-desk.exe (window) and fuzhi.exe (command line, serve, hub)"
go tool wails build -platform windows/amd64 -skipbindings -s -m -trimpath -ldflags "$ldflags" -o fuzhi-desk.exe > "$stage/wails-windows.log" 2>&1 || { cat "$stage/wails-windows.log"; exit 1; }
mv build/bin/fuzhi-desk.exe "$stage/win/fuzhi-desk.exe"
GOOS=windows GOARCH=amd64 go build -trimpath -ldflags "$ldflags" -o "$stage/win/fuzhi.exe" ./cmd/fuzhi
sign "$stage/win/fuzhi-desk.exe"
sign "$stage/win/fuzhi.exe"

step "Windows installer (NSIS)"
bootstrapper="$(go list -m -f '{{.Dir}}' github.com/wailsapp/wails/v2)/internal/webview2runtime/MicrosoftEdgeWebview2Setup.exe"
[ -f "$bootstrapper" ] || { echo "WebView2 bootstrapper not found at $bootstrapper"; exit 1; }
setup="$dist/fuzhi-desk-$version-windows-amd64-setup.exe"
finalize=()
# The uninstaller is written inside the installer: makensis signs it there.
[ -z "${FUZHI_SIGN_CERT:-}" ] || finalize=(-DSIGN_UNINSTALLER="bash $PWD/scripts/sign-windows.sh")
makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$version" -DDESK_EXE="$stage/win/fuzhi-desk.exe" -DCLI_EXE="$stage/win/fuzhi.exe" \
  -DBOOTSTRAPPER="$bootstrapper" -DOUTFILE="$setup" "${finalize[@]}" build/windows/fuzhi.nsi
sign "$setup"

step "Windows portable zip"
cp docs/portable-windows.txt "$stage/win/使用说明.txt"
cp build/windows/icon.ico "$stage/win/icon.ico"
find "$stage/win" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
(cd "$stage/win" && 7z a -tzip -mtc=off -bd -bso0 "$dist/fuzhi-desk-$version-windows-amd64-portable.zip" fuzhi-desk.exe fuzhi.exe icon.ico 使用说明.txt)

step "Linux: fuzhi-desk (window, webkit2_41) and fuzhi"
go tool wails build -tags webkit2_41 -skipbindings -s -m -trimpath -ldflags "$ldflags" > "$stage/wails-linux.log" 2>&1 || { cat "$stage/wails-linux.log"; exit 1; }
deb="$stage/linux/deb"
install -D -m 0755 build/bin/fuzhi-desk "$deb/usr/bin/fuzhi-desk"
go build -trimpath -ldflags "$ldflags" -o "$deb/usr/bin/fuzhi" ./cmd/fuzhi
install -D -m 0644 build/linux/fuzhi-desk.desktop "$deb/usr/share/applications/fuzhi-desk.desktop"
install -D -m 0644 build/appicon.png "$deb/usr/share/icons/hicolor/512x512/apps/fuzhi-desk.png"
install -D -m 0644 build/linux/fuzhi-desk-mime.xml "$deb/usr/share/mime/packages/fuzhi-desk.xml"

step "Linux tarball"
tardir="$stage/linux/fuzhi-desk-$version"
mkdir -p "$tardir"
cp "$deb/usr/bin/fuzhi-desk" "$deb/usr/bin/fuzhi" build/linux/fuzhi-desk.desktop build/appicon.png "$tardir/"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
  -C "$stage/linux" -czf "$dist/fuzhi-desk-$version-linux-amd64.tar.gz" "fuzhi-desk-$version"

step "Linux .deb (dpkg-deb)"
mkdir -p "$deb/DEBIAN"
size=$(du -sk --exclude=DEBIAN "$deb" | cut -f1)
cat > "$deb/DEBIAN/control" <<CONTROL
Package: fuzhi-desk
Version: $version
Architecture: amd64
Maintainer: Fuzhi Event Desk team <support@fuzhi.invalid>
Installed-Size: $size
Depends: libgtk-3-0, libwebkit2gtk-4.1-0
Section: misc
Priority: optional
Homepage: https://github.com/fuzhi/eventdesk
Description: 赋智会务台 Fuzhi Event Desk
 Registrations, check-in with signed QR badges, matchmaking and leads for
 the 深度行 technology-transfer events; works without venue Wi-Fi.
 Build $commit.
CONTROL
cat > "$deb/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
command -v update-mime-database >/dev/null && update-mime-database /usr/share/mime || true
command -v update-desktop-database >/dev/null && update-desktop-database -q /usr/share/applications || true
POSTINST
chmod 0755 "$deb/DEBIAN/postinst"
find "$deb" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
dpkg-deb --root-owner-group -Zxz --build "$deb" "$dist/fuzhi-desk_${version}_amd64.deb" >/dev/null

step "checksums"
(cd "$dist" && sha256sum -- * > SHA256SUMS)
ls -l "$dist"
echo "release $version ($commit) in dist/ ($((SECONDS - t0)) s)"
