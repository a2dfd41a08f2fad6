"""synergy: count, measure and predict the energy and latency of neural-network inference.

The C++ library through pybind11 (module ``synergy._synergy``), plus pure-Python helpers:
``synergy.torch_hooks`` (regions from PyTorch forward hooks) and ``synergy.dask_sweep``
(NAS sweeps and profiling spread over a Dask cluster). See docs/python.md.

Shapes are (x, y, z) = (width, height, channels); counts are per image (batch 1); estimates
are floats in SI units with the unit in the name (``energy_j``, ``time_s``).
"""
import atexit as _atexit

from ._synergy import *  # noqa: F401,F403  (the whole binding: count, Network, Model, ...)
from ._synergy import __version__  # noqa: F401  (a star import skips underscore names)
from ._synergy import Model, Network, count, flush_markers, marker_file_variable
from . import dask_sweep, torch_hooks  # noqa: F401,E402  (neither imports dask or torch)


class Prediction:
    """Per-layer and total estimates of one network under a fitted model.

    Attributes: ``quantity`` ('energy' or 'time'), ``unit`` ('J' or 's'), ``layers`` (names,
    the input excluded), ``layer_classes`` (the model's class of each layer), ``values`` (a
    NumPy array of per-layer estimates in ``unit``), and the total under the unit's name:
    ``energy_j`` or ``time_s`` (the per-layer array is also reachable as ``layer_energy_j`` /
    ``layer_time_s``).
    """

    def __init__(self, model, network):
        self.quantity = model.quantity
        self.unit = model.unit
        self.layers, self.layer_classes, self.values = model.predict_layers(network)
        # The total is the library's network estimate (its own summation order), not a re-sum.
        self.total = model.estimate(network)
        key = "energy_j" if self.quantity == "energy" else "time_s"
        setattr(self, key, self.total)
        setattr(self, "layer_" + key, self.values)

    def rows(self):
        """(name, layer class, estimate) per layer."""
        return list(zip(self.layers, self.layer_classes, self.values.tolist()))

    def __repr__(self):
        return f"<Prediction {self.quantity} {self.total:.6g} {self.unit} over {len(self.layers)} layers>"


def predict(model, network):
    """Predicts ``network`` (a Network, zoo name, or .prototxt/.onnx path) with ``model`` (a
    Model, a model JSON path, or the JSON as a dict). Returns a :class:`Prediction`: per-layer
    estimates and the total as ``energy_j`` or ``time_s``. ValueError for a layer class the
    model has no coefficients for."""
    if not isinstance(model, Model):
        model = Model.load(model)
    if not isinstance(network, Network):
        network = count(network)
    return Prediction(model, network)


def marker_file():
    """The marker file `synergy record` passes to this process (None outside it)."""
    import os
    return os.environ.get(marker_file_variable) or None


# The process annotator's regions go to $SYNERGY_MARKER_FILE when Python exits normally. The
# C++ static destructor would do it too, but only after the interpreter is gone; writing at
# atexit reports an error while Python can still print it.
_atexit.register(flush_markers)
