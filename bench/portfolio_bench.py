"""Time `readiness portfolio` and the portfolio site against their floors (200 projects of 40 tasks).

- sources: `readiness portfolio 'services/*/readiness.yaml'` against loading the same files with
  PyYAML's C loader in one process (both as a process of their own, and in-process);
- exports: `readiness portfolio 'exports/*.readiness.json'` against json.load of the same files;
- site: `mkdocs build` of a site whose plugin has the portfolio option, against the same pages
  pre-rendered as Markdown files (the static floor);
- serve: after saving one project's source under `mkdocs serve`, the time until the served page
  of that project shows the change, against the floor's full build.

Run: PYTHONPATH=src .venv/bin/python bench/portfolio_bench.py [--projects 200] [--repeat 3] [--skip-site]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from installed import byte_compile
from readiness.portfolio.member import project_data
from readiness.portfolio.site import PortfolioSite
from synthetic import synthetic_source

WORK = Path(__file__).resolve().parent / ".work" / "portfolio"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "READINESS_CACHE_DIR": "off"}
SITE = """site_name: Portfolio bench
docs_dir: docs
theme:
  name: material
  font: false
markdown_extensions: [admonition, attr_list, tables, toc, pymdownx.superfences, pymdownx.tasklist]
"""
PLUGIN = """plugins:
  - search
  - readiness:
      portfolio: ["services/*/readiness.yaml"]
"""
FLOOR = """plugins:
  - search
"""

YAML_FLOOR = """
import sys, yaml
from pathlib import Path
for path in sorted(Path("services").glob("*/readiness.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""
JSON_FLOOR = """
import json
from pathlib import Path
for path in sorted(Path("exports").glob("*.readiness.json")):
    with open(path, "rb") as file:
        json.load(file)
"""


def make(projects: int, tasks: int) -> Path:
    """WORK/site: services/pNNN/readiness.yaml, exports/pNNN.readiness.json, mkdocs.yml, docs/."""
    shutil.rmtree(WORK, ignore_errors=True)
    site = WORK / "site"
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "index.md").write_text("# Bench\n")
    (site / "mkdocs.yml").write_text(SITE + PLUGIN)
    for index in range(projects):
        source = site / "services" / f"p{index:03d}" / "readiness.yaml"
        source.parent.mkdir(parents=True)
        source.write_text(synthetic_source(tasks, seed=index).replace(
            f"name: Synthetic service with {tasks} tasks", f"name: Service {index:03d}"))
        export = site / "exports" / f"p{index:03d}.readiness.json"
        export.parent.mkdir(exist_ok=True)
        export.write_text(json.dumps(project_data(source), indent=2))
    return site


CPU: dict[str, float] = {}  # the CPU seconds (user + system) of the best run of each command


def timed(command: list[str], cwd: Path, repeat: int, name: str = "") -> float:
    """The best wall time of REPEAT runs; its CPU time is kept in CPU[NAME]. On a shared machine
    the CPU time is the steadier figure: waiting for a core counts in the wall time only."""
    import resource

    best = float("inf")
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=ENV, check=False)
        took = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        if took < best:
            best = took
            CPU[name] = cpu
        if done.returncode not in (0, 1):
            raise SystemExit(f"{command} failed: {done.stderr[-2000:]}")
    return best


def in_process(site: Path, repeat: int) -> tuple[float, float, float, float]:
    """(C loader, portfolio of sources, json.load, portfolio of exports), best of REPEAT, in this process."""
    import yaml

    from readiness.portfolio.aggregate import aggregate
    from readiness.portfolio.sources import read_members

    here = os.getcwd()
    os.chdir(site)
    try:
        sources = sorted(Path("services").glob("*/readiness.yaml"))
        exports = sorted(Path("exports").glob("*.readiness.json"))
        results = [float("inf")] * 4
        for _ in range(repeat):
            runs = [
                lambda: [yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader) for p in sources],
                lambda: aggregate(*read_members(["services/*/readiness.yaml"], Path("."))),
                lambda: [json.loads(p.read_bytes()) for p in exports],
                lambda: aggregate(*read_members(["exports/*.readiness.json"], Path("."))),
            ]
            for index, run in enumerate(runs):
                start = time.process_time()  # CPU time: steadier on a shared machine
                run()
                results[index] = min(results[index], time.process_time() - start)
        return results[0], results[1], results[2], results[3]
    finally:
        os.chdir(here)


def floor_site(site: Path) -> Path:
    """The same pages as the plugin renders, written as Markdown into a site without the plugin."""
    floor = WORK / "floor"
    shutil.rmtree(floor, ignore_errors=True)
    (floor / "docs").mkdir(parents=True)
    (floor / "docs" / "index.md").write_text("# Bench\n")
    (floor / "mkdocs.yml").write_text(SITE + FLOOR)
    here = os.getcwd()
    os.chdir(site)
    try:
        pages, _ = PortfolioSite().pages(["services/*/readiness.yaml"], Path("."))
    finally:
        os.chdir(here)
    for name, text in pages.items():
        path = floor / "docs" / "portfolio" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return floor


def serve_change(site: Path, port: int) -> float:
    """Seconds from saving one source under `mkdocs serve` to its served page showing the change."""
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=site,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    url = f"http://127.0.0.1:{port}/portfolio/service-007/start-here/"
    try:
        before = _article(_wait_for(url, lambda text: "Service 007" in text, 900))
        source = site / "services" / "p007" / "readiness.yaml"
        text = source.read_text()
        changed = text.replace("status: pending", "status: done\n    completed: 2025-11-20", 3)
        start = time.perf_counter()
        source.write_text(changed)
        _wait_for(url, lambda page: _article(page) != before, 900)
        took = time.perf_counter() - start
        source.write_text(text)
        return took
    finally:
        server.terminate()
        server.wait(timeout=60)


def _article(page: str) -> str:
    """The page's content: the live-reload script around it changes with every request."""
    return page.split("<article", 1)[-1].split("</article>", 1)[0]


def _wait_for(url: str, ready: object, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                page = str(response.read().decode())
            if ready(page):  # type: ignore[operator]
                return page
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"{url} did not change within {timeout} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--tasks", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--site-repeat", type=int, default=1)
    parser.add_argument("--skip-site", action="store_true")
    args = parser.parse_args()
    byte_compile()
    site = make(args.projects, args.tasks)
    readiness = [sys.executable, "-m", "readiness", "portfolio"]
    print(f"{args.projects} projects of {args.tasks} tasks, best of {args.repeat}")
    c_loader, sources, json_load, exports = in_process(site, args.repeat)
    print(f"in process, CPU: C loader {c_loader:.3f} s, portfolio of sources {sources:.3f} s "
          f"({sources / c_loader:.2f}x); json.load {json_load:.3f} s, portfolio of exports {exports:.3f} s "
          f"({exports / json_load:.2f}x)")
    yaml_floor = timed([sys.executable, "-c", YAML_FLOOR], site, args.repeat, "yaml")
    yaml_cli = timed([*readiness, "services/*/readiness.yaml"], site, args.repeat, "sources")
    json_floor = timed([sys.executable, "-c", JSON_FLOOR], site, args.repeat, "json")
    json_cli = timed([*readiness, "exports/*.readiness.json"], site, args.repeat, "exports")
    print(f"processes, wall: C loader {yaml_floor:.3f} s, readiness portfolio (sources) {yaml_cli:.3f} s "
          f"({yaml_cli / yaml_floor:.2f}x); CPU: {CPU['yaml']:.3f} s, {CPU['sources']:.3f} s "
          f"({CPU['sources'] / CPU['yaml']:.2f}x)")
    print(f"processes, wall: json.load {json_floor:.3f} s, readiness portfolio (exports) {json_cli:.3f} s "
          f"({json_cli / json_floor:.2f}x); CPU: {CPU['json']:.3f} s, {CPU['exports']:.3f} s "
          f"({CPU['exports'] / CPU['json']:.2f}x)")
    if args.skip_site:
        return
    floor = floor_site(site)
    build = [sys.executable, "-m", "mkdocs", "build", "-d"]
    floor_s = plugin_s = float("inf")
    for _ in range(args.site_repeat):  # interleaved, so that other load hits both alike
        floor_s = min(floor_s, timed([*build, str(WORK / "out-floor")], floor, 1, "floor"))
        plugin_s = min(plugin_s, timed([*build, str(WORK / "out-plugin")], site, 1, "plugin"))
    print(f"mkdocs build: floor {floor_s:.2f} s, plugin {plugin_s:.2f} s ({plugin_s / floor_s:.3f}x); "
          f"CPU of the last: {CPU['floor']:.2f} s, {CPU['plugin']:.2f} s ({CPU['plugin'] / CPU['floor']:.3f}x)")
    from socket import socket

    with socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    change = serve_change(site, port)
    print(f"mkdocs serve: one source saved -> its page served changed in {change:.2f} s "
          f"(floor's full build {floor_s:.2f} s, {change / floor_s:.2f}x)")


if __name__ == "__main__":
    main()
