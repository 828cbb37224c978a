"""The `readiness` program's entry point: light, so that it can give a command a head start.

It imports only the standard library before deciding; for ``readiness commit`` and
``readiness cleanup`` it starts their git reads (``readiness.cli.head_start``) before loading
click and the command line.
"""

from __future__ import annotations

import gc
import os
import sys


def main() -> None:
    """Run the command line named by ``sys.argv``."""
    # A command is a short-lived process that builds many small objects and few cycles:
    # collecting less often saves about a tenth of the time on large sources.
    gc.set_threshold(100_000, 50, 100)
    guard_standard_streams()  # before the head start opens its first file
    try:
        from readiness.cli import head_start

        command = head_start.wanted(sys.argv[1:])
        if command == "commit":
            head_start.begin()
        elif command == "cleanup":
            head_start.begin_cleanup()
        from readiness.cli.main import main as run

        run()  # from here on, the command line reports an interruption itself
    except KeyboardInterrupt:  # Ctrl-C while loading: nothing was changed yet
        from readiness.errors import Interrupted

        sys.stderr.write("readiness: interrupted\n")
        sys.exit(Interrupted.exit_code)
    finally:
        # What is left is freed with the process: a last collection would only walk it.
        gc.freeze()
        # The command is over: a Ctrl-C while the interpreter shuts down would only print a
        # traceback from its clean-up ("Exception ignored in ... threading").
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)


def guard_standard_streams() -> None:
    """Put /dev/null under a standard stream (0, 1, 2) that was closed when the program started.

    ``readiness status >&-``: the next file the program opens (the lock, a page being
    written) would otherwise get number 1, and output meant for the terminal, or that of a
    git it starts, would go into that file. The command line then reports the closed output
    (``readiness.cli.main``). Calling it again does nothing.
    """
    for number in (0, 1, 2):
        try:
            os.fstat(number)
        except OSError:
            devnull = os.open(os.devnull, os.O_RDWR)  # the lowest free number: this one
            if devnull != number:
                os.dup2(devnull, number)
                os.close(devnull)
