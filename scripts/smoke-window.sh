#!/usr/bin/env bash
# Real-window tests of the built desktop binary under Xvfb:
#  1. first start with an empty data folder opens the demo event; the
#     screenshot must show the app's page (not a blank window);
#  2. a check-in laptop (--page desk): a badge code typed with xdotool and
#     Return, exactly what a USB scanner does, must get the green answer, and
#     the check-in must be in the event file afterwards.
# Screenshots are kept in artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/bin/fuzhi-desk
fuzhi=bin/fuzhi
[ -x "$bin" ] || { echo "FAIL: $bin not built"; exit 1; }
[ -x "$fuzhi" ] || go build -o "$fuzhi" ./cmd/fuzhi
mkdir -p artifacts
passed=0 failed=0
ok() { echo "PASS: $1"; passed=$((passed + 1)); }
bad() { echo "FAIL: $1"; failed=$((failed + 1)); }

# pixels of one colour in a screenshot
pixels() { convert "$1" -fill black -fuzz 6% +opaque "$2" -fill white -opaque "$2" -format '%[fx:round(mean*w*h)]' info:; }

# Helpers the script inside Xvfb uses: every wait is for something on the
# screen or on disk, never a fixed time (a loaded machine is slow, not broken).
helpers=$(cat <<'HELPERS'
pixels() { convert "$1" -fill black -fuzz 6% +opaque "$2" -fill white -opaque "$2" -format '%[fx:round(mean*w*h)]' info:; }
# shoot_until FILE COLOUR MIN SECONDS: screenshots until COLOUR covers MIN pixels.
shoot_until() {
  local deadline=$((SECONDS + $4))
  while :; do
    import -window root "$1" 2>/dev/null || true
    [ -s "$1" ] && [ "$(pixels "$1" "$2")" -ge "$3" ] && return 0
    [ $SECONDS -ge $deadline ] && { echo "waited $4 s for $3 pixels of $2 in $1"; return 1; }
    sleep 0.3
  done
}
HELPERS
)

# run_window DATA_DIR SCRIPT_BODY ARGS...: the window under Xvfb, then SCRIPT_BODY (xdotool, import).
run_window() {
  local data=$1 body=$2; shift 2
  local inner; inner=$(mktemp)
  cat > "$inner" <<INNER
set -u
$helpers
FUZHI_DATA_DIR="$data" WEBKIT_DISABLE_DMABUF_RENDERER=1 "$bin" $* > "artifacts/window-\$\$.log" 2>&1 &
pid=\$!
win=""
deadline=\$((SECONDS + 60))
while [ \$SECONDS -lt \$deadline ]; do
  win=\$(xdotool search --name '赋智会务台' 2>/dev/null | head -n1 || true)
  [ -n "\$win" ] && [ -s "$data/recent.json" ] && break
  sleep 0.25
done
# The page is drawn when the brand red of the header is on the screen.
shoot_until artifacts/window-start.png '#c0392b' 200 60 || true
$body
kill \$pid 2>/dev/null
wait \$pid 2>/dev/null
exit 0
INNER
  xvfb-run -a -s "-screen 0 1400x900x24" bash "$inner"
  rm -f "$inner"
}

# 1. first start: the demo event
data=$(mktemp -d)
run_window "$data" 'cp artifacts/window-start.png artifacts/window-smoke.png'
if grep -q '深度行' "$data/recent.json" 2>/dev/null; then ok "first start opened the demo event"; else bad "no demo event after first start"; fi
colors=$(identify -format '%k' artifacts/window-smoke.png)
red=$(pixels artifacts/window-smoke.png '#c0392b')
echo "window: $colors colours, $red brand-red pixels"
if [ "$colors" -ge 200 ] && [ "$red" -ge 200 ]; then ok "the window draws the app"; else bad "the window looks blank"; fi
rm -rf "$data"

# 2. the desk: a scanner types a badge code into the window (on the practice
# event, where nobody has checked in yet: the demo's morning is under way)
data=$(mktemp -d)
event=$("$fuzhi" demo --practice --data "$data")
code=$("$fuzhi" code --event "$event" --id PDEMO0001)
run_window "$data" "xdotool windowfocus --sync \$win 2>/dev/null || true
xdotool mousemove 700 250 click 1
xdotool type --delay 8 '$code'
xdotool key Return
shoot_until artifacts/window-scan.png '#16a34a' 20000 60 || true" --page desk
green=$(pixels artifacts/window-scan.png '#16a34a')
echo "desk: code $code, $green green pixels"
if [ "$green" -ge 20000 ]; then ok "the scanned badge shows the green answer in the window"; else bad "no green answer after typing the code"; fi
again=$("$fuzhi" checkin --event "$event" --code "$code" --desk smoke)
if echo "$again" | grep -q '"result": "duplicate"'; then ok "the window's check-in is in the event file"; else bad "check-in not recorded: $again"; fi
rm -rf "$data"

echo "smoke: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
