"""A real headless Chromium loads the built site: figures and pictures shown, nothing leaves the machine,
no console errors, and hostile strings from the source stay text."""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pages_support import hostile_yaml, make_site

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian package `chromium`)"),
]


def build(site: Path, out: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)], cwd=site,
                          capture_output=True, text=True, check=False, env=env)
    assert done.returncode == 0, done.stderr


@pytest.fixture
def serve() -> Iterator[object]:
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def chromium(url: str, tmp: Path) -> tuple[str, str, list[str]]:
    """The DOM after scripts ran, Chromium's log, and every URL the page requested."""
    netlog = tmp / "netlog.json"
    profile = tempfile.mkdtemp(dir=tmp)
    done = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
         "--enable-logging=stderr", "--v=0", f"--log-net-log={netlog}", "--virtual-time-budget=5000",
         "--dump-dom", url],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    urls: list[str] = []
    text = netlog.read_text(errors="replace")
    if not text.rstrip().endswith("}"):  # the log may be cut off at exit
        text = text.rstrip().rstrip(",") + "]}"
    for event in json.loads(text).get("events", []):
        params = event.get("params", {})
        # requests the page made (the browser's own update and account pings have no initiator)
        if isinstance(params.get("url"), str) and "initiator" in params and (
                params["initiator"] != "not an origin" or params.get("request_type") == "main frame"):
            urls.append(params["url"])
    return done.stdout, done.stderr, urls


def console_errors(log: str) -> list[str]:
    return [line for line in log.splitlines() if "CONSOLE" in line and ("Error" in line or "Uncaught" in line)]


def outside(urls: list[str]) -> list[str]:
    local = ("http://127.0.0.1", "data:", "blob:", "about:", "chrome:", "chrome-")
    return [u for u in urls if not u.startswith(local)]


def test_summary_and_tracker_show_figures_offline(tmp_path: Path, serve) -> None:  # type: ignore[no-untyped-def]
    site = make_site(tmp_path / "site")
    build(site, tmp_path / "out")
    base = serve(tmp_path / "out")
    dom, log, urls = chromium(f"{base}/readiness/executive-summary/", tmp_path)
    assert "Production readiness: 78/100" in dom.replace("<strong>", "").replace("</strong>", "")
    assert dom.count('role="img"') >= 5
    assert "Score ladder: Now 78/100" in dom
    assert not console_errors(log), console_errors(log)
    assert urls
    assert not outside(urls), outside(urls)
    dom, log, urls = chromium(f"{base}/readiness/production-tracker/", tmp_path)
    assert 'id="task-wallet-tests"' in dom
    assert "content.code.copy" in dom
    assert "<pre" in dom
    assert "vitest" in dom
    assert not console_errors(log), console_errors(log)
    assert not outside(urls), outside(urls)


def test_hostile_strings_do_not_run(tmp_path: Path, serve) -> None:  # type: ignore[no-untyped-def]
    site = make_site(tmp_path / "site", hostile_yaml())
    build(site, tmp_path / "out")
    base = serve(tmp_path / "out")
    for page in ("executive-summary", "production-tracker", "index", "start-here", "implementation-status"):
        dom, log, _ = chromium(f"{base}/readiness/{'' if page == 'index' else page + '/'}", tmp_path)
        title = dom.split("<title>", 1)[1].split("</title>", 1)[0]
        assert "pwned" not in title, page
        assert "<img src=\"x\"" not in dom, page
        assert "<script>document.title" not in dom, page
        assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in dom, page
        assert "<svg onload" not in dom, page
        assert not console_errors(log), (page, console_errors(log))
