#!/usr/bin/env bash
# Regenerates docs/screenshots/*.png at 390×844: the desktop build's
# screens over demo data, captured under Xvfb while the desktop smoke test
# walks through them (tests/desktop_smoke.rs), and the liaison's township
# screen over a live server, from headless Chromium in the end-to-end test
# (tests/e2e.rs).
#
# Needs the packages of scripts/setup-system.sh plus imagemagick and
# x11-utils (import, xwininfo).
set -euo pipefail

cd "$(dirname "$0")/.."
out=$PWD/docs/screenshots
mkdir -p "$out"
for tool in import xwininfo xvfb-run; do
  command -v "$tool" >/dev/null || {
    echo "$tool is missing: apt-get install imagemagick x11-utils xvfb xauth"
    exit 1
  }
done

FIELDLEDGER_SCREENSHOTS="$out" cargo test -p fieldledger --test desktop_smoke
FIELDLEDGER_SCREENSHOTS="$out" cargo test -p fieldledger --test e2e
ls -l "$out"
