# coding=UTF_8
s = "ü"; import os.path as p
