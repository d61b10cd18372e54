#!/usr/bin/env bash
# Runs Fieldledger on this machine: the API server with a demo county, and
# the desktop app enrolled with it as one of the county's instructors.
#
#   scripts/run.sh            # debug build (quicker to build)
#   PROFILE=release scripts/run.sh
#
# Everything lives under ./.run/: server/ (the server's data, its dev
# certificate), app/ (the app's store and credentials), *.log. Delete
# ./.run to start over. Without $DISPLAY the app runs under xvfb-run.
# Ctrl-C stops both.
#
# Settings: PORT (8443), PROFILE (debug|release), FIELDLEDGER_WINDOW
# (e.g. 390x844), SKIP_SETUP=1 to skip installing system packages.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
run=$root/.run
port=${PORT:-8443}
profile=${PROFILE:-debug}
target=${CARGO_TARGET_DIR:-$root/target}
mkdir -p "$run/server" "$run/app"
# Nothing under .run belongs in git.
[ -f "$run/.gitignore" ] || echo "*" >"$run/.gitignore"

if [ -z "${SKIP_SETUP:-}" ]; then
  scripts/setup-system.sh
fi

flags=()
[ "$profile" = release ] && flags+=(--release)
echo "building the server and the app ($profile)…"
cargo build "${flags[@]}" -p fieldledger-server -p fieldledger
bin=$target/$profile

pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT TERM

"$bin/fieldledger-server" serve --dev --data-dir "$run/server" \
  --listen "127.0.0.1:$port" >"$run/server.log" 2>&1 &
pids+=($!)

fingerprint=""
for _ in $(seq 1 100); do
  fingerprint=$(sed -n 's/.*certificate SHA-256 \([0-9a-fA-F:]*\).*/\1/p' "$run/server.log" | head -n1)
  [ -n "$fingerprint" ] && break
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$run/server.log"; exit 1; }
  sleep 0.2
done
[ -n "$fingerprint" ] || { echo "the server did not start; see $run/server.log"; exit 1; }
echo "server https://127.0.0.1:$port (certificate SHA-256 $fingerprint)"

# The demo county is seeded once; its enrollment codes are kept.
if [ ! -s "$run/demo.txt" ]; then
  "$bin/fieldledger-server" admin --data-dir "$run/server" demo >"$run/demo.txt"
fi
link=""
if [ ! -s "$run/app/keys/device.json" ]; then
  code=$(sed -n 's/^instructor .*: code \(.*\)$/\1/p' "$run/demo.txt" | head -n1)
  [ -n "$code" ] || { echo "no instructor code in $run/demo.txt"; exit 1; }
  link="fieldledger://enroll?server=https%3A%2F%2F127.0.0.1%3A$port&code=$code&fp=$fingerprint"
fi

app=("$bin/fieldledger")
if [ -z "${DISPLAY:-}" ]; then
  command -v xvfb-run >/dev/null || { echo "no \$DISPLAY and no xvfb-run: install xvfb"; exit 1; }
  app=(xvfb-run -a -s "-screen 0 1280x1024x24" "${app[@]}")
fi
echo "starting the app (data in $run/app); Ctrl-C stops both"
FIELDLEDGER_DATA_DIR="$run/app" FIELDLEDGER_ENROLL_LINK="$link" \
  "${app[@]}" 2>"$run/app.log" &
pids+=($!)
wait "${pids[1]}"
