"""Time `mkdocs build` of the demo site three ways, at 50, 1,000 and 10,000 tasks.

- plugin: the readiness plugin renders the pages in memory from the YAML;
- floor: the same pages pre-rendered (`readiness build`) as plain Markdown, no plugin;
- macros: mkdocs-macros-plugin renders the same page templates from the same YAML (a peer approach).

The three sites must build byte-identical HTML pages (``check_same_pages``), so a page that
one approach renders wrongly or not at all fails the benchmark instead of making it faster.

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

from readiness.pages.generated import MARKER
from readiness.pages.site import STYLESHEET, assessment_of, generate, pages_for, stylesheet
from readiness.source.loader import load_source
from synthetic_site import synthetic_source

WORK = Path(__file__).resolve().parent / ".work" / "pages"

BASE = """site_name: Bench
docs_dir: docs
theme:
  name: material
  font: false
markdown_extensions: [admonition, attr_list, tables, toc, pymdownx.superfences, pymdownx.tasklist,
                      pymdownx.details]
extra_css: [readiness/readiness.css]
"""

TEMPLATES = Path(__file__).resolve().parent.parent / "src" / "readiness" / "templates"

# The peer renders the very same page templates, with the same figures, through mkdocs-macros:
# the same tables from the same YAML, so the difference is the approach, not the output.
MACRO_MAIN = '''
from pathlib import Path

from readiness.pages.render import PAGES, context, environment
from readiness.pages.site import assessment_of, history_context
from readiness.source.loader import load_source


class PageLinks(dict):
    """The templates' `page` (links between the pages), where mkdocs-macros keeps the current page."""

    meta = {}


def define_env(env):
    source = Path("content/readiness.yaml")
    model = load_source(source)
    assessment = assessment_of(model, source, Path("."))
    env.variables.update(context(assessment))
    env.variables.update(history_context(assessment, source))
    env.filters.update(environment().filters)


def on_pre_page_macros(env):
    # the built-in renderer's Jinja settings (escaping of every {{ }} included) and globals
    ours = environment()
    for option in ("trim_blocks", "lstrip_blocks", "keep_trailing_newline", "finalize", "undefined"):
        setattr(env.env, option, getattr(ours, option))
    env.env.globals.update(ours.globals)
    env.variables["page"] = PageLinks({name: f"{name}.md" for name in PAGES})
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
            # a page that fails to render fails the build (by default mkdocs-macros shows the error)
            config += "  - macros:\n      include_dir: templates\n      on_error_fail: true\n"
            (site / "main.py").write_text(MACRO_MAIN, encoding="utf-8")
            shutil.copytree(TEMPLATES / "partials", site / "templates" / "partials")
            (site / "docs" / "readiness").mkdir()
            for template in TEMPLATES.glob("*.md.j2"):
                text = template.read_text(encoding="utf-8")
                (site / "docs" / "readiness" / template.name[: -len(".j2")]).write_text(
                    f"{MARKER}\n{text}", encoding="utf-8")
        if kind != "plugin":
            (site / "docs" / "readiness" / STYLESHEET).write_text(stylesheet(), encoding="utf-8")
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


def built_pages(site: Path) -> dict[str, bytes]:
    """The HTML pages of SITE's last build, by path."""
    return {path.relative_to(site / "site").as_posix(): path.read_bytes()
            for path in sorted((site / "site").rglob("*.html"))}


def check_same_pages(sites: dict[str, Path]) -> None:
    """Fail unless the three sites built the very same HTML pages, so that the timings compare
    the same work (the search index may list them in another order)."""
    floor = built_pages(sites["floor"])
    assert any(name.startswith("readiness/runbook/") for name in floor), "no runbook page"
    for kind in ("plugin", "macros"):
        pages = built_pages(sites[kind])
        assert pages.keys() == floor.keys(), f"{kind}: pages not in both: {pages.keys() ^ floor.keys()}"
        differ = [name for name in floor if pages[name] != floor[name]]
        assert not differ, f"{kind}: pages differ from the floor: {differ}"


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
        check_same_pages(sites)
        floor, plugin, macros = best["floor"], best["plugin"], best["macros"]
        render = time_render(sites["plugin"])
        print(f"{size:>6} {floor:>8.2f} {plugin:>9.2f} {macros:>9.2f} {plugin / floor:>13.3f} "
              f"{plugin / macros:>14.3f} {render:>9.3f}", flush=True)


if __name__ == "__main__":
    main()
