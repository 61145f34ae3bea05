#!/usr/bin/env bash
# Runs a command on a private Xvfb display (DISPLAY set for it), and stops the display after.
# Usage: with-xvfb.sh CMD ARGS… (the E2E tests and the app's performance suite run under it).
# XVFB_LOG names the file Xvfb writes to (kept, e.g. for the E2E secret scan); else a temporary one.
set -euo pipefail
log=${XVFB_LOG:-$(mktemp)}
[ -n "${XVFB_LOG:-}" ] || remove_log=$log
display=:$(( 90 + RANDOM % 400 ))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >"$log" 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; wait $xvfb 2>/dev/null || true; [ -z "${remove_log:-}" ] || rm -f "$remove_log"' EXIT
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
[ -e "/tmp/.X11-unix/X${display#:}" ] || { echo "with-xvfb: Xvfb did not start on $display" >&2; cat "$log" >&2; exit 1; }
export DISPLAY=$display
status=0
"$@" || status=$?
exit $status
