#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests when it is missing (root only).
set -euo pipefail
CHROMIUM="${TOCSIN_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "Chromium est absent ($CHROMIUM) : installez le paquet Debian « chromium »." >&2
  exit 1
fi
echo "Installation de Chromium (paquet Debian)…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
