#!/usr/bin/env bash
# Checks what scripts/release.sh put in dist/, as a person receiving it would:
# the checksums hold; the installer holds the two programs, the icon, the
# uninstaller and the WebView2 bootstrapper; the programs inside it are the
# ones built and run (the Windows one under Wine) naming this version and
# commit; the zip, the .deb and the tarball hold what they should; and, when
# FUZHI_SIGN_CERT is set, every Windows program is signed by it.
set -euo pipefail
cd "$(dirname "$0")/.."
dist=dist
version=$(sed -n 's/.*"productVersion": *"\([^"]*\)".*/\1/p' wails.json)
commit=$(git rev-parse --short=12 HEAD)
work=$(mktemp -d)
trap 'WINEPREFIX="$work/prefix" /usr/lib/wine/wineserver -k 2>/dev/null || true; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok: $*"; }

setup=$dist/fuzhi-desk-$version-windows-amd64-setup.exe
zip=$dist/fuzhi-desk-$version-windows-amd64-portable.zip
deb=$dist/fuzhi-desk_${version}_amd64.deb
tarball=$dist/fuzhi-desk-$version-linux-amd64.tar.gz
for f in "$setup" "$zip" "$deb" "$tarball" "$dist/SHA256SUMS"; do [ -s "$f" ] || fail "$f is missing"; done

(cd "$dist" && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not match"
[ "$(wc -l < "$dist/SHA256SUMS")" -eq 4 ] || fail "SHA256SUMS should name the 4 packages"
ok "SHA256SUMS matches the 4 packages"

# has LISTING NAME…: every NAME is a whole entry of the listing.
has() {
  local listing=$1; shift
  for n in "$@"; do grep -qxF "$n" <<<"$listing" || fail "missing $n in: $(tr '\n' ' ' <<<"$listing")"; done
}
entries7z() { 7z l -slt "$1" | sed -n 's/^Path = //p' | tail -n +2; }

listing=$(entries7z "$setup")
has "$listing" fuzhi-desk.exe fuzhi.exe icon.ico uninstall.exe '$PLUGINSDIR/MicrosoftEdgeWebview2Setup.exe'
ok "installer holds: $(tr '\n' ' ' <<<"$listing")"
mkdir -p "$work/setup" "$work/zip"
7z x -y -bso0 -bsp0 -o"$work/setup" "$setup" fuzhi-desk.exe fuzhi.exe >/dev/null
listing=$(entries7z "$zip")
has "$listing" fuzhi-desk.exe fuzhi.exe icon.ico 使用说明.txt
7z x -y -bso0 -bsp0 -o"$work/zip" "$zip" >/dev/null
cmp -s "$work/setup/fuzhi.exe" "$work/zip/fuzhi.exe" && cmp -s "$work/setup/fuzhi-desk.exe" "$work/zip/fuzhi-desk.exe" \
  || fail "the installer and the zip hold different programs"
ok "portable zip holds the same programs as the installer"

want="$version (commit $commit"
source scripts/wine-prefix.sh
if [ -x "$WINE" ]; then
  wine_prefix "$work/prefix"
  got=$("$WINE" "$work/setup/fuzhi.exe" version 2>&1 | tr -d '\r')
  [[ "$got" == "fuzhi $want"*"windows/amd64)" ]] || fail "fuzhi.exe from the installer says '$got', want 'fuzhi $want…'"
  ok "fuzhi.exe from the installer runs under Wine: $got"
fi

[ "$(dpkg-deb -f "$deb" Package)" = fuzhi-desk ] && [ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail ".deb control: $(dpkg-deb -f "$deb")"
listing=$(dpkg-deb -c "$deb" | awk '{print $6}')
has "$listing" ./usr/bin/fuzhi-desk ./usr/bin/fuzhi ./usr/share/applications/fuzhi-desk.desktop \
  ./usr/share/icons/hicolor/512x512/apps/fuzhi-desk.png ./usr/share/mime/packages/fuzhi-desk.xml
dpkg-deb -x "$deb" "$work/deb"
got=$("$work/deb/usr/bin/fuzhi" version)
[[ "$got" == "fuzhi $want"*"linux/amd64)" ]] || fail "fuzhi from the .deb says '$got'"
ok ".deb $version holds the window, the command line, the desktop entry, icon and .fzevent type; $got"

listing=$(tar tzf "$tarball")
has "$listing" "fuzhi-desk-$version/fuzhi-desk" "fuzhi-desk-$version/fuzhi" "fuzhi-desk-$version/fuzhi-desk.desktop" "fuzhi-desk-$version/appicon.png"
ok "tarball holds the programs in fuzhi-desk-$version/"

if [ -n "${FUZHI_SIGN_CERT:-}" ]; then
  for f in "$setup" "$work/setup/fuzhi-desk.exe" "$work/setup/fuzhi.exe"; do
    osslsigncode verify -CAfile "$FUZHI_SIGN_CERT" -in "$f" > "$work/verify.log" 2>&1 \
      || { cat "$work/verify.log"; fail "$(basename "$f") is not signed by $FUZHI_SIGN_CERT"; }
  done
  # A program changed after signing must not pass.
  cp "$work/setup/fuzhi.exe" "$work/tampered.exe"
  printf 'x' | dd of="$work/tampered.exe" bs=1 seek=4096 conv=notrunc status=none
  ! osslsigncode verify -CAfile "$FUZHI_SIGN_CERT" -in "$work/tampered.exe" >/dev/null 2>&1 || fail "a tampered fuzhi.exe still verifies"
  ok "the installer and both Windows programs carry a valid Authenticode signature; a tampered copy does not verify"
fi
echo "release $version ($commit): every check passed"
