# coding: utf-7
import os
+AGk-mport os.path
