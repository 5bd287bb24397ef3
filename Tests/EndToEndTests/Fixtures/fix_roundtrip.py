"""The round-trip property of `ssot fix` (SPEC 8), judged by CPython.

  fix_roundtrip.py generate OUT SEED FILES   a tree whose legacy modules re-export through
                                             chains, and consumers importing them every way
  fix_roundtrip.py check BEFORE AFTER [CANONICAL BANNED,… [FILE…]]
                                             prints one JSON object; "disagreements" must be [];
                                             the rule defaults to the generated tree's, FILEs to all

The checker is independent of ssot: CPython's `ast` parses every file; the
AST with import statements removed must be unchanged; each import whose
module or name changed must name the same object before and after, by a
resolver written here on `ast` (module-level statements in order, re-export
chains, packages, submodules) and by importing the modules and comparing
with `is`; and each import this resolver can prove movable that ssot left is
counted as missed.
"""
import ast
import importlib
import json
import os
import random
import sys

CORE = {
    "pkg/__init__.py": "",
    "pkg/app/__init__.py": "",
    "pkg/core/__init__.py": "from .unified import Manager, Isolated\n",
    "pkg/core/unified.py": (
        "class Manager:\n    pass\n\n\nclass Isolated:\n    pass\n\n\nclass Conn:\n    pass\n\n\n"
        "def factory():\n    return Manager()\n\n\nCONST = object()\n"
    ),
    "pkg/core/legacy_a.py": (
        "from pkg.core.unified import Manager, Isolated, Conn as Connection\n"
        "from .unified import factory\n"
        "WSManager = Manager\n"
        "Alias2 = WSManager\n"
        "from pkg.core import Manager as PkgManager\n"
        "\n\nclass Local:\n    pass\n\n\n"
        "try:\n    from pkg.core.fast import Speedy\nexcept ImportError:\n    Speedy = None\n"
        "__all__ = ['Local']\n"
    ),
    "pkg/core/legacy_b.py": (
        "from pkg.core.legacy_a import WSManager as Mgr, Connection\n"
        "from pkg.core import unified\n"
        "Factory = unified.factory\n"
        "Conn = Connection\n"
        "Isolated = object()\n"
        "CONST = unified.CONST\n"
    ),
    "pkg/core/canonical.py": (
        '"""The one place to import from."""\n'
        "from pkg.core.unified import Manager, Conn, factory\n"
        "from pkg.core.unified import Isolated as IsolatedManager\n"
        "Connection = Conn\n"
        "from pkg.core.legacy_b import CONST\n"
        "__all__ = ['Manager']\n"
    ),
}

NAMES = {
    "pkg.core.legacy_a": ["Manager", "Isolated", "Connection", "factory", "WSManager", "Alias2", "PkgManager",
                          "Local", "Speedy"],
    "pkg.core.legacy_b": ["Mgr", "Connection", "Factory", "Conn", "Isolated", "CONST"],
}

CONFIG = """[[rule]]
id = "core-canonical"
kind = "import"
canonical = "pkg.core.canonical"
banned = ["pkg.core.legacy_a", "pkg.core.legacy_b"]
allow-in = ["pkg/core/**"]
"""


def generate(out, seed, files):
    rng = random.Random(seed)
    for path, text in CORE.items():
        write(out, path, text)
    write(out, "ssot.toml", CONFIG)
    for n in range(files):
        write(out, f"pkg/app/mod{n}.py", consumer(rng))


def write(out, path, text):
    full = os.path.join(out, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", newline="") as f:
        f.write(text)


def consumer(rng):
    used = set()
    head, body, uses = [], [], []

    def items(module, k):
        picked = []
        for name in rng.sample(NAMES[module], k):
            local = name if name not in used and rng.random() < 0.6 else f"{name}_{len(used)}"
            if local in used:
                continue
            used.add(local)
            picked.append(name if local == name else f"{name} as {local}")
            uses.append(local)
        return picked

    def module_spelling(module):
        return rng.choice([module, module.replace("pkg.core", "..core")]) if rng.random() < 0.3 else module

    if rng.random() < 0.3:
        head.append(f"from pkg.core.canonical import Manager as Existing{rng.randrange(100)}")
    for _ in range(rng.randint(1, 4)):
        module = rng.choice(list(NAMES))
        names = items(module, rng.randint(1, 3))
        if not names:
            continue
        spelled = module_spelling(module)
        form = rng.randrange(9)
        if form == 0:
            head.append(f"from {spelled} import (\n" + "".join(f"    {n},  # note {i}\n" for i, n in enumerate(names)) + ")")
        elif form == 1:
            head.append(f"from {spelled} import (" + ", ".join(names) + ")")
        elif form == 2:
            head.append(f"import os; from {spelled} import " + ", ".join(names) + "; print(os.sep)")
        elif form == 3:
            head.append(f"from {spelled} \\\n    import " + ", ".join(names))
        elif form == 4:
            body.append("def handler():\n    from " + spelled + " import " + ", ".join(names)
                        + "\n    return [" + ", ".join(n.split(" as ")[-1] for n in names) + "]\n")
            for n in names:
                uses.remove(n.split(" as ")[-1])
        elif form == 5:
            head.append("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from " + spelled + " import "
                        + ", ".join(names))
            for n in names:
                uses.remove(n.split(" as ")[-1])
        elif form == 6:
            head.append("try:\n    from " + spelled + " import " + ", ".join(names) + "\nexcept ImportError:\n    pass")
        else:
            head.append(f"from {spelled} import " + ", ".join(names) + ("  # noqa: F401" if rng.random() < 0.3 else ""))
    text = '"""A consumer."""\n' + "\n".join(head) + "\n\n\n"
    text += "".join(b + "\n\n" for b in body)
    text += "def use():\n    return [" + ", ".join(uses) + "]\n"
    if rng.random() < 0.1:
        text = text.replace("\n", "\r\n")
    return text


# ---------------------------------------------------------------- the checker

class Resolver:
    """Names to definitions through the tree's own modules, on `ast` alone."""

    def __init__(self, root):
        self.root = root
        self.envs = {}

    def path_of(self, module):
        base = os.path.join(self.root, *module.split("."))
        for p in (base + ".py", os.path.join(base, "__init__.py")):
            if os.path.isfile(p):
                return p
        return None

    def is_package(self, module):
        return os.path.isdir(os.path.join(self.root, *module.split(".")))

    def env(self, module):
        if module in self.envs:
            return self.envs[module]
        self.envs[module] = None  # a cycle reads as unknown
        path = self.path_of(module)
        if path is None:
            return None
        tree = ast.parse(open(path, "rb").read())
        package = module if path.endswith("__init__.py") else module.rpartition(".")[0]
        env = {}
        for stmt in tree.body:
            if isinstance(stmt, ast.ImportFrom):
                base = absolute(stmt, package)
                for a in stmt.names:
                    env[a.asname or a.name] = ("from", base, a.name)
            elif isinstance(stmt, ast.Import):
                for a in stmt.names:
                    env[a.asname or a.name.split(".")[0]] = ("module", a.name if a.asname else a.name.split(".")[0])
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                env[stmt.name] = ("def", module, stmt.lineno)
            elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                env[stmt.targets[0].id] = self.value(stmt.value, env, module, stmt.lineno)
            elif isinstance(stmt, (ast.Try, ast.If, ast.For, ast.While, ast.With)):
                for node in ast.walk(stmt):
                    for name in bound_names(node):
                        env[name] = ("unknown",)
        self.envs[module] = env
        return env

    def value(self, node, env, module, lineno):
        chain = []
        while isinstance(node, ast.Attribute):
            chain.insert(0, node.attr)
            node = node.value
        if isinstance(node, ast.Name):
            base = env.get(node.id, ("unknown",))
            return ("attr", base, chain) if chain else base
        return ("def", module, lineno)

    def resolve(self, module, name, depth=0):
        if depth > 50:
            return None
        env = self.env(module)
        if env is None:
            return ("module", module + "." + name) if self.path_of(module + "." + name) else None
        if name in env:
            return self.evaluate(env[name], depth)
        if self.path_of(module + "." + name) or self.is_package(module + "." + name):
            return ("module", module + "." + name)
        return None

    def evaluate(self, v, depth):
        kind = v[0]
        if kind == "def":
            return v
        if kind == "module":
            return ("module", v[1])
        if kind == "from":
            return self.resolve(v[1], v[2], depth + 1)
        if kind == "attr":
            r = self.evaluate(v[1], depth + 1)
            for a in v[2]:
                if not r or r[0] != "module":
                    return None
                r = self.resolve(r[1], a, depth + 1)
            return r
        return None


def bound_names(node):
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
        yield node.id
    elif isinstance(node, ast.alias):
        yield node.asname or node.name.split(".")[0]
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield node.name


def absolute(stmt, package):
    if not stmt.level:
        return stmt.module
    parts = package.split(".") if package else []
    parts = parts[: len(parts) - (stmt.level - 1)]
    return ".".join(parts + ([stmt.module] if stmt.module else []))


def module_of(rel):
    mod = rel[:-3].replace(os.sep, ".")
    return mod[: -len(".__init__")] if mod.endswith(".__init__") else mod


class StripImports(ast.NodeTransformer):
    def visit_Import(self, node):
        return None

    def visit_ImportFrom(self, node):
        return None


def imports(tree, package):
    """(scope, local, occurrence) → (module, name), for every from-import."""
    out, seen = {}, {}

    def walk(node, scope):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ImportFrom):
                base = absolute(child, package)
                for a in child.names:
                    local = a.asname or a.name
                    k = (scope, local)
                    seen[k] = seen.get(k, 0) + 1
                    out[(scope, local, seen[k])] = (base, a.name, guarded(child))
            inner = scope + "." + child.name if isinstance(child, (ast.FunctionDef, ast.ClassDef)) else scope
            walk(child, inner)

    parents = {}
    for p in ast.walk(tree):
        for c in ast.iter_child_nodes(p):
            parents[c] = p

    def guarded(node):
        while node in parents:
            parent = parents[node]
            if isinstance(parent, ast.Try) and node in parent.body:
                return True
            node = parent
        return False

    walk(tree, "")
    return out


def check(before, after, canonical="pkg.core.canonical", banned=tuple(NAMES), only=None):
    res_before, res_after = Resolver(before), Resolver(after)
    report = {"files": 0, "rewrites": 0, "unchanged_imports": 0, "missed": [], "disagreements": []}
    sys.path.insert(0, before)
    if only:
        walk = [(after, None, only)]
    else:
        walk = [(d, None, [os.path.relpath(os.path.join(d, n), after) for n in names]) for d, _, names in os.walk(after)]
    for _, _, rels in walk:
        for rel in sorted(rels):
            if not rel.endswith(".py"):
                continue
            full = os.path.join(after, rel)
            fname = os.path.basename(rel)
            report["files"] += 1
            try:
                new_tree = ast.parse(open(full, "rb").read())
            except SyntaxError as e:
                report["disagreements"].append(f"{rel}: does not parse: {e}")
                continue
            old_tree = ast.parse(open(os.path.join(before, rel), "rb").read())
            if ast.dump(StripImports().visit(ast.parse(open(os.path.join(before, rel), "rb").read()))) != \
                    ast.dump(StripImports().visit(ast.parse(open(full, "rb").read()))):
                report["disagreements"].append(f"{rel}: code other than imports changed")
            module = module_of(rel)
            package = module if fname == "__init__.py" else module.rpartition(".")[0]
            old, new = imports(old_tree, package), imports(new_tree, package)
            if set(old) != set(new):
                report["disagreements"].append(f"{rel}: the local names bound by imports changed: "
                                               f"{sorted(set(old) ^ set(new))}")
                continue
            for key, (m0, n0, guarded) in old.items():
                m1, n1, _ = new[key]
                if (m0, n0) == (m1, n1):
                    report["unchanged_imports"] += 1
                    if m0 in banned and not guarded and not rel.startswith("pkg/core") and not only:
                        # Could it have moved? By this resolver: the same object under a public canonical name.
                        target = res_before.resolve(m0, n0)
                        env = res_before.env(canonical) or {}
                        if target and target[0] == "def" and any(
                                not k.startswith("_") and res_before.resolve(canonical, k) == target for k in env):
                            report["missed"].append(f"{rel}: {key[1]} from {m0}")
                    continue
                report["rewrites"] += 1
                a, b = res_before.resolve(m0, n0), res_after.resolve(m1, n1)
                if a is None or a != b:
                    report["disagreements"].append(f"{rel}: {key[1]}: {m0}.{n0} is {a}, {m1}.{n1} is {b}")
                try:
                    same = getattr(importlib.import_module(m0), n0) is getattr(importlib.import_module(m1), n1)
                except Exception as e:  # noqa: BLE001 - reported, not raised
                    same = f"{type(e).__name__}: {e}"
                if same is not True:
                    report["disagreements"].append(f"{rel}: {key[1]}: at run time {m0}.{n0} is not {m1}.{n1} ({same})")
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif len(sys.argv) > 4:
        check(sys.argv[2], sys.argv[3], sys.argv[4], tuple(sys.argv[5].split(",")), sys.argv[6:])
    else:
        check(sys.argv[2], sys.argv[3])
