#!/usr/bin/env python3
"""ssot's own benchmark: ssot against ruff's banned-api rule (TID251) on the
same files, in one run, alternating the tools, reporting medians and ratios.

    python3 Benchmarks/bench.py [--sizes 1000,20000,100000] [--runs 9] [--out DIR] [--only startup,whole,precommit,prereceive,hostile]

It builds its monorepos with the project's generator, scripts/make_repo.py
(the demo's and the end-to-end tests'; legacy imports in many spellings,
singleton calls, decoys), with ruff's TID251 config beside ssot's for the same
bans, installs ruff from PyPI when it is missing, builds ssot in release mode unless --ssot names a binary, and prints
Markdown tables. Repositories are cached in --out between runs.

Measures:
  0. start-up: `ssot --version` against `git --version` and `ruff --version`, and the binary's size;
  1. whole tree: `ssot check --all --no-baseline` vs `ruff check --no-cache --select TID251`,
     on a generated repository and on this machine's Python installation; peak memory too;
  2. pre-commit: `ssot check --staged` with 1, 20 and 500 staged files per repository size,
     vs ruff on the same files, vs `git diff --cached --name-only` (the floor);
  3. pre-receive: a push of 1, 30 and 300 commits judged by `ssot check --pre-receive`
     on the server side, vs ruff on the files the push changed;
  4. hostile inputs (SPEC 7, linear cost): one staged file of 10,000 banned names on one
     line, of an f-string with 20,000 replacement fields, of 1 MiB of nested brackets,
     and of 20,000 names imported in one statement, each judged by `ssot check --staged`
     and reported as a ratio to an ordinary file of the same size.
"""
import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import sysconfig
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts"))
import make_repo as generator  # noqa: E402  (the one repository generator: scripts/make_repo.py)

PKG = generator.PKG
BANNED_MODULES = generator.BANNED_MODULES
SINGLETON = generator.BANNED_SINGLETON.rsplit(".", 1)[1]

# Rules that fire all over real code, for the Python installation.
BUSY_BANNED = {"os.path": "import", "urllib.parse": "import", "logging.getLogger": "singleton",
               "os.environ": "singleton", "sys.exit": "singleton", "re.compile": "singleton"}


def busy_configs(out):
    ssot = ['source-roots = [".", "site-packages"]', "max-file-size = 100000000"]
    for i, (name, kind) in enumerate(BUSY_BANNED.items()):
        ssot += ["", "[[rule]]", f'id = "busy-{i}"', f'kind = "{kind}"', f'banned = ["{name}"]']
    ssot_path = os.path.join(out, "busy-ssot.toml")
    with open(ssot_path, "w") as fh:
        fh.write("\n".join(ssot) + "\n")
    ruff = ["lint.flake8-tidy-imports.banned-api = {" + ", ".join(f'"{n}" = {{msg = "banned"}}' for n in BUSY_BANNED) + "}",
            "exclude = []", "respect-gitignore = false"]
    return ssot_path, ruff


def git(repo, *args, env=None, input=None):
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True, text=True, env=env, input=input).stdout


def git_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.com",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.com",
               GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null",
               # no background auto-gc racing the explicit one
               GIT_CONFIG_COUNT="1", GIT_CONFIG_KEY_0="gc.auto", GIT_CONFIG_VALUE_0="0")
    return env


def make_repo(path, files, ssot, seed=1):
    """A monorepo of about `files` Python files (15% with violations), adopted with `ssot baseline`."""
    if os.path.exists(os.path.join(path, ".bench-complete")):
        return path
    shutil.rmtree(path, ignore_errors=True)
    env = git_env()
    # In a process of its own: the generator holds every file in memory, and a
    # large benchmark process would stand in every timed child's peak RSS (fork).
    subprocess.run([sys.executable, generator.__file__, path, "--files", str(files), "--violating", str(files * 15 // 100),
                    "--seed", str(seed), "--ruff"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([ssot, "baseline", "-C", path], check=True, capture_output=True, env=env)
    git(path, "commit", "-q", "-m", "adopt ssot", env=env)
    git(path, "gc", "-q", env=env)  # packed, as a real repository's objects mostly are
    open(os.path.join(path, ".bench-complete"), "w").close()
    return path


def edits(seed):
    """New texts for files of a generated repository, for the pushed commits."""
    return generator.Repo(argparse.Namespace(seed=seed, filler="synthetic", files=0, violating=0, commits=0))


def timed(cmd, cwd=None, env=None, stdin=None):
    """Wall seconds and peak RSS (KiB) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if stdin is not None:
        proc.stdin.write(stdin.encode())
        proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{cmd[0]} exited {proc.returncode}: {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss


def alternate(commands, runs):
    """Runs each command `runs` times, interleaved; returns medians of time and peak memory."""
    times = {name: [] for name in commands}
    peaks = {name: [] for name in commands}
    for name, spec in commands.items():  # one warm-up each
        timed(**spec)
    for _ in range(runs):
        for name, spec in commands.items():
            t, m = timed(**spec)
            times[name].append(t)
            peaks[name].append(m)
    return {name: (statistics.median(times[name]), max(peaks[name])) for name in commands}


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def find_ruff():
    exe = shutil.which("ruff")
    try:
        from ruff.__main__ import find_ruff_bin
        return find_ruff_bin()  # the binary itself, not a pyenv shim
    except ImportError:
        pass
    if exe is None:
        print("installing ruff from PyPI ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "ruff"], check=True)
        from ruff.__main__ import find_ruff_bin
        return find_ruff_bin()
    return exe


def build_ssot(root, out):
    print("building ssot (release) ...", file=sys.stderr)
    flags = ["-c", "release", "-Xswiftc", "-static-executable"]  # what install.sh installs
    env = dict(os.environ, SSOT_STATIC="1")  # libgit2 and utf8proc linked in, as install.sh builds it
    subprocess.run(["swift", "build", *flags, "--product", "ssot"], cwd=root, env=env, check=True, stdout=subprocess.DEVNULL)
    path = subprocess.run(["swift", "build", *flags, "--show-bin-path"], cwd=root, env=env, check=True,
                          capture_output=True, text=True).stdout.strip()
    # Stripped, as install.sh installs it.
    installed = os.path.join(out, "ssot")
    shutil.copyfile(os.path.join(path, "ssot"), installed)
    os.chmod(installed, 0o755)
    subprocess.run(["strip", "--strip-all", installed], check=True)
    return installed


def whole_tree(args, ssot, ruff, out):
    rows = []
    repo = make_repo(os.path.join(out, f"repo-{args.whole_files}"), args.whole_files, ssot)
    env = git_env()
    r = alternate({
        "ssot": dict(cmd=[ssot, "check", "--all", "--no-baseline", "--format", "json"], cwd=repo, env=env),
        "ruff": dict(cmd=[ruff, "check", "--no-cache", "--select", "TID251", "--output-format", "concise", "."], cwd=repo, env=env),
    }, args.runs)
    rows.append((f"generated repo, {args.whole_files:,} files", r))
    stdlib = sysconfig.get_paths()["stdlib"]
    ssot_conf, ruff_conf = busy_configs(out)
    env_py = dict(env, GIT_CEILING_DIRECTORIES=os.path.dirname(stdlib))
    ruff_cmd = [ruff, "check", "--no-cache", "--isolated", "--select", "TID251", "--output-format", "concise"]
    for c in ruff_conf:
        ruff_cmd += ["--config", c]
    r = alternate({
        "ssot": dict(cmd=[ssot, "check", "--all", "--no-baseline", "--format", "json", "--config", ssot_conf, "-C", stdlib],
                     cwd=stdlib, env=env_py),
        "ruff": dict(cmd=ruff_cmd + ["."], cwd=stdlib, env=env_py),
    }, args.runs)
    count = sum(1 for d, _, fs in os.walk(stdlib) for f in fs if f.endswith((".py", ".pyi")))
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(stdlib) for f in fs if f.endswith((".py", ".pyi")))
    rows.append((f"Python installation, {count:,} files, {size / 1e6:.0f} MB", r))
    lines = ["| tree | ssot | ruff | ssot/ruff | ssot peak | ruff peak |", "|---|---|---|---|---|---|"]
    for label, r in rows:
        (ts, ms_), (tr, mr) = r["ssot"], r["ruff"]
        lines.append(f"| {label} | {ms(ts)} | {ms(tr)} | **{ts / tr:.2f}** | {ms_ / 1024:.0f} MiB | {mr / 1024:.0f} MiB |")
    return "\n".join(lines)


def stage_files(repo, count, rng):
    files = sorted(p for p in git(repo, "ls-files", "netra_backend/app").split("\n") if p.endswith(".py"))
    chosen = rng.sample(files, count)
    for p in chosen:
        with open(os.path.join(repo, p), "a") as fh:
            fh.write("x_bench = 1\n")
    git(repo, "add", *chosen)
    return chosen


def precommit(args, ssot, ruff, out):
    lines = ["| repo files | staged | ssot --staged | ruff on the staged files | git diff --cached | ssot/ruff |",
             "|---|---|---|---|---|---|"]
    env = git_env()
    for size in args.sizes:
        repo = make_repo(os.path.join(out, f"repo-{size}"), size, ssot)
        for count in (1, 20, 500):
            if count > size:
                continue
            chosen = stage_files(repo, count, random.Random(count))
            r = alternate({
                "ssot": dict(cmd=[ssot, "check", "--staged"], cwd=repo, env=env),
                "ruff": dict(cmd=[ruff, "check", "--no-cache", "--select", "TID251", "--output-format", "concise", *chosen],
                             cwd=repo, env=env),
                "git": dict(cmd=["git", "diff", "--cached", "--name-only"], cwd=repo, env=env),
            }, args.runs)
            git(repo, "reset", "-q", "--hard", env=env)
            (ts, _), (tr, _), (tg, _) = r["ssot"], r["ruff"], r["git"]
            lines.append(f"| {size:,} | {count} | {ms(ts)} | {ms(tr)} | {ms(tg)} | **{ts / tr:.2f}** |")
    return "\n".join(lines)


def prereceive(args, ssot, ruff, out):
    env = git_env()
    size = args.push_files
    base = make_repo(os.path.join(out, f"repo-{size}"), size, ssot)
    lines = ["| commits pushed | files changed | ssot --pre-receive | ruff on the changed files | ssot/ruff |",
             "|---|---|---|---|---|"]
    for commits in (1, 30, 300):
        work = os.path.join(out, f"push-work-{size}-{commits}")
        server = os.path.join(out, f"push-server-{size}-{commits}.git")
        for d in (work, server):
            shutil.rmtree(d, ignore_errors=True)
        subprocess.run(["git", "clone", "-q", base, work], check=True, env=env)
        subprocess.run(["git", "clone", "-q", "--bare", base, server], check=True, env=env)
        old = git(work, "rev-parse", "HEAD").strip()
        rng = random.Random(commits)
        maker = edits(commits)
        files = sorted(p for p in git(work, "ls-files", "netra_backend/app").split("\n") if p.endswith(".py"))
        for c in range(commits):
            for p in rng.sample(files, rng.randrange(1, 6)):
                with open(os.path.join(work, p), "w") as fh:
                    fh.write(maker.source(p, 1 if rng.random() < 0.2 else 0))
            git(work, "commit", "-q", "-am", f"change {c}", env=env)
        new = git(work, "rev-parse", "HEAD").strip()
        # The objects reach the server; the ref is judged as pre-receive would judge it.
        git(work, "push", "-q", server, "HEAD:refs/bench/pushed", env=env)
        changed = [p for p in git(work, "diff", "--name-only", old, new).split("\n") if p.endswith(".py")]
        r = alternate({
            "ssot": dict(cmd=[ssot, "check", "--pre-receive"], cwd=server, env=dict(env, GIT_DIR=server),
                         stdin=f"{old} {new} refs/heads/main\n"),
            "ruff": dict(cmd=[ruff, "check", "--no-cache", "--select", "TID251", "--output-format", "concise", *changed],
                         cwd=work, env=env),
        }, args.runs)
        (ts, _), (tr, _) = r["ssot"], r["ruff"]
        lines.append(f"| {commits} | {len(changed)} | {ms(ts)} | {ms(tr)} | **{ts / tr:.2f}** |")
    return "\n".join(lines)


def hostile_inputs():
    """The shapes that once made the gate's cost quadratic (issue 11, item 8)."""
    head = f"from {PKG} import {SINGLETON}\nimport {BANNED_MODULES[0]}\n"
    return {
        "10,000 banned names on one line": head + "x = [" + f"{SINGLETON}, " * 10_000 + "]\n",
        "f-string with 20,000 fields": head + 'x = f"' + f"{{{SINGLETON}()}}" * 20_000 + '"\n',
        "1 MiB of nested brackets": head + "x = " + "(" * ((1 << 19) - 64) + ")" * ((1 << 19) - 64) + "\n",
        "20,000 names in one import": head + f"from {BANNED_MODULES[0]} import (" + ", ".join(f"n{i}" for i in range(20_000)) + ")\n",
        "16,384 names of one FNV-1a hash": head + "import " + ",".join(fnv_colliding_names(14, 4)) + "\n",
    }


def fnv_colliding_names(blocks, length):
    """2**blocks names of equal 32-bit FNV-1a hash, chained from colliding blocks (the third
    hostile review: the scanner's name table once hashed with FNV-1a, and probed for seconds)."""
    rng = random.Random(7)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"

    def step(h, text):
        for c in text.encode():
            h = ((h ^ c) * 16777619) & 0xFFFFFFFF
        return h

    h, pairs = 2166136261, []
    for i in range(blocks):
        seen = {}
        while True:
            text = rng.choice(alphabet[:52] if i == 0 else alphabet) + "".join(rng.choice(alphabet) for _ in range(length - 1))
            value = step(h, text)
            if seen.get(value, text) != text:
                pairs.append((seen[value], text))
                break
            seen[value] = text
        h = step(h, pairs[-1][0])
    names = [""]
    for a, b in pairs:
        names = [n + a for n in names] + [n + b for n in names]
    return names


def ordinary_of_size(size, maker):
    """Ordinary code (the generated repository's kind) of at least `size` bytes."""
    parts, total = [], 0
    while total < size:
        text = maker.source("netra_backend/app/agents/mod0.py", 1)
        parts.append(text)
        total += len(text)
    return "".join(parts)[:size].rsplit("\n", 1)[0] + "\n"


def hostile(args, ssot, ruff, out):
    maker = edits(7)
    env = git_env()
    lines = ["| input | size | ssot | ordinary file, same size | ratio | ruff on the input |", "|---|---|---|---|---|---|"]
    for label, text in hostile_inputs().items():
        commands = {}
        for kind, body in (("input", text), ("ordinary", ordinary_of_size(len(text), maker))):
            repo = os.path.join(out, "hostile", label.split()[0].replace(",", "") + "-" + kind)
            if not os.path.exists(os.path.join(repo, ".bench-complete")):
                shutil.rmtree(repo, ignore_errors=True)
                os.makedirs(repo)
                git(repo, "init", "-q", "-b", "main", env=env)
                with open(os.path.join(repo, "pyproject.toml"), "w") as fh:
                    fh.write(generator.CONFIG + generator.RUFF_CONFIG)
                git(repo, "add", "-A", env=env)
                subprocess.run([ssot, "baseline"], cwd=repo, env=env, check=True, capture_output=True)
                git(repo, "commit", "-q", "-m", "adopt ssot", env=env)
                with open(os.path.join(repo, "hostile.py"), "w") as fh:
                    fh.write(body)
                git(repo, "add", "hostile.py", env=env)
                open(os.path.join(repo, ".bench-complete"), "w").close()
            commands[kind] = dict(cmd=[ssot, "check", "--staged", "--format", "json"], cwd=repo, env=env)
            if kind == "input":
                commands["ruff"] = dict(cmd=[ruff, "check", "--no-cache", "--select", "TID251", "--output-format", "concise",
                                             "hostile.py"], cwd=repo, env=env)
        r = alternate(commands, args.runs)
        ti, to, tr = r["input"][0], r["ordinary"][0], r["ruff"][0]
        lines.append(f"| {label} | {len(text) / 1024:.0f} KiB | {ms(ti)} | {ms(to)} | **{ti / to:.2f}** | {ms(tr)} |")
    return "\n".join(lines)


def startup(args, ssot, ruff, out):
    """What a run costs before it does anything, and what the binary weighs."""
    env = git_env()
    r = alternate({
        "ssot": dict(cmd=[ssot, "--version"], env=env),
        "git": dict(cmd=["git", "--version"], env=env),
        "ruff": dict(cmd=[ruff, "--version"], env=env),
    }, max(args.runs, 9))
    (ts, _), (tg, _), (tr, _) = r["ssot"], r["git"], r["ruff"]
    size = os.path.getsize(ssot)
    lines = ["| command | time | ssot/that |", "|---|---|---|",
             f"| ssot --version | {ms(ts)} | 1.00 |",
             f"| git --version | {ms(tg)} | **{ts / tg:.2f}** |",
             f"| ruff --version | {ms(tr)} | **{ts / tr:.2f}** |",
             "", f"The binary: {size / 1e6:.1f} MB ({size:,} bytes)."]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,20000,100000", help="repository sizes for the pre-commit table")
    ap.add_argument("--whole-files", type=int, default=20000, help="size of the generated repo for the whole-tree scan")
    ap.add_argument("--push-files", type=int, default=20000, help="size of the repo pushed to")
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build-bench"))
    ap.add_argument("--ssot", help="an ssot binary (default: build in release mode)")
    ap.add_argument("--only", default="startup,whole,precommit,prereceive,hostile")
    args = ap.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",")]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    ssot = os.path.abspath(args.ssot) if args.ssot else build_ssot(root, out)
    ruff = find_ruff()
    ruff_version = subprocess.run([ruff, "--version"], capture_output=True, text=True).stdout.strip()
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    print(f"# ssot benchmark\n\n{ruff_version}; {os.cpu_count()} cores ({cpu}); medians of {args.runs} alternating runs\n")
    only = set(args.only.split(","))
    if "startup" in only:
        print("## Start-up and size\n\n" + startup(args, ssot, ruff, out) + "\n", flush=True)
    if "whole" in only:
        print("## Whole-tree scan\n\n" + whole_tree(args, ssot, ruff, out) + "\n", flush=True)
    if "precommit" in only:
        print("## Pre-commit\n\n" + precommit(args, ssot, ruff, out) + "\n", flush=True)
    if "prereceive" in only:
        print(f"## Pre-receive ({args.push_files:,}-file repository)\n\n" + prereceive(args, ssot, ruff, out) + "\n", flush=True)
    if "hostile" in only:
        print("## Hostile inputs (`ssot check --staged`, one file)\n\n" + hostile(args, ssot, ruff, out) + "\n", flush=True)


if __name__ == "__main__":
    main()
