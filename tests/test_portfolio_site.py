"""The portfolio on the site: a strict `mkdocs build` with the overview and each project's pages,
links both ways, invalid members failing a strict build, and one project re-rendered on a change."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from readiness.portfolio.member import project_data
from readiness.portfolio.site import PortfolioSite
from tests.support.browser import HARNESS_HEAD
from tests.support.pages import make_site
from tests.support.portfolio import monorepo, project_text, write
from tests.support.processes import stop

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1764288000"}
PATTERNS = ["services/*/readiness.yaml", "exports/*.readiness.json"]


def portfolio_site(tmp: Path, *, invalid: int = 0) -> Path:
    """The demo site with a monorepo of generated projects and one CI export as its portfolio."""
    site = make_site(tmp)
    monorepo(site, invalid=invalid)
    other = write(tmp.parent / "other" / "content" / "readiness.yaml",
                  project_text("billing", "at risk", seed=4))
    write(site / "exports" / "billing.readiness.json", json.dumps(project_data(other)))
    config = (site / "mkdocs.yml").read_text()
    config = config.replace("      prefix: readiness\n",
                            "      prefix: readiness\n      portfolio:\n"
                            + "".join(f"        - \"{p}\"\n" for p in PATTERNS))
    (site / "mkdocs.yml").write_text(config)
    return site


def build(site: Path, out: Path, *strict: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", *strict, "-d", str(out)], cwd=site,
                          capture_output=True, text=True, env=ENV, check=False, timeout=300)


@pytest.mark.slow
def test_overview_and_project_pages_build_strict_with_links_both_ways(tmp_path: Path) -> None:
    site = portfolio_site(tmp_path / "site")
    done = build(site, tmp_path / "out", "--strict")
    assert done.returncode == 0, done.stderr
    overview = (tmp_path / "out" / "portfolio" / "index.html").read_text()
    assert overview.count("<tr>") == 1 + 9  # the header and one row per project
    assert 'role="img"' in overview
    assert 'data-picture="portfolio"' in overview
    for state in ("missed", "out of reach", "at risk", "unknown", "no date", "on track", "reached"):
        assert f">{state}</span>" in overview, state  # the state as a word, on its colour
    links = re.findall(r'href="([a-z0-9-]+)/start-here/"', overview)
    assert sorted(links) == sorted(["svc-reached", "svc-on-track", "svc-at-risk", "svc-missed",
                                    "svc-out-of-reach", "svc-no-date", "svc-unknown", "old-0"])
    assert "billing" in overview  # the export: a row without pages
    assert not (tmp_path / "out" / "portfolio" / "billing").exists()
    for slug in links:
        for page in ("start-here", "executive-summary", "production-tracker"):
            text = (tmp_path / "out" / "portfolio" / slug / page / "index.html").read_text()
            assert 'href="../../">portfolio overview</a>' in text, (slug, page)
            # "edit this page" opens the project's source
            assert f"edit/main/services/{slug}/readiness.yaml" in text, (slug, page)
    # the project's own pages are untouched
    assert "78/100" in (tmp_path / "out" / "readiness" / "executive-summary" / "index.html").read_text()


@pytest.mark.slow
def test_an_invalid_member_fails_a_strict_build_and_is_listed_otherwise(tmp_path: Path) -> None:
    site = portfolio_site(tmp_path / "site", invalid=1)
    done = build(site, tmp_path / "out", "--strict")
    assert done.returncode == 1
    assert "readiness portfolio: services/broken-0/readiness.yaml:4:9: phases: " in done.stderr
    done = build(site, tmp_path / "out2")
    assert done.returncode == 0, done.stderr
    overview = html.unescape((tmp_path / "out2" / "portfolio" / "index.html").read_text())
    assert "1 source could not be read" in overview
    assert "services/broken-0/readiness.yaml:4:9" in overview
    assert (tmp_path / "out2" / "portfolio" / "svc-reached" / "start-here" / "index.html").exists()


def test_only_the_changed_project_is_rendered_again(tmp_path: Path) -> None:
    monorepo(tmp_path, invalid=1, stale=0)
    site = PortfolioSite()
    first, problems = site.pages(PATTERNS, tmp_path)
    assert len(problems) == 2  # the broken source, and no exports
    assert site.rendered == 8
    again, _ = site.pages(PATTERNS, tmp_path)
    assert (again, site.rendered) == (first, 8)
    source = tmp_path / "services" / "svc-at-risk" / "readiness.yaml"
    source.write_text(project_text("svc-at-risk", "reached", seed=2))
    changed, _ = site.pages(PATTERNS, tmp_path)
    assert site.rendered == 9
    assert {k for k in changed if changed[k] != first.get(k)} >= {"index.md", "svc-at-risk/start-here.md"}
    assert all(changed[k] == first[k] for k in changed if not k.startswith(("svc-at-risk/", "index.md")))
    # under serve, a project whose source turns invalid keeps its last good pages
    source.write_text("project: [")
    served, problems = site.pages(PATTERNS, tmp_path, serving=True)
    assert "svc-at-risk/start-here.md" in served
    assert any("svc-at-risk/readiness.yaml:1:" in p or "svc-at-risk/readiness.yaml:2:" in p for p in problems)
    built, _ = PortfolioSite().pages(PATTERNS, tmp_path)
    assert "svc-at-risk/start-here.md" not in built


# A harness page on the same server loads the overview in a frame at a phone's and a desktop's
# width, and reports what a reader would see there as JSON in its own DOM (--dump-dom returns it).
HARNESS = HARNESS_HEAD + """function seen(element) {
  var box = element && element.getBoundingClientRect();
  return !!box && box.width > 0 && box.height > 0;
}
(async function () {
  var out = {};
  try {
    for (var width of [390, 1280]) {
      var frame = await load("/portfolio/", width);
      var doc = frame.contentDocument, root = doc.documentElement;
      var table = doc.querySelector("article table");
      var svg = doc.querySelector(".readiness-picture > svg");
      var smallest = 100, scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      svg.querySelectorAll("text").forEach(function (t) {
        smallest = Math.min(smallest, parseFloat(t.getAttribute("font-size")) * scale); });
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (h) {
        return h.textContent.trim(); });
      var column = heads.indexOf("Score");
      table.querySelectorAll("thead th button")[column].click();
      var scores = Array.prototype.map.call(table.tBodies[0].rows, function (r) {
        return parseInt(r.cells[column].textContent, 10); });
      out[width] = {overflow: root.scrollWidth - root.clientWidth, table: seen(table), picture: seen(svg),
                    smallest: smallest, rows: table.tBodies[0].rows.length, scores: scores,
                    buttons: table.querySelectorAll("thead th button").length, heads: heads.length};
      frame.remove();
    }
  } catch (e) { out.error = String(e) + " " + e.stack; }
  document.getElementById("result").textContent = JSON.stringify(out);
})();
</script></body></html>
"""


@pytest.mark.slow
@pytest.mark.browser
def test_overview_in_a_browser_on_a_phone_and_a_desktop(tmp_path: Path) -> None:
    from tests.support.browser import CHROMIUM, run_harness, served

    if CHROMIUM is None:
        pytest.skip("chromium is not installed")
    site = portfolio_site(tmp_path / "site")
    done = build(site, tmp_path / "out", "--strict")
    assert done.returncode == 0, done.stderr
    (tmp_path / "out" / "harness.html").write_text(HARNESS)
    with served(tmp_path / "out") as base:
        found = run_harness(f"{base}/harness.html", tmp_path, budget_ms=30000)
    for width in ("390", "1280"):
        seen = found[width]
        assert seen["overflow"] <= 0, (width, seen)  # the body never scrolls sideways
        assert (seen["table"], seen["picture"], seen["rows"]) == (True, True, 9), (width, seen)
        assert seen["buttons"] == seen["heads"] == 10  # every column sortable
        assert seen["scores"] == sorted(seen["scores"]), (width, seen)
        assert seen["smallest"] >= 11, (width, seen)  # the picture's text stays legible


@pytest.mark.slow
def test_serve_renders_only_the_saved_project_again(tmp_path: Path) -> None:
    import time
    import urllib.request

    from tests.support.pages import free_port

    site = portfolio_site(tmp_path / "site")
    port = free_port()
    base = f"http://127.0.0.1:{port}/portfolio"

    def fetch(url: str) -> str:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return str(response.read().decode("utf-8"))
        except OSError:
            return ""

    def wait_for(url: str, text: str, timeout: float = 120) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in fetch(url):
                return True
            time.sleep(0.3)
        return False

    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=site, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_for(f"{base}/svc-at-risk/start-here/", "svc-at-risk"), "mkdocs serve did not come up"
        source = site / "services" / "svc-at-risk" / "readiness.yaml"
        source.write_text(source.read_text().replace("Task 0 of svc-at-risk", "Renamed first task"))
        assert wait_for(f"{base}/svc-at-risk/production-tracker/", "Renamed first task"), "no reload"
        assert wait_for(f"{base}/", "svc-at-risk")
    finally:
        output = stop(server, 30)
    reads = [line for line in output.splitlines() if "projects read again" in line]
    assert "9 of 9 projects read again" in reads[0], output[-3000:]
    assert any("1 of 9 projects read again" in line for line in reads[1:]), output[-3000:]


def test_project_pages_are_those_the_project_alone_gets(tmp_path: Path) -> None:
    from readiness.files.project import project_root
    from readiness.pages.site import generate
    from readiness.portfolio.site import BACK_LINK
    from readiness.source.locate import templates_folder

    monorepo(tmp_path, invalid=0, stale=0)
    pages, _ = PortfolioSite().pages(PATTERNS[:1], tmp_path)
    for name in ("svc-reached", "svc-at-risk", "svc-unknown"):
        source = tmp_path / "services" / name / "readiness.yaml"
        root = project_root(source.parent)
        alone = generate(source, root, templates_folder(root))
        mine = {page.split("/", 1)[1]: text for page, text in pages.items() if page.startswith(f"{name}/")}
        assert mine.keys() == alone.keys()
        for page, text in alone.items():
            assert mine[page].replace(f"\n\n{BACK_LINK}", "", 1) == text, (name, page)


def test_a_change_to_a_projects_templates_renders_it_again(tmp_path: Path) -> None:
    monorepo(tmp_path, invalid=0, stale=0)
    site = PortfolioSite()
    site.pages(PATTERNS[:1], tmp_path)
    templates = tmp_path / "services" / "svc-reached" / "templates"
    assert templates in site.files(PATTERNS[:1], tmp_path)  # watched under serve
    write(templates / "extra.md.j2", "# Extra page of {{ project.name }}\n")
    pages, _ = site.pages(PATTERNS[:1], tmp_path)
    assert site.read_again == 1
    assert pages["svc-reached/extra.md"].splitlines()[1] == "# Extra page of svc-reached"
