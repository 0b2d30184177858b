#!/usr/bin/env bash
# Checks the README's promise on a truly bare machine: builds a fresh Debian 12
# root from the Debian mirror (mmdebstrap, as root), puts a clean clone of the
# committed tree in it with ../shared beside it, and runs the README's two
# commands inside, with no locale set and nothing preinstalled but what a
# minimal Debian has:
#   bash scripts/run.sh serve   must answer with the demo event in a browser,
#                               and the window must open under Xvfb;
#   bash scripts/test.sh        must pass every stage.
# Slow (a full setup and test run), so not part of every CI run.
#   bash scripts/fresh-check.sh [--keep] [--only run|test]
# Prints each stage's time; the log of each command goes to artifacts/fresh-*.log.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
[ "$(id -u)" -eq 0 ] || { echo "fresh-check needs root (mmdebstrap and chroot)"; exit 1; }

keep=0; only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep=1 ;;
    --only) only=$2; shift ;;
    *) echo "unknown argument: $1"; exit 2 ;;
  esac
  shift
done

command -v mmdebstrap >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null; }
mirror=${FRESH_MIRROR:-http://deb.debian.org/debian}
root=$(mktemp -d /var/tmp/fuzhi-fresh.XXXXXX)
mkdir -p artifacts
logs=$repo/artifacts

mounted=()
# root_procs_kill: every process running inside the fresh root (a served app,
# Xvfb, a window), found by its root directory, whatever its process group.
root_procs_kill() {
  local p
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && kill -9 "${p#/proc/}" 2>/dev/null
  done
  return 0
}
cleanup() {
  root_procs_kill
  for ((i=${#mounted[@]}-1; i>=0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
  if [ "$keep" = 1 ]; then echo "kept the root at $root"; else rm -rf "$root"; fi
}
trap cleanup EXIT

timings=()
timed() {
  local name=$1; shift
  local t0=$SECONDS
  echo "==> $name"
  if "$@"; then
    timings+=("$name: ok, $((SECONDS - t0)) s")
  else
    timings+=("$name: FAILED after $((SECONDS - t0)) s")
    printf '%s\n' "${timings[@]}"
    exit 1
  fi
}

bootstrap() {
  mmdebstrap --variant=minbase --include=ca-certificates bookworm "$root" \
    "deb $mirror bookworm main" "deb $mirror bookworm-updates main" \
    "deb ${FRESH_SECURITY:-http://deb.debian.org/debian-security} bookworm-security main" \
    > "$logs/fresh-bootstrap.log" 2>&1
  mkdir -p "$root/work"
  # A clean clone of what is committed, as CI gets it, and ../shared beside it.
  git clone -q "$repo" "$root/work/eventdesk"
  if [ -d "$repo/../shared" ]; then cp -a "$repo/../shared" "$root/work/shared"; fi
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  # This network may reach the registries through a TLS proxy whose CA the
  # host trusts; the fresh root must trust what the host trusts, no more.
  cp /etc/ssl/certs/ca-certificates.crt "$root/usr/local/share/ca-certificates/host-trusted.crt"
  chroot "$root" update-ca-certificates >/dev/null 2>&1
  for m in proc sys dev dev/pts; do
    mount --bind "/$m" "$root/$m"; mounted+=("$root/$m")
  done
  mount -t tmpfs -o size=2g tmpfs "$root/dev/shm"; mounted+=("$root/dev/shm")
}

# in_root CMD: runs a command in the fresh root as root, with a bare
# environment (no LANG, no GOPATH, no proxy settings beyond the caller's).
in_root() {
  chroot "$root" env -i HOME=/root TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    ${GOPROXY:+GOPROXY=$GOPROXY} ${npm_config_registry:+npm_config_registry=$npm_config_registry} \
    ${NODE_EXTRA_CA_CERTS:+NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt} \
    bash -c "$1"
}

# The README's first command, served for a browser: it must print the link and
# answer it with the app. Then the window itself, under Xvfb.
run_serve() {
  local port
  port=$(shuf -i 20000-60000 -n 1)
  while ss -ltn | grep -q ":$port "; do port=$(shuf -i 20000-60000 -n 1); done
  in_root "cd /work/eventdesk && setsid bash scripts/run.sh serve --addr 127.0.0.1:$port > /tmp/serve.log 2>&1 & echo \$! > /tmp/serve.pid"
  local ok=0
  for _ in $(seq 1 1800); do
    if grep -q "http://127.0.0.1:$port/?k=" "$root/tmp/serve.log" 2>/dev/null; then ok=1; break; fi
    # fuzhi prints "错误:" when it stops on an error (a port in use, say).
    if grep -q '^错误:' "$root/tmp/serve.log" 2>/dev/null; then break; fi
    sleep 1
  done
  cp "$root/tmp/serve.log" "$logs/fresh-run-serve.log"
  [ "$ok" = 1 ] || { echo "run.sh serve printed no link"; tail -20 "$root/tmp/serve.log"; return 1; }
  local link; link=$(grep -o "http://127.0.0.1:$port/?k=[^ ]*" "$root/tmp/serve.log" | head -1)
  local page; page=$(in_root "curl -fsS '$link'")
  root_procs_kill
  grep -q '<div id="app">' <<<"$page" || { echo "the link did not answer with the app"; return 1; }
  echo "    $link answered with the app"
}

run_window() {
  # run.sh has already installed Xvfb with everything else (setup.sh).
  in_root 'cd /work/eventdesk && export WEBKIT_DISABLE_DMABUF_RENDERER=1
    xvfb-run -a -s "-screen 0 1280x800x24" bash -c "setsid bash scripts/run.sh > /tmp/window.log 2>&1 &
      for i in \$(seq 1 900); do
        if xdotool search --name \"赋智会务台\" >/dev/null 2>&1; then echo window-open; pkill -f build/bin/fuzhi-desk; exit 0; fi
        sleep 1
      done; exit 1"' > "$logs/fresh-run-window.log" 2>&1 || true
  root_procs_kill
  cp "$root/tmp/window.log" "$logs/fresh-run-window-app.log" 2>/dev/null || true
  grep -q window-open "$logs/fresh-run-window.log" || { echo "the window did not open"; tail -20 "$root/tmp/window.log"; return 1; }
  echo "    the window 赋智会务台 opened"
}

run_tests() {
  in_root 'cd /work/eventdesk && bash scripts/test.sh' > "$logs/fresh-test.log" 2>&1 || { tail -40 "$logs/fresh-test.log"; return 1; }
  grep -E '^<== |^stages:' "$logs/fresh-test.log" | sed 's/^/    /'
  # The README's commands leave the clone as they found it.
  local changed; changed=$(in_root 'cd /work/eventdesk && git status --porcelain')
  [ -z "$changed" ] || { echo "the test run changed the clone:"; echo "$changed"; return 1; }
}

timed "mmdebstrap: a bare Debian 12 root" bootstrap
if [ "$only" != test ]; then
  timed "bash scripts/run.sh serve (setup, build, demo event answers)" run_serve
  timed "bash scripts/run.sh (the window opens under Xvfb)" run_window
fi
if [ "$only" != run ]; then
  timed "bash scripts/test.sh (every stage)" run_tests
fi
echo
echo "fresh-check on a bare Debian 12 root:"
printf '  %s\n' "${timings[@]}"
