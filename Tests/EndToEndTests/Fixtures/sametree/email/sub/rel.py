# `level` climbs from the file's own package (email.sub), as `from .. import` does;
# `import_module`'s dots climb from its `package` argument.
import importlib

__import__("mime", globals(), None, [], 2)
__import__("", globals(), None, ["mime"], 2)
__import__("mime", globals(), None, ["text"], 2)
__import__("mime", level=3)  # above the top package: nothing
importlib.import_module("..mime", __package__)
importlib.import_module(".rel", __package__)
