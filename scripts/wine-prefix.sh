# Sourced by scripts/wine-test.sh and scripts/release-check.sh:
#   wine_prefix DIR   makes a fresh Wine prefix in DIR that runs Go programs,
#                     and exports WINEPREFIX, WINEDEBUG and WINEDLLOVERRIDES.
# Debian 12's Wine 8 lacks bcryptprimitives.dll, which every Go program since
# Go 1.22 loads from System32 at start (Windows 10/11 have it). A shim built
# from build/windows/wine/bcryptprimitives.c stands in, in this prefix only;
# it is never shipped.
WINE=/usr/lib/wine/wine64
wine_prefix() {
  export WINEPREFIX="$1" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
  "$WINE" wineboot --init >/dev/null 2>&1
  x86_64-w64-mingw32-gcc -O2 -shared -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
    build/windows/wine/bcryptprimitives.c -lbcrypt
}
