from .sub import helper
from . import sub as s
import os.path as osp
