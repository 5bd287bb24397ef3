# After `from M import *`, an unbound name `n` is `M.n` (SPEC 2).
from logging import *
from os import *

getLogger("a")
getLogger.x
environ["HOME"]
getenv("HOME")


def local():
    getLogger = None
    return getLogger("b")


class C:
    environ = 1
    x = environ

    def m(self):
        return environ
