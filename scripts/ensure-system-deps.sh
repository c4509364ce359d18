#!/usr/bin/env bash
# Install the Debian libraries WeasyPrint needs for the printable directory (root only):
# Pango and the DejaVu fonts.
set -euo pipefail
# ldconfig lives in /sbin, which a user's PATH often lacks.
PATH="$PATH:/usr/sbin:/sbin"
# Read the whole list first: `grep -q` quitting early would kill ldconfig with SIGPIPE, and
# pipefail would then report the library as missing.
LIBRARIES="$(ldconfig -p)"
if grep -q libpangoft2-1.0 <<<"$LIBRARIES"; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "Pango est absent : installez les paquets Debian « libpango-1.0-0 libpangoft2-1.0-0" \
    "fonts-dejavu-core » (nécessaires à l'annuaire imprimable en PDF)." >&2
  exit 1
fi
echo "Installation de Pango et des polices DejaVu (paquets Debian)…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null
