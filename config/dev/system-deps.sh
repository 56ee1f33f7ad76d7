#!/usr/bin/env bash
# Checks the Debian/Ubuntu packages Cartess needs and installs the missing ones when run as root.
# As an ordinary user it prints the exact command to run and stops.
#   usage: system-deps.sh demo|test|bench
set -euo pipefail
purpose=${1:-demo}

missing=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# PostgreSQL with PostGIS (Debian 12: PostgreSQL 15 + PostGIS 3), GDAL/GEOS/PROJ for GeoDjango.
ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || missing+=(postgresql postgresql-contrib postgresql-postgis)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v gdalinfo >/dev/null 2>&1 || missing+=(gdal-bin)
python3 -c "import ensurepip, venv" >/dev/null 2>&1 || missing+=(python3-venv)
# msgfmt compiles the French message catalogue.
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
# npm installs the front-end libraries of package-lock.json (Leaflet.markercluster).
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
# Chromium runs the browser tests.
if [ "$purpose" = test ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
fi
# nginx checks the production stack's configuration (`nginx -t`, tests/test_production_stack.py)
# and stands in front of gunicorn in `make bench`'s load (bench_load --through-nginx).
if [ "$purpose" = test ] || [ "$purpose" = bench ]; then
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
fi

[ ${#missing[@]} -eq 0 ] && exit 0
# Deduplicate while keeping order.
read -r -a missing <<<"$(printf '%s\n' "${missing[@]}" | awk '!seen[$0]++' | tr '\n' ' ')"

if [ "$(id -u)" -ne 0 ]; then
  echo "Cartess needs these system packages: ${missing[*]}" >&2
  echo "Install them once, then run make again:" >&2
  echo "    sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
