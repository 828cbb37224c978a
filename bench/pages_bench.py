"""Time `mkdocs build` of the demo site three ways, at 50, 1,000 and 10,000 tasks.

- plugin: the readiness plugin renders the pages in memory from the YAML;
- floor: the same pages pre-rendered (`readiness build`) as plain Markdown, no plugin;
- macros: mkdocs-macros-plugin renders the same page templates from the same YAML (a peer approach).

Run: .venv/bin/python bench/pages_bench.py [--sizes 50,1000,10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from installed import byte_compile

sys.path.insert(0, str(Path(__file__).resolve().parent))

from readiness.pages.site import assessment_of, generate, pages_for
from readiness.source.loader import load_source
from synthetic_site import synthetic_source

WORK = Path(__file__).resolve().parent / ".work" / "pages"

BASE = """site_name: Bench
docs_dir: docs
theme:
  name: material
  font: false
markdown_extensions: [admonition, attr_list, tables, toc, pymdownx.superfences, pymdownx.tasklist]
"""

TEMPLATES = Path(__file__).resolve().parent.parent / "src" / "readiness" / "templates"

# The peer renders the very same page templates, with the same figures, through mkdocs-macros:
# the same tables from the same YAML, so the difference is the approach, not the output.
MACRO_MAIN = '''
from pathlib import Path

from readiness.pages.render import context, environment
from readiness.pages.site import assessment_of, score_history_svg
from readiness.source.loader import load_source


def define_env(env):
    source = Path("content/readiness.yaml")
    model = load_source(source)
    env.variables.update(context(assessment_of(model, source, Path("."))))
    env.variables.update({"score_history": score_history_svg(source)})
    env.filters.update(environment().filters)
'''


def make_sites(size: int) -> dict[str, Path]:
    root = WORK / str(size)
    shutil.rmtree(root, ignore_errors=True)
    text = synthetic_source(size)
    sites = {}
    for kind in ("plugin", "floor", "macros"):
        site = root / kind
        (site / "docs").mkdir(parents=True)
        (site / "content").mkdir()
        (site / "content" / "readiness.yaml").write_text(text, encoding="utf-8")
        (site / "docs" / "index.md").write_text("# Bench\n", encoding="utf-8")
        # every site lists its plugins, so all three build the same search index
        config = BASE + "plugins:\n  - search\n"
        if kind == "plugin":
            config += "  - readiness\n"
        elif kind == "floor":
            source = site / "content" / "readiness.yaml"
            # what `readiness build` writes: the plugin's pages, evidence and history included
            for name, page in pages_for(assessment_of(load_source(source), source, site), source).items():
                target = site / "docs" / "readiness" / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(page, encoding="utf-8")
        else:
            config += "  - macros:\n      include_dir: templates\n"
            (site / "main.py").write_text(MACRO_MAIN, encoding="utf-8")
            shutil.copytree(TEMPLATES / "partials", site / "templates" / "partials")
            (site / "docs" / "readiness").mkdir()
            for template in TEMPLATES.glob("*.md.j2"):
                shutil.copy(template, site / "docs" / "readiness" / template.name[: -len(".j2")])
        (site / "mkdocs.yml").write_text(config, encoding="utf-8")
        sites[kind] = site
    return sites


def time_build(site: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site / "site")], cwd=site,
                   check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def best_of(sites: dict[str, Path], repeat: int) -> dict[str, float]:
    """The fastest of REPEAT builds of each site, interleaved so that load on the machine hits all alike."""
    best = dict.fromkeys(sites, float("inf"))
    for _ in range(repeat):
        for kind, site in sites.items():
            best[kind] = min(best[kind], time_build(site))
    return best


def time_render(site: Path) -> float:
    start = time.perf_counter()
    generate(site / "content" / "readiness.yaml", site)
    return time.perf_counter() - start


def main() -> None:
    byte_compile()  # time the program as installed: byte-compiled
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,1000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'tasks':>6} {'floor s':>8} {'plugin s':>9} {'macros s':>9} {'plugin/floor':>13} "
          f"{'plugin/macros':>14} {'render s':>9}")
    for size in (int(s) for s in args.sizes.split(",")):
        sites = make_sites(size)
        repeat = args.repeat if size <= 1000 else max(1, args.repeat // 3)
        best = best_of(sites, repeat)
        floor, plugin, macros = best["floor"], best["plugin"], best["macros"]
        render = time_render(sites["plugin"])
        print(f"{size:>6} {floor:>8.2f} {plugin:>9.2f} {macros:>9.2f} {plugin / floor:>13.3f} "
              f"{plugin / macros:>14.3f} {render:>9.3f}", flush=True)


if __name__ == "__main__":
    main()
