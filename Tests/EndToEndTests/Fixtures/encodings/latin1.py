# -*- coding: latin-1 -*-
name = "café"; import os.path
from os.path import join
print("naïve", join("a", "b"))
