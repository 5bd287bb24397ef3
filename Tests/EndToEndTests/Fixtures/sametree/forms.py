# Same syntax tree, same finding (SPEC 2): each line spells an import or a
# use in another way that CPython's ast reads as the plain form.
import builtins
import importlib
import logging
from importlib import import_module as load, __import__ as imp

(logging).getLogger("a")
((logging.getLogger))("b")
(logging).getLogger.__name__
(os_path_holder := importlib).import_module
print((logging).getLogger)
f(logging).getLogger  # a call's attribute: not logging.getLogger
(logging, logging).getLogger  # a tuple's attribute
(logging).x = 1  # an attribute store reads the name; it binds nothing
[logging][0].getLogger

importlib.import_module(("os.path"))
importlib.import_module((("os" ".path")))
importlib.import_module(name="os.path")
importlib.import_module("os\x2epath")
importlib.import_module("os\u002epath")
importlib.import_module("os\U0000002epath")
importlib.import_module("os\056path")
importlib.import_module("os\
.path")
importlib.import_module(r"os\x2epath")  # raw: a backslash in the name
importlib.import_module(f"os.path")
importlib.import_module(f"os{'.'}path")  # a replacement field: computed
importlib.import_module(F"os" ".path")
importlib.import_module(b"os.path")  # bytes: TypeError
importlib.import_module("os\x0apath")  # a control character: never a module name
importlib.import_module(".path", "os")
importlib.import_module("..path", "os.sub")
importlib.import_module(".", "os.path")
importlib.import_module(".path", package="os")
importlib.import_module(package="os", name=".path")
importlib.import_module(".path")  # no package: TypeError
importlib.import_module(*["os.path"])
importlib.import_module("os.path", *rest)
load("os.path")
__import__("os.path")
__import__(name="os.path")
__import__("os", fromlist=["path"])
__import__("os", globals(), locals(), ["path", "sep"], 0)
__import__("os", fromlist=("path",))
__import__("os", fromlist={"path"})
__import__("os", fromlist=("path"))
__import__("os", fromlist=None)
__import__("os", fromlist=[])
__import__("os", fromlist=names)
__import__("os", fromlist=["*"])
__import__("urllib", fromlist=["parse"])
__import__("logging", fromlist=["getLogger"])
__import__("os", None, None, *more)
builtins.__import__("os.path")
importlib.__import__("os.path")
__builtins__.__import__("os.path")
imp("os.path")
(importlib.import_module)("urllib.parse")
(__import__)("urllib.parse")


def shadowed(__import__):
    __import__("os.path")  # a parameter, not the builtin
importlib.import_module.__call__("urllib.parse")  # the same call, through its __call__
__import__.__call__("urllib.parse")
