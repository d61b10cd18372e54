#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages that building, running and testing
# Fieldledger need. Safe to run again; does nothing when all are present.
set -euo pipefail

packages=(
  build-essential pkg-config perl make curl ca-certificates
  # The desktop app: WebKitGTK and friends (libssl-dev: a websocket crate
  # under dioxus-desktop links OpenSSL).
  libwebkit2gtk-4.1-dev libgtk-3-dev libxdo-dev libssl-dev
  # Running the app and its tests without a screen, in Chinese.
  xvfb xauth fonts-noto-cjk
  # End-to-end tests in a real browser engine.
  chromium chromium-driver
  # The server's PostgreSQL store is tested against a real server.
  postgresql
  # The Android type check installs zig's C compiler from PyPI in a venv.
  python3 python3-venv python3-pip
  # Screenshots (scripts/screenshots.sh).
  imagemagick x11-utils
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
