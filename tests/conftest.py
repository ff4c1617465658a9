"""Shared fixtures: tiny lessons written on the fly, so runner and CLI tests need no real lesson."""

import os
import tempfile
import textwrap

import pytest

from mlweekly import curriculum

# pytest-xdist runs two test processes, each of which may start a lesson kernel: one BLAS/OpenMP
# thread each keeps them from thrashing on a two-core machine (kernels inherit the environment).
if os.environ.get("PYTEST_XDIST_WORKER"):
    for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
        os.environ.setdefault(_var, "1")

# No telemetry from the MLOps libraries in tests (Evidently, MLflow, Prefect honour DO_NOT_TRACK).
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# Prefect keeps its database under PREFECT_HOME: each test process (and the CLIs it starts) gets a
# fresh one instead of the user's ~/.prefect. Set before anything imports prefect.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="mlweekly-test-prefect-")
os.environ.pop("PREFECT_API_URL", None)  # never a configured server: Prefect starts a temporary one

HEADER = """\
# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---
"""

PASSING = HEADER + textwrap.dedent(
    '''
    # %% [markdown]
    # # A tiny lesson
    # The mean is $\\bar x = \\frac{1}{n}\\sum_i x_i$.

    # %%
    import matplotlib.pyplot as plt
    import numpy as np

    from mlweekly import parity

    x = np.arange(10.0)
    plt.plot(x, x**2)
    plt.show()
    parity.check("mean of 0..9", ours=lambda: x.sum() / x.size, reference=lambda: np.mean(x), atol=1e-12)

    # %%
    parity.table()
    '''
)

FAILING_CHECK = PASSING.replace("reference=lambda: np.mean(x)", "reference=lambda: np.mean(x) + 1")
RAISING = PASSING.replace("parity.table()", "raise ValueError('boom in the lesson')")
NO_CHECKS = HEADER + "\n# %%\nprint('no checks here')\n"


@pytest.fixture
def fake_lessons(tmp_path, monkeypatch):
    """Point the plan at a temporary lessons folder; returns ``write(id, source)``."""
    lessons = tmp_path / "lessons"
    monkeypatch.setattr(curriculum, "LESSONS_DIR", lessons)

    def write(item_id: str, source: str = PASSING):
        path = curriculum.get(item_id).lesson_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
        return path

    return write
