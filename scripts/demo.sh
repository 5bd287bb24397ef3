#!/usr/bin/env bash
# Builds a synthetic monorepo half-way through a migration (../shared/bench/make_repo.py)
# and runs ssot on it: the README's quick start.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
maker="$here/../shared/bench/make_repo.py"
[ -f "$maker" ] || { echo "demo.sh: $maker not found" >&2; exit 1; }
ssot="$(command -v ssot || echo "$here/.build/release/ssot")"
demo="$(mktemp -d)/monorepo"
python3 "$maker" "$demo" --files 2000 --violating 300 --filler stdlib
echo "\$ ssot check --all -C $demo   (first findings, then the summary)"
"$ssot" check --all -C "$demo" > "$demo.report" || true
head -n 14 "$demo.report"
echo "…"
tail -n 2 "$demo.report"
