#!/usr/bin/env bash
# The README's quick start: builds a synthetic monorepo half-way through a
# migration (scripts/make_repo.py), checks it, adopts ssot with a
# baseline, installs the pre-commit hook, and shows a commit being refused.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
maker="$here/scripts/make_repo.py"
[ -f "$maker" ] || { echo "demo.sh: $maker not found" >&2; exit 1; }
ssot="$(command -v ssot || echo "$here/.build/release/ssot")"
demo="$(mktemp -d)/monorepo"
python3 "$maker" "$demo" --files 2000 --violating 300 --filler stdlib
cd "$demo"
git config user.email demo@example.com
git config user.name demo

echo; echo "\$ ssot check --all      (the last lines)"
"$ssot" check --all > ../check.txt || true
tail -n 2 ../check.txt

echo; echo "\$ ssot baseline && git commit      (adopt: existing violations may stay)"
"$ssot" baseline
git commit -q -m "Adopt ssot"

echo; echo "\$ ./install.sh --hook pre-commit"
"$here/install.sh" --hook pre-commit "$demo"

echo; echo "\$ git commit      (a new legacy import, refused)"
printf 'from netra_backend.app.websocket_core.unified_manager import UnifiedWebSocketManager\n' \
    >> netra_backend/app/agents/mod0.py
git add netra_backend/app/agents/mod0.py
if SSOT_BIN="$ssot" git commit -q -m "new violation"; then
    echo "demo.sh: the commit was not refused" >&2
    exit 1
fi
echo; echo "The commit was refused; HEAD is still: $(git log --oneline -1)"
git checkout -q -- netra_backend/app/agents/mod0.py
git reset -q

echo; echo "\$ ssot fix      (the migration: legacy imports moved where provably the same object; the summary's last lines)"
"$ssot" fix > ../fix.txt
sed -n '/^Fixed /,$p' ../fix.txt
echo; echo "\$ git commit -a      (the rewrite and the tightened baseline, through the hook)"
SSOT_BIN="$ssot" git commit -q -a -m "ssot fix"
echo "Committed: $(git log --oneline -1); $(git show --stat --format= HEAD | tail -n 1)"
echo "Demo repository: $demo"
