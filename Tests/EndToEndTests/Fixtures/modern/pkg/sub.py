"""Python 3.12+ syntax that 3.11 cannot parse, with uses in every position."""
import os
import sys, re as regex
import logging
from os import environ, getenv as ge, path
from . import helper as h
from ..pkg import sub
from os.path import join as pj

type Alias[T: os.PathLike] = dict[str, T]
type Plain = list[os.environ]


def generic[T, *Ts, **P](x: T, *args: *Ts, **kw: P.kwargs) -> T:
    return os.environ.get(f"{x!r:>{sys.maxsize}}") or x


class Box[T = int](dict[str, T]):
    value: T
    logger = logging.getLogger(__name__)

    def get(self) -> T:
        return f"{f"{os.environ["HOME"]}"}" + f'{ge("A")=}'

    def compile(self):
        return [regex.compile(p) for p in self.value if (n := regex.compile("x"))]


def scoped():
    environ = {}
    return environ["x"], ge("y"), pj("a", "b"), path.join("c")


def shadowing(os=os.environ):
    return os


match sys.argv:
    case [_, "run", *rest] if os.getenv("DEBUG"):
        sys.exit(0)
    case {"key": value, **others}:
        logging.getLogger(value)
    case os.environ.__class__():
        pass
    case getenv:
        pass

t = lambda q=os.environ: (q, os.getenv)
g = (os.environ[k] for k in os.environ)
d = {k: v for k, v in os.environ.items()}
lazy_value = f"""
{os.environ
  .get("X")}
"""
