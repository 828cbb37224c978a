"""Time from saving a file to the served page changing under `mkdocs serve`, at 50 and 1,000 tasks.

Two servers run side by side on the sites of ``pages_bench`` (livereload on, as users run it):

- plugin: the readiness plugin; a save rewrites one field of the YAML (the project's name);
- floor: the same pages pre-rendered as Markdown, no plugin; a save rewrites the same name in
  the pre-rendered executive summary.

Saves alternate between the two. After each save the executive summary is fetched over HTTP
every 20 ms until it shows the new name; the next save waits until that rebuild has ended.
MkDocs looks for changes every 0.5 s (watchdog's polling observer) and then waits 0.1 s for
more, so about 0.35 s on average comes before any build starts, for both sites alike.

Run: .venv/bin/python bench/serve_bench.py [--sizes 50,1000] [--saves 5]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from installed import byte_compile
from pages_bench import make_sites

PAGE = "readiness/executive-summary/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


class Server:
    """``mkdocs serve`` of SITE on a free port; its output goes to a log file."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.url = ""
        self.log = site / "serve.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}/{PAGE}"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        with self.log.open("wb") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr",
                                             f"127.0.0.1:{port}"], cwd=self.site, env=env, stdout=log,
                                            stderr=subprocess.STDOUT)
        wait_until(lambda: "Serving on" in self.log.read_text() and fetch(self.url) != "", 600,
                   "mkdocs serve did not come up")

    def rebuilds(self) -> list[float]:
        """The seconds MkDocs says each rebuild took (the first build left out; repeats dropped)."""
        return [float(line.split("built in ")[1].split()[0]) for line in self.log.read_text().splitlines()
                if "Documentation built in" in line][1:]

    def builds(self) -> int:
        """Rebuilds ended so far. (MkDocs drops a log line equal to an earlier one, so "built in
        0.85 seconds" may be missing; "Reloading browsers" carries a time and is never dropped.)"""
        return self.log.read_text().count("Reloading browsers")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)


def wait_until(condition, timeout: float, failure: str, every: float = 0.02) -> float:  # type: ignore[no-untyped-def]
    """Seconds until CONDITION holds, polled EVERY seconds."""
    start = time.perf_counter()
    while not condition():
        if time.perf_counter() - start > timeout:
            raise SystemExit(failure)
        time.sleep(every)
    return time.perf_counter() - start


def save_and_wait(server: Server, path: Path, old: str, new: str) -> float:
    """Rewrite OLD as NEW in PATH; the seconds until the served page shows NEW."""
    builds = server.builds()
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    start = time.perf_counter()
    path.write_text(text.replace(old, new), encoding="utf-8")
    wait_until(lambda: new in fetch(server.url), 300, f"{path}: the served page did not change")
    seen = time.perf_counter() - start
    wait_until(lambda: server.builds() > builds, 300, "the rebuild did not end", every=0.1)
    time.sleep(0.5)  # let the server settle before the next save
    return seen


def main() -> None:
    byte_compile()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,1000")
    parser.add_argument("--saves", type=int, default=5)
    args = parser.parse_args()
    print(f"{'tasks':>6} {'floor median s':>15} {'floor min s':>12} {'plugin median s':>16} "
          f"{'plugin min s':>13} {'floor rebuild s':>16} {'plugin rebuild s':>17}")
    for size in (int(s) for s in args.sizes.split(",")):
        sites = make_sites(size)
        servers = {kind: Server(sites[kind]) for kind in ("plugin", "floor")}
        saved = {"plugin": sites["plugin"] / "content" / "readiness.yaml",
                 "floor": sites["floor"] / "docs" / "readiness" / "executive-summary.md"}
        times: dict[str, list[float]] = {"plugin": [], "floor": []}
        try:
            for server in servers.values():
                server.start()
            name = f"Synthetic {size}"
            for save in range(args.saves):
                renamed = f"Synthetic {size} save {save}"
                for kind, server in servers.items():
                    times[kind].append(save_and_wait(server, saved[kind], name, renamed))
                name = renamed
        finally:
            for server in servers.values():
                server.stop()
        floor, plugin = times["floor"], times["plugin"]
        # what MkDocs reports for the rebuild itself (median), the rest being the watcher's wait
        rebuilt = {kind: statistics.median(server.rebuilds()) for kind, server in servers.items()}
        print(f"{size:>6} {statistics.median(floor):>15.2f} {min(floor):>12.2f} "
              f"{statistics.median(plugin):>16.2f} {min(plugin):>13.2f} "
              f"{rebuilt['floor']:>16.2f} {rebuilt['plugin']:>17.2f}", flush=True)


if __name__ == "__main__":
    main()
