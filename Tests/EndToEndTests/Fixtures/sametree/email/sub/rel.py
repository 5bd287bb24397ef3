# `level` climbs from the file's own package (email.sub), as `from .. import` does;
# `import_module`'s dots climb from its `package` argument.
import importlib

__import__("mime", globals(), None, [], 2)
__import__("", globals(), None, ["mime"], 2)
__import__("mime", globals(), None, ["text"], 2)
__import__("mime", level=3)  # above the top package: nothing
importlib.import_module("..mime", __package__)
importlib.import_module(".rel", __package__)

# The fifth hostile review: the file's own names, and a literal `globals`.
importlib.import_module("...mime", __name__)  # __name__ is email.sub.rel: three dots climb to email
importlib.import_module(".mime", __spec__.parent)  # email.sub.mime: not banned
importlib.import_module("..mime", __spec__.parent)
__import__("mime", {"__package__": "email"}, None, [], 1)
__import__("mime", {"__name__": "email.x"}, None, [], 1)
__import__("mime", {"__name__": "email", "__path__": []}, None, [], 1)
__import__("mime", {"__name__": some_name}, None, [], 1)  # computed: nothing
