"""Standard output and error for a command: a reader that leaves (``| head``) is no failure, a
stream that cannot be written is one, reported once; SIGTERM and SIGHUP unwind like Ctrl-C."""

from __future__ import annotations

import io
import os
import sys
from typing import TYPE_CHECKING

from readiness.errors import OutputFailed

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer


class _ReaderMayLeave(io.FileIO):
    """Standard output (or error) that stops writing, without an error, once its reader has gone.

    ``readiness status | head -1``: head exits, the next write fails with EPIPE. That is
    not a failure of the command, so the rest of the output is discarded and the command
    finishes as it would have, with its own exit code (a gate that failed still exits 1,
    a commit asked for with --yes is still made). click would otherwise catch the
    BrokenPipeError itself, inside ``cli.main``, and exit 1 ("a check failed").

    Any other failure to write standard output (a full disk, ``>/dev/full``, an output that
    was closed before the program started, ``>&-``) is one: the first write raises
    ``OutputFailed`` (exit 1, one line on standard error) and the rest is discarded, so the
    interpreter finds nothing to write at exit. Standard error only ever discards: there is
    nowhere left to report its failure.
    """

    gone = False
    reports = False  # standard output: a failure other than a reader that left is an error
    was_closed = False  # the stream was closed when the program started: /dev/null stands in

    def write(self, data: ReadableBuffer, /) -> int:
        if self.was_closed and not self.gone:
            self.gone = True
            if self.reports:
                raise OutputFailed("cannot write the output: standard output is closed")
        if not self.gone:
            try:
                return super().write(data)
            except BrokenPipeError:
                self._discard()
            except OSError as error:
                self._discard()
                if self.reports:
                    raise OutputFailed(f"cannot write the output: {error.strerror or error}") from None
        return memoryview(data).nbytes

    def _discard(self) -> None:
        self.gone = True
        # Programs we start later (git for --edit) inherit the descriptor: give them
        # somewhere to write, rather than a SIGPIPE or the same error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, self.fileno())
        os.close(devnull)


def let_the_reader_leave() -> None:
    """Put standard output and error on ``_ReaderMayLeave``, keeping encoding and buffering.

    A stream closed when the program started (Python then sets it to None) gets /dev/null
    under its number first (``readiness.cli.entry.guard_standard_streams``, which the entry
    point has already called), so no file the program opens later takes that number.
    """
    from readiness.cli.entry import guard_standard_streams

    guard_standard_streams()
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - for the life of the process
    for name, number in (("stdout", 1), ("stderr", 2)):
        stream = getattr(sys, name)
        closed = stream is None
        if closed:
            descriptor = number
        else:
            try:
                descriptor = stream.fileno()
                stream.flush()
            except (AttributeError, OSError, ValueError):
                continue  # not a file (a test harness's capture): leave it as it is
        raw = _ReaderMayLeave(descriptor, "wb", closefd=False)
        raw.reports = name == "stdout"
        raw.was_closed = closed
        setattr(sys, name, io.TextIOWrapper(
            io.BufferedWriter(raw), encoding="utf-8" if closed else stream.encoding,
            errors="backslashreplace" if closed else stream.errors,
            line_buffering=not closed and stream.line_buffering,
            write_through=not closed and getattr(stream, "write_through", False)))


def stop_on_sigterm() -> None:
    """Treat SIGTERM and SIGHUP (the terminal closed) like Ctrl-C, so commands unwind through
    their clean-up code."""
    import signal

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), interrupt)
