#!/usr/bin/env bash
# Runs the pure-Go test packages as Windows programs under Wine (Debian's
# wine64): the event store (bbolt on Windows file locking and mapping), the
# importers, badge codes, the scheduler and the sync packages. Every test's
# temporary folder, and so every event file, is under a path with Chinese
# characters and spaces (Z:\…\赋智 会务\…), as on an organizer's laptop
# ("C:\Users\王 芳\Documents\…").
#   bash scripts/wine-test.sh [package…]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
case "${LC_ALL:-${LANG:-}}" in *UTF-8*|*utf8*) ;; *) export LANG=C.UTF-8 ;; esac

packages=("$@")
[ ${#packages[@]} -gt 0 ] || packages=(store model app/importer app/ticket app/schedule app/textindex internal/safefile sync/wire sync/hub sync/station sync/platform)

source scripts/wine-prefix.sh
wine=$WINE
[ -x "$wine" ] || { echo "wine64 is not installed (scripts/setup.sh installs it)"; exit 1; }
work=$(mktemp -d /tmp/fuzhi-wine.XXXXXX)
trap 'WINEPREFIX="$work/prefix" /usr/lib/wine/wineserver -k 2>/dev/null || true; rm -rf "$work"' EXIT

echo "==> a Wine prefix ($("$wine" --version))"
wine_prefix "$work/prefix"
# Wine 8 also lacks FileDispositionInformationEx, which Go's os.RemoveAll
# uses on Windows 10 1607+, and answers with an error Go does not take for
# "unsupported"; so every test's temporary-folder cleanup would fail. The
# test programs are built with Go's own fallback switched on (the path it
# takes on FAT32 volumes), through an overlay that adds one init to
# internal/syscall/windows. Only these test builds; never a shipped program.
cat > "$work/deleteat_fallback.go" <<'GO'
package windows

func init() { TestDeleteatFallback = true }
GO
printf '{"Replace":{"%s":"%s"}}' "$(go env GOROOT)/src/internal/syscall/windows/zz_wine_deleteat_fallback.go" "$work/deleteat_fallback.go" > "$work/overlay.json"

temp="$work/赋智 会务/临时 文件"
mkdir -p "$temp"
wintemp="Z:$(tr / '\\' <<<"$temp")"
for v in TMP TEMP; do "$wine" reg add 'HKCU\Environment' /v "$v" /t REG_SZ /d "$wintemp" /f >/dev/null 2>&1; done
# store's path test fails unless its temporary folder really is under it.
export FUZHI_WANT_TEMP_UNDER="赋智 会务"

failed=()
for p in "${packages[@]}"; do
  exe="$work/$(tr / _ <<<"$p").test.exe"
  GOOS=windows GOARCH=amd64 go test -c -overlay "$work/overlay.json" -o "$exe" "./$p"
  echo "==> $p (windows/amd64 under Wine)"
  t0=$SECONDS
  # Like go test: the package's folder is the working directory (testdata).
  if (cd "$p" && "$wine" "$exe" -test.short -test.count=1 -test.timeout=10m -test.v > "$work/out.log" 2>&1); then
    echo "<== $p: ok ($((SECONDS - t0)) s): $(grep -c -- '--- PASS' "$work/out.log" || true) passed, $(grep -c -- '--- SKIP' "$work/out.log" || true) skipped"
  else
    grep -E -B2 -A8 -- "--- FAIL|^panic" "$work/out.log" | head -80; cp "$work/out.log" "artifacts/wine-$(tr / _ <<<"$p").log" 2>/dev/null || true
    failed+=("$p")
    echo "<== $p: FAILED"
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed under Wine: ${failed[*]}"
  exit 1
fi
echo "all ${#packages[@]} packages pass as Windows programs under Wine"
