"""A test hook: stop a command at a named step, so a test can kill it there.

Only tests use it (the fault tests, and those of the head starts). When the environment
variable ``READINESS_TEST_PAUSE_AT`` names a step, the process prints ``readiness: paused at
STEP`` on stderr and sleeps (``READINESS_TEST_PAUSE_SECONDS``, default 60) before going on.
When the variable is unset, as for every user, ``pause_point`` only reads it and returns.

Steps: cleanup-manifest, cleanup-moved, cleanup-rewriting, cleanup-staged, undo-started,
undo-moved, undo-indexed (entries back, flags not yet), undo-staged, head-start (the reads
of commit or cleanup started, the command line not yet loaded), commit-message-saved, and
"replace NAME" (a temporary file for NAME is written and synced, not yet renamed over it:
mark, verify's evidence file, badge).
"""

from __future__ import annotations

import sys
import time

PAUSE_VARIABLE = "READINESS_TEST_PAUSE_AT"


def pause_point(step: str) -> None:
    """Pause here if the test hook asks for STEP; otherwise do nothing."""
    from readiness import settings

    if settings.test_pause_at() != step:
        return
    sys.stderr.write(f"readiness: paused at {step}\n")
    sys.stderr.flush()
    time.sleep(settings.test_pause_seconds())
