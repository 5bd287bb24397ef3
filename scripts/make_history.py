#!/usr/bin/env python3
"""Build a git repository with a long first-parent history of an SSOT
migration, for `ssot trend`'s tests and benchmark, with every commit's
counts known by construction.

The debt rises, then falls: early commits add files that import the legacy
modules or call the retired singleton; later ones fix them (legacy imports
become canonical ones), while files keep being added, renamed and deleted,
a few are broken (they do not tokenize) for a while, and the baseline is
tightened along the way. Written with `git fast-import`, so 2,000 commits
take seconds.

    python3 make_history.py OUT_DIR [--commits 2000] [--files 20000] [--seed 1]

Writes OUT_DIR.expected.json: per commit (oldest first), its id and, per
rule, {findings, files, canonical, touching, allowance}, and the number of
unchecked files. Deterministic for a given set of arguments.
"""
import argparse
import json
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_repo import CONFIG, IMPORT_RULE, PKG, SINGLETON_RULE  # noqa: E402  (one config for all generated repos)

GOAL = '\ngoal-files = 50\ngoal-date = "2026-03-31"\n'
START = 1735732800  # 2025-01-01 12:00 UTC
STEP = 4 * 3600

# Ten areas of forty packages each: about fifty files a folder at 20,000 files, as real backends are laid out.
FOLDERS = [f"{area}/pkg{k:02d}" for area in ["agents", "routes", "services", "billing", "auth", "models", "tasks",
                                             "api", "core", "workers"] for k in range(40)]

# What each kind of file holds, by construction: (legacy findings, canonical) per rule, and unchecked.
KINDS = {
    "plain": {},
    "legacy": {IMPORT_RULE: (1, 0)},
    "legacy2": {IMPORT_RULE: (2, 0)},
    "canonical": {IMPORT_RULE: (0, 1)},
    "mixed": {IMPORT_RULE: (1, 1)},
    "singleton": {SINGLETON_RULE: (1, 0)},
    "singleton_fixed": {SINGLETON_RULE: (0, 1)},
    "broken": {IMPORT_RULE: (1, 0)},
}
FIXED = {"legacy": "canonical", "legacy2": "canonical", "mixed": "canonical", "singleton": "singleton_fixed",
         "broken": "canonical"}


def body(kind, n):
    filler = "".join(f"\n\ndef helper_{n}_{k}(value):\n    \"\"\"Helper {k}.\"\"\"\n    return value * {k} + {n}\n"
                     for k in range(3))
    head = f'"""Module {n}: mentions {PKG}.unified_manager only in this docstring."""\n'
    legacy = f"from {PKG}.unified_manager import UnifiedWebSocketManager\n"
    legacy_b = f"from {PKG}.websocket_manager import WebSocketManager\n"
    canonical = f"from {PKG}.canonical_imports import UnifiedWebSocketManager\n"
    text = {
        "plain": head,
        "legacy": head + legacy,
        "legacy2": head + legacy + legacy_b,
        "canonical": head + canonical,
        "mixed": head + legacy_b + canonical,
        "singleton": head + f"import {PKG} as wc\n\n\ndef manager(ctx):\n    return wc.get_websocket_manager()\n",
        "singleton_fixed": head + f"import {PKG} as wc\n\n\ndef manager(ctx):\n    return wc.create_websocket_manager(ctx)\n",
        # Does not tokenize: an unclosed string after a legacy import, which still counts.
        "broken": head + legacy + 'BROKEN = """never closed\n',
    }[kind]
    return text + (filler if kind != "broken" else "")


def counts(files, allowance):
    out = {}
    for rule in (IMPORT_RULE, SINGLETON_RULE):
        c = {"findings": 0, "files": 0, "canonical": 0, "touching": 0, "allowance": allowance.get(rule) if allowance else None}
        for kind in files.values():
            legacy, canonical = KINDS[kind].get(rule, (0, 0))
            c["findings"] += legacy
            c["canonical"] += canonical
            c["files"] += legacy > 0
            c["touching"] += legacy + canonical > 0
        out[rule] = c
    return out


def baseline_text(files):
    lines = ["# ssot baseline: known violations that may remain. Entries may only be removed."]
    fp = {"legacy": [f"from {PKG}.unified_manager import UnifiedWebSocketManager"],
          "legacy2": [f"from {PKG}.unified_manager import UnifiedWebSocketManager", f"from {PKG}.websocket_manager import WebSocketManager"],
          "mixed": [f"from {PKG}.websocket_manager import WebSocketManager"],
          "broken": [f"from {PKG}.unified_manager import UnifiedWebSocketManager"]}
    allowance = {IMPORT_RULE: 0, SINGLETON_RULE: 0}
    for path in sorted(files):
        kind = files[path]
        for f in fp.get(kind, []):
            lines.append(f"1\t{IMPORT_RULE}\t{path}\t{f}")
            allowance[IMPORT_RULE] += 1
        if kind == "singleton":
            lines.append(f"1\t{SINGLETON_RULE}\t{path}\tuse {PKG}.get_websocket_manager")
            allowance[SINGLETON_RULE] += 1
    return "\n".join(lines) + "\n", allowance


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--commits", type=int, default=2000)
    ap.add_argument("--files", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", args.out], check=True)
    stream = []
    files = {}  # path -> kind
    serial = [0]
    allowance = None
    expected = []
    config = CONFIG.replace('message = "Import WebSocket classes', GOAL.strip() + '\nmessage = "Import WebSocket classes', 1)

    def blob(path, kind):
        data = body(kind, serial[0]).encode()
        serial[0] += 1
        stream.append(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")

    def new_path():
        folder = rng.choice(FOLDERS)
        return f"netra_backend/app/{folder}/mod{serial[0]}.py"

    first = max(1, args.files // 10)
    grow = (args.files - first) / max(1, args.commits - 1)
    debt = 0.0
    for i in range(args.commits):
        q = i / max(1, args.commits - 1)
        stream.append(f"commit refs/heads/main\nmark :{i + 1}\n"
                      f"committer Bench <bench@example.com> {START + i * STEP} +0000\n".encode())
        msg = f"commit {i}".encode()
        stream.append(f"data {len(msg)}\n".encode() + msg + b"\n")
        if i > 0:
            stream.append(f"from :{i}\n".encode())
        touched = set()
        if i == 0:
            cfg = config.encode()
            stream.append(f"M 100644 inline pyproject.toml\ndata {len(cfg)}\n".encode() + cfg + b"\n")
            adds = first
        else:
            debt += grow
            adds = int(debt)
            debt -= adds
        for _ in range(adds):
            r = rng.random()
            legacy_share = 0.35 if q < 0.5 else 0.04
            if r < legacy_share * 0.6:
                kind = "legacy"
            elif r < legacy_share * 0.8:
                kind = "legacy2"
            elif r < legacy_share:
                kind = rng.choice(["mixed", "singleton"])
            elif r < legacy_share + 0.4:
                kind = rng.choice(["canonical", "canonical", "singleton_fixed"])
            else:
                kind = "plain"
            path = new_path()
            files[path] = kind
            touched.add(path)
            blob(path, kind)
        paths = list(files)
        if i > 0 and paths:
            # Fixes, faster in the second half.
            fixes = rng.randint(0, 1) if q < 0.4 else rng.randint(2, 8)
            for path in rng.sample(paths, min(len(paths), 40)):
                if fixes == 0:
                    break
                if files[path] in FIXED and path not in touched:
                    files[path] = FIXED[files[path]]
                    touched.add(path)
                    blob(path, files[path])
                    fixes -= 1
            if rng.random() < 0.15:
                path = rng.choice(paths)
                if path not in touched:
                    kind = files.pop(path)
                    stream.append(f"D {path}\n".encode())
                    to = new_path()
                    files[to] = kind
                    touched.update([path, to])
                    blob(to, kind)
            if rng.random() < 0.1:
                path = rng.choice(paths)
                if path not in touched and path in files:
                    del files[path]
                    stream.append(f"D {path}\n".encode())
                    touched.add(path)
            if rng.random() < 0.03:
                path = rng.choice(paths)
                if path not in touched and path in files and files[path] == "legacy":
                    files[path] = "broken"
                    touched.add(path)
                    blob(path, "broken")
        # The baseline: written at the first commit, tightened every tenth of the second half.
        if i == 0 or (q >= 0.5 and i % max(1, args.commits // 10) == 0):
            text, allowance = baseline_text(files)
            data = text.encode()
            stream.append(f"M 100644 inline .ssot-baseline\ndata {len(data)}\n".encode() + data + b"\n")
        stream.append(b"\n")
        unchecked = sum(1 for k in files.values() if k == "broken")
        expected.append({"rules": counts(files, allowance), "unchecked": unchecked})
    stream.append(b"done\n")
    subprocess.run(["git", "-C", args.out, "fast-import", "--quiet", "--done"], input=b"".join(stream), check=True)
    ids = subprocess.run(["git", "-C", args.out, "rev-list", "--first-parent", "--reverse", "main"],
                         check=True, capture_output=True, text=True).stdout.split()
    assert len(ids) == len(expected), (len(ids), len(expected))
    for cid, e in zip(ids, expected):
        e["commit"] = cid
    subprocess.run(["git", "-C", args.out, "checkout", "-q", "-f", "main"], check=True)
    with open(os.path.abspath(args.out).rstrip("/") + ".expected.json", "w") as f:
        json.dump(expected, f)
    print(f"{args.out}: {len(ids)} commits, {len(files)} files at the tip")


if __name__ == "__main__":
    main()
