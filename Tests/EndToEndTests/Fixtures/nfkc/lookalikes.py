# Names CPython normalises with NFKC (PEP 3131): each line below is the
# same program as its ASCII spelling, so each is the same finding.
import ｏs.path
from ｏｓ import ｐａｔｈ
from os.path import ｊｏｉｎ
import ｌogging
ｌogging.ｇetLogger("x")
import ｓys
from typing import Ｌｉｓｔ as L
x = "é"; ｏs.environ
ｓys.ｅｘｉｔ(0)
ﬁle = 1  # a ligature that is "file"


def f(ｍ):
    import ｏs
    return ｏs.ｐath.ｊoin("a", ｍ), ｌogging.getLogger


s = "ｏs.path is not normalised in a string"
