"""Shared set-up of the Python tests: the package from the build tree (PYTHONPATH), the
source tree and the shared data, and the `synergy` program of the same build."""
import os
import pathlib

import pytest

#: Why a test module skips when the package is missing; each module calls
#: ``pytest.importorskip("synergy", reason=NOT_BUILT)`` first (a conftest cannot skip a module).
NOT_BUILT = ("the synergy Python bindings are not built or not on PYTHONPATH "
             "(cmake -DSYNERGY_BUILD_PYTHON=ON; PYTHONPATH=<build>/python)")

SOURCE_DIR = pathlib.Path(os.environ.get("SYNERGY_SOURCE_DIR",
                                         pathlib.Path(__file__).resolve().parents[2]))
DATA_DIR = SOURCE_DIR.parent / "shared" / "data"


@pytest.fixture
def data_dir():
    """../shared/data, or a skip saying it is absent."""
    if not DATA_DIR.is_dir():
        pytest.skip(f"{DATA_DIR} is absent (the shared data)")
    return DATA_DIR


@pytest.fixture
def example_model_path():
    return SOURCE_DIR / "examples" / "python" / "example_energy_model.json"


@pytest.fixture
def synergy_program():
    """The `synergy` program of this build (SYNERGY_PROGRAM), or a skip."""
    path = os.environ.get("SYNERGY_PROGRAM")
    if not path or not os.path.exists(path):
        pytest.skip("the synergy program is not built (SYNERGY_PROGRAM unset or missing)")
    return path
