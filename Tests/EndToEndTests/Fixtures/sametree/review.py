# The third hostile review of issue 11: each of these ran the banned code
# under CPython while ssot passed it.
import importlib
import logging
import logging as w


def f():
    pass
    \
w = None  # indented by the backslash line above: f's local, not the module's


w.getLogger("a")

x: int
import logging as x
x.getLogger("b")  # a bare annotation binds nothing at module level


class C:
    w: int
    w.getLogger("c")


def g():
    y: int
    import logging as y
    y.getLogger("d")  # a function's annotation makes y local: no use (the import also binds it)


importlib.import_module(m := "os.path")
importlib.import_module(*("os.path",))
importlib.import_module(*["os.path"])
importlib.import_module(**{"name": "os.path"})
importlib.import_module(**{"package": "os", "name": ".path"})
importlib.import_module(*("os.path"))  # a string's characters: unknown
__import__("os", fromlist=(n := ["path"]), level=(0))


# The fourth hostile review.
def h():
    pass
\
    w = None  # a backslash in column 0 sets no indentation: this line's own counts


w.getLogger("e")


def k():
    (w): int  # parenthesised: not even a function's local (simple = 0)
    w.getLogger("f")


importlib.import_module(*(("os.path",)))
importlib.import_module(**({"name": "os.path"}))
importlib.import_module(*(["os.path"]))
importlib.import_module(**{"name": "os", "name": "os.path"})
__import__("path", globals(), None, [], 0x0)
__import__("os.path", globals(), None, [], False)
importlib.import_module(*{"os.path"})
importlib.import_module(*{"os.path": 0})
importlib.import_module(*[*["os.path"]])
importlib.import_module(*(m := ["os.path"]))
importlib.import_module(**{**{}, "name": "os.path"})
__import__("os", fromlist=[*["path"]])
__import__("os", fromlist={"path": 1})
importlib.import_module(*["os.path" for _ in "x"])  # a comprehension: unknown

# Item 12: an attribute store or deletion reads the chain (SPEC 2: a use).
logging.getLogger = None
del logging.getLogger
