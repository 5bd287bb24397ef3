#!/usr/bin/env python3
"""ssot's own benchmark: ssot against ruff's banned-api rule (TID251) on the
same files, in one run, alternating the tools, reporting medians and ratios.

    python3 Benchmarks/bench.py [--sizes 1000,20000,100000] [--runs 9] [--out DIR] [--only startup,whole,report,precommit,prereceive,hostile,fix,trend]

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
     and reported as a ratio to an ordinary file of the same size;
  5. the migration (SPEC 8): `ssot fix` on a generated repository of thousands of fixable
     legacy imports vs `ruff check --fix --select UP035` (the same kind of rewrite: an import
     moved to another module, the local name kept) on a copy of the tree with as many deprecated
     `typing` imports planted, and vs LibCST's rename codemod for one of the names; each run on
     a freshly restored tree (the restore untimed), with the lines each tool rewrote;
  6. the debt over history (SPEC 10): `ssot trend` cold, warm and after 50 new commits over a
     generated 2,000-commit history (scripts/make_history.py), vs one ruff run on its tip; the
     naive way (a checkout and `ssot check --all` per commit) and wily over the last 50 revisions
     (once: minutes); peak memory over a quarter of the history and all of it.
"""
import argparse
import ast
import concurrent.futures
import json
import multiprocessing
import os
import random
import re
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


def timed(cmd, cwd=None, env=None, stdin=None, stderr=None):
    """Wall seconds and peak RSS (KiB) of one run (its stderr to the file `stderr`, if given)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=stderr if stderr is not None else subprocess.DEVNULL)
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


def report(args, ssot, ruff, out):
    """`ssot report` (a whole-tree scan with each rule's shadow, and what fix
    would fix) against `ruff check --statistics --select TID251`, the nearest
    count ruff gives, on the same trees as the whole-tree scan."""
    rows = []
    repo = make_repo(os.path.join(out, f"repo-{args.whole_files}"), args.whole_files, ssot)
    env = git_env()
    r = alternate({
        "ssot": dict(cmd=[ssot, "report", "--format", "json"], cwd=repo, env=env),
        "ruff": dict(cmd=[ruff, "check", "--no-cache", "--select", "TID251", "--statistics", "."], cwd=repo, env=env),
    }, args.runs)
    rows.append((f"generated repo, {args.whole_files:,} files", r))
    stdlib = sysconfig.get_paths()["stdlib"]
    ssot_conf, ruff_conf = busy_configs(out)
    env_py = dict(env, GIT_CEILING_DIRECTORIES=os.path.dirname(stdlib))
    ruff_cmd = [ruff, "check", "--no-cache", "--isolated", "--select", "TID251", "--statistics"]
    for c in ruff_conf:
        ruff_cmd += ["--config", c]
    r = alternate({
        "ssot": dict(cmd=[ssot, "report", "--format", "json", "--config", ssot_conf, "-C", stdlib], cwd=stdlib, env=env_py),
        "ruff": dict(cmd=ruff_cmd + ["."], cwd=stdlib, env=env_py),
    }, args.runs)
    rows.append(("Python installation", r))
    lines = ["| tree | ssot report | ruff --statistics | ssot/ruff | ssot peak | ruff peak |", "|---|---|---|---|---|---|"]
    for label, r in rows:
        (ts, ms_), (tr, mr) = r["ssot"], r["ruff"]
        lines.append(f"| {label} | {ms(ts)} | {ms(tr)} | **{ts / tr:.2f}** | {ms_ / 1024:.0f} MiB | {mr / 1024:.0f} MiB |")
    return "\n".join(lines)


def trend(args, ssot, ruff, out):
    """`ssot trend` over a generated history (scripts/make_history.py: 2,000 first-parent
    commits growing to 20,000 files, debt rising and falling, a baseline tightened):
    cold (the cache removed before each run), warm (a second run), and after 50 new
    commits (incremental), each against one `ruff check --select TID251` of the tip tree
    with the same bans. The naive way, a checkout and `ssot check --all` per commit, is
    timed over the last 50 commits."""
    repo = os.path.join(out, f"history-{args.trend_commits}-{args.trend_files}")
    if not os.path.exists(os.path.join(repo, ".bench-complete")):
        shutil.rmtree(repo, ignore_errors=True)
        subprocess.run([sys.executable, os.path.join(os.path.dirname(generator.__file__), "make_history.py"), repo,
                        "--commits", str(args.trend_commits), "--files", str(args.trend_files)], check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(repo, "pyproject.toml"), "a") as f:
            f.write(generator.RUFF_CONFIG if hasattr(generator, "RUFF_CONFIG") else "")
        git(repo, "gc", "-q")
        open(os.path.join(repo, ".bench-complete"), "w").close()
    env = git_env()
    cache = os.path.join(repo, ".git", "ssot")
    cold = dict(cmd=["sh", "-c", f"rm -rf '{cache}' && exec '{ssot}' trend --format csv"], cwd=repo, env=env)
    warm = dict(cmd=[ssot, "trend", "--format", "csv"], cwd=repo, env=env)
    ruff_cmd = dict(cmd=[ruff, "check", "--no-cache", "--select", "TID251", "."], cwd=repo, env=env)
    r = alternate({"cold": cold, "warm": warm, "ruff": ruff_cmd}, args.runs)
    size = sum(os.path.getsize(os.path.join(cache, f)) for f in ("trend-v1.cache", "trend-points-v1.cache"))
    # Incremental: 50 new commits on a copy, the cache warm from the old tip.
    inc = repo + "-inc"
    shutil.rmtree(inc, ignore_errors=True)
    shutil.copytree(repo, inc, symlinks=True)
    subprocess.run([ssot, "trend", "--format", "csv"], cwd=inc, env=env, check=True, stdout=subprocess.DEVNULL)
    rng = random.Random(5)
    paths = [p for p in subprocess.run(["git", "ls-files", "*.py"], cwd=inc, capture_output=True, text=True).stdout.split()]
    for k in range(50):
        p = os.path.join(inc, rng.choice(paths))
        with open(p, "a") as f:
            f.write(f"\nEDIT_{k} = {k}\n")
        git(inc, "commit", "-q", "-am", f"edit {k}", env=env)
    t_inc, m_inc = timed([ssot, "trend", "--format", "csv"], cwd=inc, env=env)
    # The naive way: check out each of the last 50 commits and run `ssot check --all`.
    ids = subprocess.run(["git", "rev-list", "--first-parent", "-50", "HEAD"], cwd=inc, capture_output=True, text=True).stdout.split()
    start = time.perf_counter()
    for c in ids:
        subprocess.run(["git", "checkout", "-q", "-f", c], cwd=inc, env=env, check=True)
        subprocess.run([ssot, "check", "--all", "--no-baseline", "--format", "json"], cwd=inc, env=env, stdout=subprocess.DEVNULL)
    naive = (time.perf_counter() - start) / len(ids) * args.trend_commits
    shutil.rmtree(inc, ignore_errors=True)
    # Bounded memory: a quarter of the history and all of it, the same tip, no cache.
    line = git(repo, "rev-list", "--first-parent", "HEAD").split()
    quarter = line[len(line) // 4 - 1]
    _, m_quarter = timed([ssot, "trend", "--no-cache", "--format", "csv", "--since", quarter], cwd=repo, env=env)
    _, m_whole = timed([ssot, "trend", "--no-cache", "--format", "csv"], cwd=repo, env=env)
    # wily, a history tool that checks out each revision: its metrics over the last 50, once (minutes).
    wily_row = "| wily, not installed (`pip install wily`) | | | |"
    wily = shutil.which("wily")
    if wily and args.wily_revisions > 0:
        copy = repo + "-wily"
        shutil.rmtree(copy, ignore_errors=True)
        subprocess.run(["git", "clone", "-q", repo, copy], check=True, env=env)
        t_wily, m_wily = timed([wily, "build", "-n", str(args.wily_revisions), "."], cwd=copy, env=env)
        shutil.rmtree(copy, ignore_errors=True)
        wily_row = (f"| `wily build -n {args.wily_revisions}` (checks out each revision; once) | {t_wily:.1f} s | "
                    f"**{t_wily / r['ruff'][0]:.0f}** | {m_wily / 1024:.0f} MiB |")
    tr = r["ruff"][0]
    lines = [f"{args.trend_commits:,} commits, {args.trend_files:,} files at the tip; caches {size / 1024:.0f} KiB "
             f"({size / 1024 / (args.trend_commits / 1000):.0f} KiB per 1,000 commits)", "",
             "| run | time | /ruff on the tip | peak RSS |", "|---|---|---|---|",
             f"| `ssot trend`, cold | {ms(r['cold'][0])} | **{r['cold'][0] / tr:.2f}** | {r['cold'][1] / 1024:.0f} MiB |",
             f"| `ssot trend`, warm | {ms(r['warm'][0])} | **{r['warm'][0] / tr:.2f}** | {r['warm'][1] / 1024:.0f} MiB |",
             f"| `ssot trend`, after 50 new commits | {ms(t_inc)} | **{t_inc / tr:.2f}** | {m_inc / 1024:.0f} MiB |",
             f"| `ruff check --select TID251`, tip only | {ms(tr)} | 1.00 | {r['ruff'][1] / 1024:.0f} MiB |",
             f"| checkout + `ssot check --all` per commit (50 timed, scaled to the history) | {naive:.1f} s | "
             f"**{naive / tr:.0f}** | |", wily_row, "",
             f"Peak memory, cold and without a cache, the same tip: {m_quarter / 1024:.0f} MiB over the last "
             f"{len(line) // 4:,} commits, {m_whole / 1024:.0f} MiB over all {len(line):,}."]
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


# ---- 5. ssot fix ----------------------------------------------------------

CANONICAL = f"{PKG}.canonical_imports"
# What the canonical module binds (SPEC 8: a legacy import is fixable when it does).
CANONICAL_EXPORTS = next(
    [e.value for e in node.value.elts] for node in ast.parse(generator.CORE_FILES[f"{generator.PKG_DIR}/canonical_imports.py"]).body
    if isinstance(node, ast.Assign) and node.targets[0].id == "__all__")
# A typing name that ruff's UP035 moves to collections.abc at py39, for each fixable legacy name:
# the same rewrite as ssot's (the import's module changes, the local name stays).
# (`from typing import List, Dict` is flagged by UP035 but has no fix: UP006 rewrites the uses.)
TYPING_FOR = {"UnifiedWebSocketManager": "Iterable", "WebSocketConnection": "Mapping",
              "WebSocketManager": "Sequence", "WebSocketManagerFactory": "Awaitable"}


def fixable_imports(path, text):
    """The `from LEGACY import n` statements of a file that `ssot fix` should rewrite, by
    construction (SPEC 8): (first line, last line, names that move), relative imports resolved."""
    if path.startswith(generator.PKG_DIR + "/"):
        return []  # allow-in
    module = generator.module_name(path)
    package = module.split(".") if path.endswith("__init__.py") else module.split(".")[:-1]
    found = []

    def visit(node, guarded):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Try):
                for part in child.body:  # try/except ImportError: reported, not rewritten
                    visit(part, True)
                for part in child.handlers + child.orelse + child.finalbody:
                    visit(part, guarded)
                continue
            if isinstance(child, ast.ImportFrom) and not guarded:
                base = package[:len(package) - child.level + 1] if child.level else []
                name = ".".join(base + ([child.module] if child.module else []))
                moved = [a.name for a in child.names if a.name in CANONICAL_EXPORTS]
                if name in BANNED_MODULES and moved:
                    found.append((child.lineno, child.end_lineno, moved))
            visit(child, guarded)

    visit(ast.parse(text), False)
    return found


def plant_typing(repo):
    """Beside each statement `ssot fix` would rewrite, a `from typing import ...` of as many names
    that ruff's UP035 would rewrite; returns (statements, names, files) planted."""
    statements = names = files = 0
    for path in git(repo, "ls-files", "*.py").split():
        full = os.path.join(repo, path)
        with open(full, encoding="utf-8") as fh:
            text = fh.read()
        found = fixable_imports(path, text)
        if not found:
            continue
        lines = text.split("\n")
        for first, last, moved in reversed(found):
            indent = re.match(r"\s*", lines[first - 1]).group()
            lines.insert(last, f"{indent}from typing import {', '.join(TYPING_FOR[n] for n in moved)}")
            statements += 1
            names += len(moved)
        files += 1
        with open(full, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines))
    return statements, names, files


def expected_fixes(repo):
    """(statements, names, files) that `ssot fix` should rewrite in a generated repository."""
    statements = names = files = 0
    for path in git(repo, "ls-files", "*.py").split():
        with open(os.path.join(repo, path), encoding="utf-8") as fh:
            found = fixable_imports(path, fh.read())
        statements += len(found)
        names += sum(len(m) for _, _, m in found)
        files += bool(found)
    return statements, names, files


def in_child(fn, *args):
    """fn(*args) in a forked process: what it reads stays out of this process, whose size would
    stand in every timed child's peak RSS (fork)."""
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        return pool.submit(fn, *args).result()


def ruff_fixable(cmd, cwd, env):
    """How many diagnostics with a fix `cmd` (ruff, JSON output) reports."""
    p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    return sum(1 for d in json.loads(p.stdout or "[]") if d.get("fix"))


BASELINE = re.search(r'^baseline = "([^"]+)"', generator.CONFIG, re.M).group(1)


def fix_repo(path, files, violating, ssot):
    """A committed monorepo of `files` files, `violating` of them with legacy imports, adopted with
    `ssot baseline` (which `ssot fix` tightens); returns (path, a note when the adoption failed).
    A cached repository that has no baseline yet is adopted again with this ssot."""
    env = git_env()
    if not os.path.exists(os.path.join(path, ".bench-complete")):
        shutil.rmtree(path, ignore_errors=True)
        subprocess.run([sys.executable, generator.__file__, path, "--files", str(files), "--violating", str(violating),
                        "--seed", "1"], check=True, stdout=subprocess.DEVNULL)
        open(os.path.join(path, ".bench-complete"), "w").close()
    if git(path, "ls-files", BASELINE).strip():
        return path, ""
    p = subprocess.run([ssot, "baseline"], cwd=path, capture_output=True, text=True, env=env)
    if p.returncode != 0 or not os.path.exists(os.path.join(path, BASELINE)):
        return path, (f"`ssot baseline` exited {p.returncode} and wrote no {BASELINE}: the repository has no baseline "
                      f"for `ssot fix` to tighten. {p.stderr.strip()[:300]}")
    git(path, "add", BASELINE, env=env)
    git(path, "commit", "-q", "-m", "adopt ssot", env=env)
    return path, ""


def work_tree(base, path, env):
    """A fresh clone of `base` for one tool to write in; `git reset --hard` restores it."""
    shutil.rmtree(path, ignore_errors=True)
    subprocess.run(["git", "clone", "-q", base, path], check=True, env=env)
    return path


def changes(repo):
    """What the last run wrote in `repo`'s working tree (against HEAD): Python files changed,
    import lines removed and added, other Python lines removed or added, other files changed,
    untracked files left."""
    files = imports_removed = imports_added = other = 0
    in_hunk = False
    for line in git(repo, "diff", "-U0", "--no-color", "--no-ext-diff", "--", "*.py").split("\n"):
        if line.startswith("diff --git"):
            files, in_hunk = files + 1, False
        elif line.startswith("@@"):
            in_hunk = True
        elif in_hunk and line[:1] in "+-" and line:
            body = line[1:]
            if re.match(r"\s*(from|import)\s", body) or re.search(r";\s*(from|import)\s", body) or body.startswith("    import "):
                if line[0] == "-":
                    imports_removed += 1
                else:
                    imports_added += 1
            else:
                other += 1
    non_python = [l.split("\t", 2)[2] + f" (-{l.split()[1]}/+{l.split()[0]})"
                  for l in git(repo, "diff", "--numstat", "--", ".", ":(exclude)*.py").split("\n") if l]
    untracked = [l[3:] for l in git(repo, "status", "--porcelain", "--untracked-files=all").split("\n")
                 if l.startswith("??") and l[3:] != ".bench-complete"]
    return dict(files=files, removed=imports_removed, added=imports_added, other=other,
                non_python=non_python, untracked=untracked)


def alternate_restored(commands, runs, notes):
    """alternate() for commands that write to their tree: every run, the warm-up too, starts from
    its tree restored (`restore`, outside the timed interval: only the command is timed). A command
    may take fewer runs (`runs`), and may name a cheap `probe` to run instead of a full warm-up. The
    warm-up (or probe) keeps its output: a command that exits outside `ok` is dropped, its output
    in `notes`. A command's `log` keeps the stderr of its timed runs. Returns
    name -> (median, peak, runs, what it printed last)."""
    warm, active = {}, []
    for name, spec in commands.items():
        spec["restore"]()
        cmd = spec.get("probe", spec["cmd"])
        p = subprocess.run(cmd, cwd=spec.get("cwd"), env=spec.get("env"), stdin=subprocess.DEVNULL,
                           capture_output=True, text=True)
        if p.returncode not in spec.get("ok", (0, 1)):
            err = "\n".join("  " + l for l in (p.stderr.strip() or p.stdout.strip() or "(no output)").split("\n")[-20:])
            notes.append(f"**{name}** exited {p.returncode}, no row: `{' '.join(cmd)[:300]}`\n\n  ```\n{err}\n  ```")
            print(f"{name} exited {p.returncode}:\n{p.stderr}", file=sys.stderr)
            continue
        warm[name] = said(p.stdout, p.stderr)
        active.append(name)
    times = {name: [] for name in active}
    peaks = {name: [] for name in active}
    for i in range(max([commands[n].get("runs", runs) for n in active] or [0])):
        for name in list(active):
            spec = commands[name]
            if i >= spec.get("runs", runs):
                continue
            spec["restore"]()
            log = open(spec["log"], "w") if "log" in spec else None
            try:
                t, m = timed(spec["cmd"], cwd=spec.get("cwd"), env=spec.get("env"), stderr=log)
            except RuntimeError as e:
                notes.append(f"**{name}** failed in a timed run, no row: {e}")
                active.remove(name)
                continue
            finally:
                if log:
                    log.close()
            times[name].append(t)
            peaks[name].append(m)
    last = {}
    for name in active:
        last[name] = warm[name]
        if "log" in commands[name]:
            with open(commands[name]["log"], errors="replace") as fh:
                last[name] = said("", fh.read())
    return {name: (statistics.median(times[name]), max(peaks[name]), len(times[name]), last[name]) for name in active}


def find_libcst():
    """A Python that can run `python -m libcst.tool` (LibCST installed from PyPI when missing), or None."""
    check = [sys.executable, "-c", "import libcst.tool"]
    if subprocess.run(check, capture_output=True).returncode == 0:
        return sys.executable
    print("installing libcst from PyPI ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "libcst"], capture_output=True)
    return sys.executable if subprocess.run(check, capture_output=True).returncode == 0 else None


def paths_except(root, excluded):
    """Folders and Python files under `root` that cover every Python file but those in the folder `excluded`."""
    out, stack = [], [""]
    while stack:
        rel = stack.pop()
        for entry in sorted(os.listdir(os.path.join(root, rel))):
            p = os.path.join(rel, entry)
            if entry == ".git" or p == excluded:
                continue
            if excluded.startswith(p + "/"):
                stack.append(p)
            elif p.endswith(".py") or os.path.isdir(os.path.join(root, p)):
                out.append(p)
    return sorted(out)


def text_of(path):
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def said(stdout, stderr):
    """The last lines a tool printed, for the notes."""
    text = (stdout.strip() + "\n" + stderr.strip()).strip()
    tail = [l.strip(" -") for l in text.split("\n") if l.strip()][-4:]
    return "; ".join(tail)[:400] or "(nothing)"


def fix(args, ssot, ruff, out):
    env = git_env()
    size = args.fix_files
    violating = size // 5
    notes = []
    base, note = fix_repo(os.path.join(out, f"fix-{size}"), size, violating, ssot)
    if note:
        notes.append(note)
    statements, names, nfiles = in_child(expected_fixes, base)
    ssot_tree = work_tree(base, os.path.join(out, f"fix-{size}-ssot"), env)
    ruff_tree = work_tree(base, os.path.join(out, f"fix-{size}-ruff"), env)
    planted = in_child(plant_typing, ruff_tree)
    git(ruff_tree, "commit", "-q", "-am", "deprecated typing imports for UP035", env=env)
    ruff_args = ["--select", "UP035", "--target-version", "py39", "--no-cache", "--isolated"]
    fixable = in_child(ruff_fixable, [ruff, "check", *ruff_args, "--output-format", "json", "."], ruff_tree, env)

    def restore(tree):
        return lambda: git(tree, "reset", "-q", "--hard", env=env)

    jobs = os.cpu_count()  # ssot and ruff use every core
    RUFF = "ruff check --fix --select UP035"
    commands = {
        "ssot fix": dict(cmd=[ssot, "fix"], cwd=ssot_tree, env=env, restore=restore(ssot_tree), ok=(0,)),
        RUFF: dict(cmd=[ruff, "check", "--fix", *ruff_args, "."], cwd=ruff_tree, env=env, restore=restore(ruff_tree)),
    }
    trees = {"ssot fix": ssot_tree, RUFF: ruff_tree}
    scale = {}
    python = find_libcst()
    libcst_runs = min(args.runs, args.libcst_runs)
    if python is None:
        notes.append("LibCST could not be installed (`pip install libcst` failed): no LibCST row.")
    else:
        libcst_tree = work_tree(base, os.path.join(out, f"fix-{size}-libcst"), env)
        version = subprocess.run([python, "-c", "import importlib.metadata as m; print(m.version('libcst'))"],
                                 capture_output=True, text=True).stdout.strip()
        # The codemod's name first: libcst.tool reads the first word after `codemod` as the codemod.
        codemod = [python, "-m", "libcst.tool", "codemod", "rename.RenameCommand", "-j", str(jobs), "--no-format",
                   "--hide-progress", f"--old_name={PKG}.websocket_manager.WebSocketManager",
                   f"--new_name={CANONICAL}.WebSocketManager"]
        # Not the allow-in package, as ssot: there it would make canonical_imports.py import from itself.
        paths = paths_except(libcst_tree, generator.PKG_DIR)
        every = sorted(p for p in git(libcst_tree, "ls-files", "*.py").split() if not p.startswith(generator.PKG_DIR + "/"))
        name = f"LibCST rename.RenameCommand (-j {jobs})"
        if args.libcst_files and args.libcst_files < len(every):
            step = -(-len(every) // args.libcst_files)
            paths = every[::step]  # every step-th file: the tree's mix of files
            scale_by = len(every) / len(paths)
            name = f"LibCST rename.RenameCommand (-j {jobs}), {len(paths):,} of the files, time ×{scale_by:.1f}"
            scale[name] = scale_by
        probe = next(p for p in every if "websocket_manager import WebSocketManager" in text_of(os.path.join(libcst_tree, p)))
        commands[name] = dict(cmd=codemod + paths, probe=codemod + [probe], cwd=libcst_tree, env=env,
                              restore=restore(libcst_tree), runs=libcst_runs, log=os.path.join(out, "fix-libcst.stderr"))
        trees[name] = libcst_tree  # exits 1 when it failed on some files: counted in its summary
    print(f"timing ssot fix, ruff and LibCST on {size:,} files ...", file=sys.stderr)
    r = alternate_restored(commands, args.runs, notes)
    lines = [f"{size:,} files, {violating:,} of them with legacy imports: {statements:,} statements "
             f"({names:,} names) in {nfiles:,} files are fixable by construction (what `ssot fix` should rewrite, "
             f"one import line each). The ruff tree is the same with {planted[0]:,} `from typing import ...` "
             f"statements ({planted[1]:,} names) planted beside them, which UP035 moves to `collections.abc` "
             f"(ruff reports {fixable:,} fixable). LibCST renames one name, "
             f"`{PKG}.websocket_manager.WebSocketManager`, so it has fewer to rewrite. "
             f"Each run starts from a restored tree (`git reset --hard`, not timed). ssot and ruff use all {jobs} "
             f"cores, LibCST `-j {jobs}`. LibCST is slow: it runs {libcst_runs} time{'s' if libcst_runs > 1 else ''}, "
             f"without a warm-up (checked first on one file){f', LibCST {version}' if python else ''}.", "",
             "| command | runs | median | time/ruff | peak | files changed | import lines −/+ | other lines −+ |",
             "|---|---|---|---|---|---|---|---|"]
    ruff_t = r.get(RUFF, (None,))[0]
    for name in commands:
        if name not in r:
            lines.append(f"| {name} | – | failed | – | – | – | – | – |")
            continue
        t, peak, n, last = r[name]
        t *= scale.get(name, 1)
        c = changes(trees[name])
        ratio = f"**{t / ruff_t:.2f}**" if ruff_t else "–"
        lines.append(f"| {name} | {n} | {ms(t)} | {ratio} | {peak / 1024:.0f} MiB | {c['files']:,} | "
                     f"{c['removed']:,} / {c['added']:,} | {c['other']:,} |")
        notes.append(f"{name} said: {last}")
        if name == "ssot fix" and c["removed"] != statements:
            notes.append(f"ssot fix rewrote {c['removed']:,} import lines where {statements:,} are fixable by construction")
        if c["non_python"]:
            notes.append(f"{name} changed {', '.join(c['non_python'])}")
        if c["untracked"]:
            notes.append(f"{name} left {len(c['untracked'])} untracked files: {', '.join(c['untracked'][:5])}")
    return "\n".join(lines + [""] + [f"- {n}" for n in notes])

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,20000,100000", help="repository sizes for the pre-commit table")
    ap.add_argument("--whole-files", type=int, default=20000, help="size of the generated repo for the whole-tree scan")
    ap.add_argument("--push-files", type=int, default=20000, help="size of the repo pushed to")
    ap.add_argument("--fix-files", type=int, default=20000, help="size of the repo for ssot fix (a fifth with legacy imports)")
    ap.add_argument("--libcst-runs", type=int, default=1, help="timed runs of LibCST in the fix section (it is slow)")
    ap.add_argument("--libcst-files", type=int, default=2000,
                    help="run LibCST on a sample of about this many files, its time scaled to the tree (its start-up too: keep the "
                         "sample large); 0: all files (at about 0.25 s a file, 20,000 files take over an hour)")
    ap.add_argument("--trend-commits", type=int, default=2000, help="length of the generated history for ssot trend")
    ap.add_argument("--trend-files", type=int, default=20000, help="files at the tip of that history")
    ap.add_argument("--wily-revisions", type=int, default=50, help="revisions wily builds its metrics over, once (0: skip wily)")
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build-bench"))
    ap.add_argument("--ssot", help="an ssot binary (default: build in release mode)")
    ap.add_argument("--only", default="startup,whole,report,precommit,prereceive,hostile,fix,trend")
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
    if "report" in only:
        print("## `ssot report`\n\n" + report(args, ssot, ruff, out) + "\n", flush=True)
    if "precommit" in only:
        print("## Pre-commit\n\n" + precommit(args, ssot, ruff, out) + "\n", flush=True)
    if "prereceive" in only:
        print(f"## Pre-receive ({args.push_files:,}-file repository)\n\n" + prereceive(args, ssot, ruff, out) + "\n", flush=True)
    if "hostile" in only:
        print("## Hostile inputs (`ssot check --staged`, one file)\n\n" + hostile(args, ssot, ruff, out) + "\n", flush=True)
    if "trend" in only:
        print("## The debt over history: `ssot trend`\n\n" + trend(args, ssot, ruff, out) + "\n", flush=True)
    if "fix" in only:
        print(f"## The migration: `ssot fix` ({args.fix_files:,}-file repository)\n\n" + fix(args, ssot, ruff, out) + "\n", flush=True)


if __name__ == "__main__":
    main()
