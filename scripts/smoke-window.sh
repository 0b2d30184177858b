#!/usr/bin/env bash
# Real-window smoke test: the built desktop binary under Xvfb opens the demo
# event with an empty data folder; a screenshot is kept in artifacts/ and
# must not be blank.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/bin/fuzhi-desk
[ -x "$bin" ] || { echo "FAIL: $bin not built"; exit 1; }
mkdir -p artifacts
data=$(mktemp -d)
shot=artifacts/window-smoke.png

inner=$(mktemp)
cat > "$inner" <<INNER
set -u
FUZHI_DATA_DIR="$data" WEBKIT_DISABLE_DMABUF_RENDERER=1 "$bin" > artifacts/window-smoke.log 2>&1 &
pid=\$!
# Wait until the demo event exists and the page had time to draw.
for i in \$(seq 1 60); do
  [ -s "$data/recent.json" ] && break
  sleep 0.5
done
sleep 4
import -window root "$shot"
kill \$pid 2>/dev/null
wait \$pid 2>/dev/null
exit 0
INNER
xvfb-run -a -s "-screen 0 1400x900x24" bash "$inner"
rm -f "$inner"

fail=0
if ! grep -q '深度行' "$data/recent.json" 2>/dev/null; then
  echo "FAIL: the window did not open the demo event (no recent.json entry)"; fail=1
fi
colors=$(identify -format '%k' "$shot")
# The brand red of the logo must be on screen: the page rendered, not only the window frame.
red=$(convert "$shot" -fill black -fuzz 8% +opaque '#c0392b' -fill white -opaque '#c0392b' -format '%[fx:mean*w*h]' info:)
echo "window smoke: $colors colours, ${red%.*} brand-red pixels, screenshot $shot"
if [ "$colors" -lt 200 ]; then echo "FAIL: the window looks blank ($colors colours)"; fail=1; fi
if [ "${red%.*}" -lt 200 ]; then echo "FAIL: the app's page did not render (no brand colour)"; fail=1; fi
rm -rf "$data"
[ $fail -eq 0 ] && echo "smoke: 1 passed, 0 failed" || { echo "smoke: 0 passed, 1 failed"; exit 1; }
