"""A real headless Chromium for the site tests: the browser, a local server for a built site, and
harness pages that load pages in frames and report what a reader would see as JSON."""

from __future__ import annotations

import contextlib
import functools
import html
import http.server
import json
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)

# Every test module that starts the browser carries these marks.
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian package `chromium`)"),
]

# A fresh profile, no network beyond this machine, nothing the browser fetches for itself.
_OFFLINE = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]

# The start of a harness page: `load(url, width)` opens URL in a frame WIDTH px wide and resolves
# once it has settled. The harness writes its findings as JSON into #result.
HARNESS_HEAD = """<!doctype html><html><head><meta charset="utf-8"></head><body><pre id="result">running</pre>
<script>
function load(url, width) {
  return new Promise(function (resolve) {
    var frame = document.createElement("iframe");
    frame.style.width = width + "px"; frame.style.height = "900px";
    frame.onload = function () { setTimeout(function () { resolve(frame); }, 500); };
    frame.src = url; document.body.appendChild(frame);
  });
}
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    """FOLDER over HTTP on 127.0.0.1 while inside; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def dump_dom(url: str, tmp: Path, *, budget_ms: int = 5000, extra: tuple[str, ...] = (),
             timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Chromium's DOM of URL after its scripts ran for BUDGET_MS of virtual time (stdout), and its log."""
    assert CHROMIUM is not None
    profile = tempfile.mkdtemp(dir=tmp)
    done = subprocess.run(
        [str(CHROMIUM), *_OFFLINE, f"--user-data-dir={profile}", *extra, f"--virtual-time-budget={budget_ms}",
         "--dump-dom", url],
        capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def run_harness(url: str, tmp: Path, *, budget_ms: int, timeout: float = 180) -> Any:
    """The JSON a harness page at URL wrote into #result (an "error" key fails the test)."""
    done = dump_dom(url, tmp, budget_ms=budget_ms, timeout=timeout)
    found = json.loads(html.unescape(done.stdout.split('<pre id="result">', 1)[1].split("</pre>", 1)[0]))
    assert "error" not in found, found["error"]
    return found


def requested_urls(netlog: Path) -> list[str]:
    """The URLs a page requested, from Chromium's net log (the browser's own pings have no initiator)."""
    text = netlog.read_text(errors="replace")
    if not text.rstrip().endswith("}"):  # the log may be cut off at exit
        text = text.rstrip().rstrip(",") + "]}"
    urls = []
    for event in json.loads(text).get("events", []):
        params = event.get("params", {})
        if isinstance(params.get("url"), str) and "initiator" in params and (
                params["initiator"] != "not an origin" or params.get("request_type") == "main frame"):
            urls.append(params["url"])
    return urls
