"""Regions from PyTorch forward hooks: each leaf module of a real inference becomes a region.

    import synergy.torch_hooks
    handles = synergy.torch_hooks.annotate(model)   # process annotator by default
    with torch.no_grad():
        model(x)
    handles.remove()

Under ``synergy record -- python3 script.py`` the regions are written to the marker file the
recorder passes ($SYNERGY_MARKER_FILE) at exit; ``synergy attribute`` and the recorder's own
output then list every leaf module with its energy. torch itself is not imported here: any
object with ``named_modules()`` whose modules have ``children()``,
``register_forward_pre_hook`` and ``register_forward_hook`` works.
"""
from . import _synergy


class HookHandles:
    """The hooks installed by :func:`annotate`; ``remove()`` uninstalls them all."""

    def __init__(self, handles, names):
        self._handles = handles
        self.names = names  #: qualified names of the annotated leaf modules, in model order

    def remove(self):
        for h in self._handles:
            h.remove()
        self._handles = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()
        return False


def leaf_modules(module):
    """(qualified name, module) of every module without children, in ``named_modules`` order.
    A model that is itself a leaf is named by its class."""
    leaves = [(n, m) for n, m in module.named_modules() if not any(True for _ in m.children())]
    return [(n or type(m).__name__, m) for n, m in leaves]


def annotate(module, annotator=None):
    """Installs a forward pre-hook (begin) and a forward hook (end) on every leaf module of
    ``module``, so each call of a leaf is a region named by its qualified name, with its class
    name as op type ("features.0", "Conv2d"). ``annotator``: an Annotator, default the process
    annotator (written to $SYNERGY_MARKER_FILE at exit). Returns :class:`HookHandles`.
    ValueError when the module has no leaf modules."""
    ann = annotator if annotator is not None else _synergy.process_annotator()
    handles, names = [], []
    for name, leaf in leaf_modules(module):
        region = ann.region(name, type(leaf).__name__)

        def pre(_mod, _inputs, region=region):
            region.begin()

        def post(_mod, _inputs, _output, region=region):
            region.end()

        handles.append(leaf.register_forward_pre_hook(pre))
        handles.append(leaf.register_forward_hook(post))
        names.append(name)
    if not names:
        raise ValueError(f"annotate: {type(module).__name__} has no leaf modules")
    return HookHandles(handles, names)
