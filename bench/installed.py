"""The program as users run it: byte-compiled, started through its installed command.

A package installed with pip is byte-compiled at install time; the editable install of a
development checkout is not, and with ``PYTHONDONTWRITEBYTECODE`` set (as on some CI
machines) Python would compile every module of ``readiness`` again in each process,
adding 15-30 ms to every run measured. ``byte_compile`` writes the ``.pyc`` files once
(``compileall`` writes them whatever that variable says), so benchmarks time the program
users get.
"""

from __future__ import annotations

import compileall
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "src" / "readiness"


def byte_compile() -> None:
    """Write the ``.pyc`` files of the ``readiness`` package, as ``pip install`` does."""
    compileall.compile_dir(str(SOURCE), quiet=1)


def readiness_command() -> list[str]:
    """The installed ``readiness`` script beside this Python, else ``python -m readiness``."""
    script = Path(sys.executable).with_name("readiness")
    return [str(script)] if script.exists() else [sys.executable, "-m", "readiness"]
