# The third hostile review of issue 11: each of these ran the banned code
# under CPython while ssot passed it.
import importlib
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
