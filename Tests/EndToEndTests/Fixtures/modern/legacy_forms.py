import importlib
from importlib import import_module as im
import os.path
from os.path import *
from typing import (
    Optional,
    List as L,  # comment
    Dict,
)
from __future__ import annotations
if True:
    from urllib.parse import urlparse
try:
    from json.decoder import JSONDecoder
except ImportError:
    JSONDecoder = None
mod = importlib.import_module("os.path")
other = im("urllib.parse.x")
dunder = __import__("email.mime.text")
def warn():
    import warnings
    warnings.warn("x")
    return importlib.import_module
