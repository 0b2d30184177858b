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
winepath_of() { echo "Z:$(readlink -f "$1" | tr / '\\')"; }
if [ -x "$WINE" ]; then
  wine_prefix "$work/prefix"
  got=$("$WINE" "$work/setup/fuzhi.exe" version 2>&1 | tr -d '\r')
  [[ "$got" == "fuzhi $want"*"windows/amd64)" ]] || fail "fuzhi.exe from the installer says '$got', want 'fuzhi $want…'"
  ok "fuzhi.exe from the installer runs under Wine: $got"

  # The installer installs and the uninstaller uninstalls, for real, on a
  # Windows 10 as Wine plays it (64-bit installer, silent mode).
  "$WINE" winecfg /v win10 >/dev/null 2>&1
  timeout 300 "$WINE" "$(winepath_of "$setup")" /S || fail "the installer failed (exit $?)"
  pf="$WINEPREFIX/drive_c/Program Files/Fuzhi Event Desk"
  for f in fuzhi-desk.exe fuzhi.exe icon.ico uninstall.exe; do [ -f "$pf/$f" ] || fail "installed without $f"; done
  reg() { "$WINE" reg query "$1" /ve 2>/dev/null | tr -d '\r' | sed -n 's/.*REG_SZ *//p'; }
  [ "$(reg 'HKLM\Software\Classes\.fzevent')" = FuzhiEventDesk.Event ] || fail ".fzevent is not registered"
  [ "$(reg 'HKLM\Software\Classes\FuzhiEventDesk.Event\shell\open\command')" = '"C:\Program Files\Fuzhi Event Desk\fuzhi-desk.exe" "%1"' ] \
    || fail ".fzevent does not open in the app: $(reg 'HKLM\Software\Classes\FuzhiEventDesk.Event\shell\open\command')"
  "$WINE" reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\FuzhiEventDesk' /v DisplayVersion 2>/dev/null | grep -q "$version" \
    || fail "Programs and Features does not list version $version"
  menu="$WINEPREFIX/drive_c/ProgramData/Microsoft/Windows/Start Menu/Programs/赋智会务台"
  [ "$(find "$menu" -name '*.lnk' | wc -l)" -eq 3 ] && [ -f "$WINEPREFIX/drive_c/users/Public/Desktop/赋智会务台.lnk" ] \
    || fail "Start-menu folder or desktop shortcut missing"
  got=$("$WINE" 'C:\Program Files\Fuzhi Event Desk\fuzhi.exe' version 2>&1 | tr -d '\r')
  [[ "$got" == "fuzhi $want"* ]] || fail "the installed fuzhi.exe says '$got'"
  ok "installed under Wine (Windows 10): both programs, .fzevent opens in the app, Start menu (3 entries), desktop shortcut, listed as $version; the installed fuzhi.exe runs"
  user=$(find "$WINEPREFIX/drive_c/users" -mindepth 1 -maxdepth 1 -type d ! -name Public | head -1)
  mkdir -p "$user/FuzhiEvents" && echo kept > "$user/FuzhiEvents/深度行 青岛站.fzevent"
  timeout 300 "$WINE" 'C:\Program Files\Fuzhi Event Desk\uninstall.exe' /S '_?=C:\Program Files\Fuzhi Event Desk' || fail "the uninstaller failed"
  for _ in $(seq 1 60); do [ -e "$pf/fuzhi-desk.exe" ] || break; sleep 0.5; done
  [ ! -e "$pf/fuzhi-desk.exe" ] && [ ! -e "$pf/fuzhi.exe" ] || fail "the uninstaller left the programs"
  [ -z "$(reg 'HKLM\Software\Classes\.fzevent')" ] || fail "the uninstaller left .fzevent registered"
  [ ! -d "$menu" ] && [ ! -e "$WINEPREFIX/drive_c/users/Public/Desktop/赋智会务台.lnk" ] || fail "the uninstaller left shortcuts"
  [ "$(cat "$user/FuzhiEvents/深度行 青岛站.fzevent")" = kept ] || fail "the uninstaller touched the events folder"
  ok "uninstalled under Wine: programs, file type and shortcuts gone, the FuzhiEvents folder kept"
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
