#!/usr/bin/env bash
# Re-freezes the dependency set from pyproject.toml: requirements.lock (what production runs)
# and requirements-dev.lock (plus the test and lint tools). Run through `make lock`.
set -euo pipefail
cd "$(dirname "$0")/../.."
uv=${UV:-.venv/bin/uv}
common=(--python-version 3.11 --python-platform x86_64-manylinux_2_28 --no-header --quiet)
"$uv" pip compile pyproject.toml "${common[@]}" -o requirements.lock
"$uv" pip compile pyproject.toml --extra dev "${common[@]}" -o requirements-dev.lock
for f in requirements.lock requirements-dev.lock; do
  sed -i "1i # Frozen dependencies of Cartess (Python 3.11), made by \`make lock\` from pyproject.toml: do not edit." "$f"
done
