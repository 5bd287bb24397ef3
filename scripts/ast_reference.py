#!/usr/bin/env python3
"""The reference for ssot's scanner: SPEC section 2's findings computed with
CPython's own `ast` module, independently of ssot's lexer and parser.

    python3 scripts/ast_reference.py ROOT CONFIG.toml > expected.json

ROOT is walked for `*.py` and `*.pyi` files (symlinks and `.git` skipped, as ssot does
outside a repository); CONFIG is an ssot.toml (top-level keys). Files CPython
cannot parse are listed under "unparsable" and have no expected findings.
Output: {"findings": [{path, line, column, rule, fingerprint}], "unparsable": [...],
"files": N}. Columns are 1-based and count characters, as ssot's do.
"""
import ast
import codecs
import io
import json
import os
import re
import sys
import tokenize
import tomllib
from multiprocessing import Pool

OTHER = object()  # a binding that is not an import
sys.setrecursionlimit(20000)


def module_name(path, roots):
    best = None
    for root in roots:
        if root == "" or path.startswith(root + "/"):
            if best is None or len(root) > len(best):
                best = root
    if best is None:
        return None
    rel = path if best == "" else path[len(best) + 1:]
    for ext in (".pyi", ".py"):
        if rel.endswith(ext):
            rel = rel[: -len(ext)]
            break
    parts = [p for p in rel.split("/") if p]
    is_package = bool(parts) and parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return parts, is_package


def resolve_in(level, name, package):
    """`name` `level` dots up from `package` (importlib's _resolve_name), or None."""
    keep = len(package) - (level - 1)
    if keep < 1:
        return None
    return ".".join(package[:keep] + ([name] if name else []))


def under(name, banned):
    return name == banned or name.startswith(banned + ".")


class Scope:
    def __init__(self, kind, parent):
        self.kind = kind  # module | function | class | comprehension
        self.parent = parent
        self.events = []   # (name, target or OTHER)
        self.declared = {}  # name -> "global" | "nonlocal"
        self.bindings = {}


class Collector(ast.NodeVisitor):
    """One pass over the tree: scopes, bindings, references, imports."""

    def __init__(self, package, name=None):
        self.package = package  # list of parts, or None when unknown
        self.name = name        # the module's own dotted name (`__name__`) as parts, or None
        self.module = Scope("module", None)
        self.scopes = [self.module]
        self.cur = self.module
        self.imports = []      # (form, module, name, node_for_position)
        self.refs = []         # (scope, name, attrs, node)
        self.calls = []        # (scope, name, attrs, call node)
        self.stars = []        # modules of `from M import *` at module level

    # -- scope helpers
    def bind(self, name, target=OTHER, scope=None):
        (scope or self.cur).events.append((name, target))

    def new_scope(self, kind, parent=None):
        s = Scope(kind, parent or self.cur)
        self.scopes.append(s)
        return s

    def in_scope(self, scope, nodes):
        saved, self.cur = self.cur, scope
        for n in nodes:
            if n is not None:
                self.visit(n)
        self.cur = saved

    # -- imports
    def resolve_relative(self, level, module):
        if level == 0:
            return module or None
        if self.package is None:
            return None
        return resolve_in(level, module, self.package)

    def visit_Import(self, node):
        for alias in node.names:
            self.imports.append(("import", alias.name, None, alias))
            if alias.asname:
                self.bind(alias.asname, alias.name)
            else:
                first = alias.name.split(".")[0]
                self.bind(first, first)

    def visit_ImportFrom(self, node):
        absolute = self.resolve_relative(node.level or 0, node.module)
        for alias in node.names:
            if alias.name == "*":
                if absolute:
                    self.imports.append(("star", absolute, None, alias))
                    if self.cur is self.module:
                        self.stars.append(absolute)
                continue
            bound = alias.asname or alias.name
            if absolute:
                self.imports.append(("from", absolute, alias.name, alias))
                self.bind(bound, absolute + "." + alias.name)
            else:
                self.bind(bound)

    def visit_Global(self, node):
        for n in node.names:
            self.cur.declared[n] = "global"

    def visit_Nonlocal(self, node):
        for n in node.names:
            self.cur.declared[n] = "nonlocal"

    # -- definitions
    def visit_arguments_outside(self, args):
        for d in args.defaults + [d for d in args.kw_defaults if d is not None]:
            self.visit(d)

    def all_args(self, args):
        out = args.posonlyargs + args.args + args.kwonlyargs
        if args.vararg:
            out.append(args.vararg)
        if args.kwarg:
            out.append(args.kwarg)
        return out

    def visit_FunctionDef(self, node):
        for d in node.decorator_list:
            self.visit(d)
        self.bind(node.name)
        outer = self.cur
        type_scope = outer
        if getattr(node, "type_params", None):
            type_scope = self.new_scope("function")
            for tp in node.type_params:
                self.bind(tp.name, scope=type_scope)
                self.in_scope(type_scope, [getattr(tp, "bound", None), getattr(tp, "default_value", None)])
        self.visit_arguments_outside(node.args)
        for a in self.all_args(node.args):
            self.in_scope(type_scope, [a.annotation])
        self.in_scope(type_scope, [node.returns])
        fn = self.new_scope("function", type_scope)
        for a in self.all_args(node.args):
            self.bind(a.arg, scope=fn)
        self.in_scope(fn, node.body)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node):
        self.visit_arguments_outside(node.args)
        fn = self.new_scope("function")
        for a in self.all_args(node.args):
            self.bind(a.arg, scope=fn)
        self.in_scope(fn, [node.body])

    def visit_ClassDef(self, node):
        for d in node.decorator_list:
            self.visit(d)
        self.bind(node.name)
        type_scope = self.cur
        if getattr(node, "type_params", None):
            type_scope = self.new_scope("function")
            for tp in node.type_params:
                self.bind(tp.name, scope=type_scope)
                self.in_scope(type_scope, [getattr(tp, "bound", None), getattr(tp, "default_value", None)])
        self.in_scope(type_scope, node.bases + [k.value for k in node.keywords])
        body = self.new_scope("class", type_scope)
        self.in_scope(body, node.body)

    def visit_TypeAlias(self, node):
        self.visit_store(node.name)
        scope = self.new_scope("function")
        for tp in node.type_params:
            self.bind(tp.name, scope=scope)
        self.in_scope(scope, [node.value])

    # -- comprehensions
    def comprehension(self, node, elements):
        outer = self.cur
        comp = self.new_scope("comprehension")
        for i, gen in enumerate(node.generators):
            self.in_scope(outer if i == 0 else comp, [gen.iter])
            self.in_scope(comp, [gen.target] + gen.ifs)
        self.in_scope(comp, elements)

    def visit_ListComp(self, node):
        self.comprehension(node, [node.elt])

    visit_SetComp = visit_GeneratorExp = visit_ListComp

    def visit_DictComp(self, node):
        self.comprehension(node, [node.key, node.value])

    # -- names
    def visit_store(self, target):
        self.visit(target)

    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Store):
            self.bind(node.id)
        elif isinstance(node.ctx, ast.Load):
            self.refs.append((self.cur, node.id, [], node))

    def visit_AnnAssign(self, node):
        # `w: int` with no value binds nothing in a module or class body.
        # Nor does `(w): int` anywhere (simple = 0).
        if (node.value is None and (self.cur.kind in ("module", "class") or not node.simple)
                and isinstance(node.target, ast.Name)):
            self.visit(node.annotation)
            return
        self.generic_visit(node)

    def visit_NamedExpr(self, node):
        s = self.cur
        while s.kind == "comprehension":
            s = s.parent
        self.bind(node.target.id, scope=s)
        self.visit(node.value)

    def visit_Attribute(self, node):
        attrs = []
        n = node
        while isinstance(n, ast.Attribute):
            attrs.append(n.attr)
            n = n.value
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load):
            self.refs.append((self.cur, n.id, list(reversed(attrs)), n))
        else:
            self.visit(n)

    def visit_Call(self, node):
        f = node.func
        attrs = []
        while isinstance(f, ast.Attribute):
            attrs.append(f.attr)
            f = f.value
        if isinstance(f, ast.Name):
            self.calls.append((self.cur, f.id, list(reversed(attrs)), node))
        self.generic_visit(node)

    def visit_ExceptHandler(self, node):
        if node.type:
            self.visit(node.type)
        if node.name:
            self.bind(node.name)
        for s in node.body:
            self.visit(s)

    def visit_MatchAs(self, node):
        if node.pattern:
            self.visit(node.pattern)
        if node.name:
            self.bind(node.name)

    def visit_MatchStar(self, node):
        if node.name:
            self.bind(node.name)

    def visit_MatchMapping(self, node):
        for k in node.keys:
            self.visit(k)
        for p in node.patterns:
            self.visit(p)
        if node.rest:
            self.bind(node.rest)


def settle(collector):
    """Moves global/nonlocal bindings to their scope, then merges them."""
    for s in collector.scopes:
        for name, target in s.events:
            dest = s
            decl = s.declared.get(name)
            if decl == "global":
                dest = collector.module
            elif decl == "nonlocal":
                dest = None
                p = s.parent
                while p is not None and p.kind != "module":
                    if p.kind != "class" and any(n == name for n, _ in p.events) and name not in p.declared:
                        dest = p
                        break
                    p = p.parent
                if dest is None:
                    continue
            old = dest.bindings.get(name, None)
            if name not in dest.bindings:
                dest.bindings[name] = target
            elif old is not OTHER and target is not OTHER and old == target:
                pass
            else:
                dest.bindings[name] = OTHER


UNBOUND = object()


def resolve(collector, scope, name):
    s = scope
    first = True
    while s is not None:
        if first or s.kind != "class":
            decl = s.declared.get(name)
            if decl == "global":
                return collector.module.bindings.get(name, UNBOUND)
            if decl is None and name in s.bindings:
                return s.bindings[name]
        first = False
        s = s.parent
    return UNBOUND


def type_checking_imports(tree):
    """Import nodes inside `if TYPE_CHECKING:` bodies (not their else)."""
    out = set()

    def is_tc(test):
        if isinstance(test, ast.Name):
            return test.id == "TYPE_CHECKING"
        return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING" and isinstance(test.value, ast.Name)

    for node in ast.walk(tree):
        if isinstance(node, ast.If) and is_tc(node.test):
            for stmt in node.body:
                for sub in ast.walk(stmt):
                    if isinstance(sub, (ast.Import, ast.ImportFrom)):
                        for a in sub.names:
                            out.add(id(a))
    return out


def line_starts(data):
    starts = [0]
    i = 0
    n = len(data)
    while i < n:
        c = data[i]
        if c == 0x0A:
            starts.append(i + 1)
        elif c == 0x0D:
            if i + 1 < n and data[i + 1] == 0x0A:
                i += 1
            starts.append(i + 1)
        i += 1
    return starts


class Unreadable(Exception):
    """A `\\N{...}` escape in a dynamic import's arguments: ssot has no table of
    character names, and reports the file as not checked."""


def literal(node, text):
    """The value of a string literal (an f-string without fields included), or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        value = node.value
    elif isinstance(node, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in node.values):
        value = "".join(v.value for v in node.values)
    else:
        return None
    segment = ast.get_source_segment(text, node) or ""
    if re.search(r"(?<!\\)(?:\\\\)*\\N\{", segment) and not re.match(r"[A-Za-z]*[rR]", segment):
        raise Unreadable()
    if any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in value):
        return None  # a control character: never a module name
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return None  # a lone surrogate
    return value


UNKNOWN = object()


def unwrap(node):
    """`m := "M"` is the value "M"."""
    while isinstance(node, ast.NamedExpr):
        node = node.value
    return node


def starred_items(node):
    """What `*node` unpacks when it is a literal display (stars flattened, a dict's keys), or None."""
    node = unwrap(node)
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        out = []
        for e in node.elts:
            if isinstance(e, ast.Starred):
                inner = starred_items(e.value)
                if inner is None:
                    return None
                out.extend(inner)
            else:
                out.append(e)
        return out
    if isinstance(node, ast.Dict):
        return None if any(k is None for k in node.keys) else list(node.keys)
    return None


def dict_items(node, out):
    """`**{"name": "M"}` into `out` (later keys win, `**` flattened); False when not all literal."""
    node = unwrap(node)
    if not isinstance(node, ast.Dict):
        return False
    for key, value in zip(node.keys, node.values):
        if key is None:
            if not dict_items(value, out):
                return False
            continue
        name = literal(key, TEXT[0])
        if name is None:
            return False
        out[name] = value
    return True


TEXT = [""]


def argument(call, position, keyword):
    """The argument at `position` or named `keyword`: a node, None if absent, UNKNOWN behind * or **."""
    args = []
    for a in call.args:
        if isinstance(a, ast.Starred):
            items = starred_items(a.value)
            if items is not None:
                args.extend(items)
                continue
            args.append(UNKNOWN)
            break
        args.append(a)
    if position < len(args):
        return args[position]
    if args and args[-1] is UNKNOWN:
        return UNKNOWN
    keywords, unknown = {}, False
    for k in call.keywords:
        if k.arg is not None:
            keywords[k.arg] = k.value
        elif not dict_items(k.value, keywords):
            unknown = True
    if keyword in keywords:
        return keywords[keyword]
    return UNKNOWN if unknown else None


def dynamic_imports(c, scope, name, attrs, call, text):
    """What a call of importlib.import_module or of an __import__ imports (SPEC 2)."""
    TEXT[0] = text
    while attrs and attrs[-1] == "__call__":  # `f.__call__(…)` calls `f`
        attrs = attrs[:-1]
    r = resolve(c, scope, name)
    function = None
    if r is UNBOUND:
        if name == "__import__" and not attrs or name == "__builtins__" and attrs == ["__import__"]:
            function = "__import__"
    elif r is not OTHER:
        dotted = ".".join([r] + attrs)
        if dotted == "importlib.import_module":
            function = "import_module"
        elif dotted in ("builtins.__import__", "importlib.__import__"):
            function = "__import__"
    if function is None:
        return []
    node = argument(call, 0, "name")
    if node is None or node is UNKNOWN:
        return []
    node = unwrap(node)
    value = literal(node, text)
    if value is None:
        return []
    if function == "import_module":
        if not value:
            return []
        dots = len(value) - len(value.lstrip("."))
        if dots == 0:
            return [("dynamic", value, None, node)]
        pkg = argument(call, 1, "package")
        pkg = unwrap(pkg) if pkg is not UNKNOWN else pkg
        spec_parent = (isinstance(pkg, ast.Attribute) and pkg.attr == "parent" and isinstance(pkg.value, ast.Name)
                       and pkg.value.id == "__spec__")
        if spec_parent or isinstance(pkg, ast.Name) and pkg.id in ("__package__", "__name__"):
            # The file's own names: `__package__` and `__spec__.parent` its package, `__name__` its module.
            own = c.name if isinstance(pkg, ast.Name) and pkg.id == "__name__" else c.package
            if not own:
                return []
            parts = list(own)
        elif pkg is None or pkg is UNKNOWN:
            return []
        else:
            p = literal(pkg, text)
            if not p:
                return []
            parts = p.split(".")
        keep = len(parts) - (dots - 1)
        if keep < 1:
            return []
        rest = value[dots:]
        return [("dynamic", ".".join(parts[:keep] + ([rest] if rest else [])), None, node)]
    level = 0
    lv = argument(call, 4, "level")
    lv = unwrap(lv) if lv is not UNKNOWN else lv
    if isinstance(lv, ast.Constant) and type(lv.value) in (int, bool) and 0 <= lv.value < 10**12:
        level = int(lv.value)
    if value.startswith("."):
        return []
    if level == 0:
        if not value:
            return []
        module = value
    else:
        # The package comes from `globals`: the file's own, or a literal dict's
        # `__package__`, else its `__name__` (less the last part unless it has `__path__`).
        package = c.package
        g = argument(call, 1, "globals")
        g = unwrap(g) if g is not UNKNOWN and g is not None else g
        if isinstance(g, ast.Dict):
            items = {}
            if not dict_items(g, items):
                return []
            p = literal(items["__package__"], text) if "__package__" in items else None
            n = literal(items["__name__"], text) if "__name__" in items else None
            if p is not None:
                package = p.split(".") if p else []
            elif n is not None:
                parts = n.split(".") if n else []
                package = parts if "__path__" in items else parts[:-1]
            else:
                return []
        if package is None:
            return []
        module = resolve_in(level, value, package)
        if module is None:
            return []
    fl = argument(call, 3, "fromlist")
    fl = unwrap(fl) if fl is not UNKNOWN else fl
    names = []
    if fl is None or isinstance(fl, ast.Constant) and fl.value is None:
        names = []
    elif isinstance(fl, (ast.List, ast.Tuple, ast.Set, ast.Dict)):
        elts = starred_items(fl)
        for e in (elts if elts is not None else [None]):
            if e is None:
                names = None
                break
            v = literal(e, text)
            if v is None and not (isinstance(e, ast.Constant) and isinstance(e.value, str)):
                names = None
                break
            if v is not None:
                names.append(v)
    elif fl is not UNKNOWN and literal(fl, text) is not None:
        names = list(literal(fl, text))
    else:
        names = None  # computed: ssot reports the module alone
    if not names:
        return [("dynamic", module, None, node)]
    return [("star", module, None, node) if n == "*" else ("from", module, n, node) for n in names]


def check_file(args):
    path, full, config = args
    try:
        data = open(full, "rb").read()
    except OSError:
        return path, None
    # PEP 263 as SPEC 2 reads it: UTF-8 and ASCII as they are, Latin-1 decoded
    # (positions are then counted on its UTF-8 form), anything else not checked.
    try:
        encoding = tokenize.detect_encoding(io.BytesIO(data).readline)[0]
    except SyntaxError:
        return path, None
    if encoding == "iso-8859-1":
        data = data.decode("iso-8859-1").encode("utf-8")
        source = data.decode("utf-8")
    elif codecs.lookup(encoding).name in ("utf-8", "utf-8-sig", "ascii"):
        source = data
    else:
        return path, None
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return path, None
    mod = module_name(path, config["roots"])
    package = None
    if mod is not None:
        parts, is_package = mod
        package = parts if is_package else parts[:-1]
        if not parts and not is_package:
            package = None
    name = None
    if mod is not None and (mod[0] or mod[1]):
        name = list(mod[0])
    c = Collector(package, name)
    try:
        c.visit(tree)
    except RecursionError:
        return path, None
    settle(c)
    tc = type_checking_imports(tree)
    starts = line_starts(data)

    def position(node):
        line = node.lineno
        start = starts[line - 1]
        prefix = data[start:start + node.col_offset]
        return line, len(prefix.decode("utf-8", "replace")) + 1

    out = []
    rules = [r for r in config["rules"] if not any(g.match(path) for g in r["allow"])]
    imports = list(c.imports)
    text = data.decode("utf-8", "replace")
    try:
        for scope, name, attrs, call in c.calls:
            imports.extend(dynamic_imports(c, scope, name, attrs, call, text))
    except Unreadable:
        return path, None  # ssot reports such a file as not checked
    for rule in rules:
        banned = rule["banned"]
        for form, module, name, node in imports:
            if form in ("import", "dynamic") and any(under(module, b) for b in banned):
                fp = f"import {module}"
            elif form == "star" and (any(under(module, b) for b in banned)
                                     or (rule["kind"] == "singleton" and any(b.startswith(module + ".") for b in banned))):
                fp = f"from {module} import *"
            elif form == "from" and any(under(module, b) or under(module + "." + name, b) for b in banned):
                fp = f"from {module} import {name}"
            else:
                continue
            if config["type_checking"] == "ignore" and id(node) in tc:
                continue
            line, col = position(node)
            out.append({"path": path, "line": line, "column": col, "rule": rule["id"], "fingerprint": fp})
        if rule["kind"] != "singleton":
            continue
        for scope, name, attrs, node in c.refs:
            r = resolve(c, scope, name)
            if r is OTHER:
                continue
            # After `from M import *`, an otherwise unbound name `n` is `M.n`.
            targets = [r] if r is not UNBOUND else [m + "." + name for m in c.stars]
            for target in targets:
                chain = [target] + attrs
                names = [".".join(chain[: k + 1]) for k in range(len(chain))]
                hit = next((b for b in banned if b in names), None)
                if hit:
                    line, col = position(node)
                    out.append({"path": path, "line": line, "column": col, "rule": rule["id"],
                                "fingerprint": f"use {hit}"})
    return path, out


def glob_regex(pattern):
    """The subset of ssot's globs the reference needs: `**/` and `*`."""
    rx = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            rx += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            rx += ".*"
            i += 2
        elif pattern[i] == "*":
            rx += "[^/]*"
            i += 1
        else:
            rx += re.escape(pattern[i])
            i += 1
    return re.compile(rx + "(?:/.*)?$")


def main():
    root, config_path = sys.argv[1], sys.argv[2]
    raw = tomllib.load(open(config_path, "rb"))
    config = {
        "roots": [r.strip("/") if r not in (".", "./") else "" for r in raw.get("source-roots", ["."])],
        "type_checking": raw.get("type-checking", "check"),
        "rules": [{"id": r["id"], "kind": r["kind"], "banned": r["banned"],
                   "allow": [glob_regex(g) for g in r.get("allow-in", [])]} for r in raw.get("rule", [])],
    }
    jobs = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != ".git" and not os.path.islink(os.path.join(dirpath, d))]
        for f in filenames:
            full = os.path.join(dirpath, f)
            if f.endswith((".py", ".pyi")) and not os.path.islink(full) and os.path.isfile(full):
                jobs.append((os.path.relpath(full, root), full, config))
    jobs.sort()
    findings, unparsable = [], []
    with Pool() as pool:
        for path, out in pool.imap_unordered(check_file, jobs, chunksize=64):
            if out is None:
                unparsable.append(path)
            else:
                findings.extend(out)
    json.dump({"files": len(jobs), "findings": findings, "unparsable": sorted(unparsable)}, sys.stdout)


if __name__ == "__main__":
    main()
