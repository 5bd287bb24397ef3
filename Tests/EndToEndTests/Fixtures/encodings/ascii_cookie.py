# coding: ascii
import os.path
