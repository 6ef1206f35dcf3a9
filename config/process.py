"""Process-wide environment that native libraries read when they load.

`config` owns the environment: this is the one place that writes to it, for libraries (OpenMP) that can
only be configured that way.
"""

from __future__ import annotations

import os


def prefer_passive_openmp_wait() -> None:
    """Make OpenMP threads sleep instead of spin while they wait, unless the user chose otherwise.

    Spinning threads collapse when another process (the LLM) keeps the cores busy: one e5 query took
    1.5 s instead of 17 ms. OpenMP reads the variable when its runtime loads, so call this before.
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def child_environment(import_root: str) -> dict[str, str]:
    """The environment for a worker subprocess of ours: this one's, with `import_root` first on PYTHONPATH
    so the child imports the same code (settings travel to it explicitly, not through this)."""
    path = os.pathsep.join(filter(None, [import_root, os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path}
