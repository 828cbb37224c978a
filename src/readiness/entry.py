"""The `readiness` program's entry point: light, so that it can give a command a head start.

It imports only the standard library before deciding; for ``readiness commit`` and
``readiness cleanup`` it starts their git reads (``readiness.head_start``) before loading
click and the command line.
"""

from __future__ import annotations

import gc
import sys


def main() -> None:
    """Run the command line named by ``sys.argv``."""
    # A command is a short-lived process that builds many small objects and few cycles:
    # collecting less often saves about a tenth of the time on large sources.
    gc.set_threshold(100_000, 50, 100)
    try:
        from readiness import head_start

        command = head_start.wanted(sys.argv[1:])
        if command == "commit":
            head_start.begin()
        elif command == "cleanup":
            head_start.begin_cleanup()
        from readiness.cli import main as run

        run()  # from here on, the command line reports an interruption itself
    except KeyboardInterrupt:  # Ctrl-C while loading: nothing was changed yet
        from readiness.errors import Interrupted

        sys.stderr.write("readiness: interrupted\n")
        sys.exit(Interrupted.exit_code)
    finally:
        # What is left is freed with the process: a last collection would only walk it.
        gc.freeze()
