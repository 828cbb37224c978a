"""A real headless Chromium loads the built site: figures and pictures shown, nothing leaves the machine,
no console errors, and hostile strings from the source stay text."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.browser import BROWSER_MARKS, HARNESS_HEAD, dump_dom, requested_urls, run_harness, served
from tests.support.pages import hostile_yaml, make_site

pytestmark = BROWSER_MARKS


def build(site: Path, out: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)], cwd=site,
                          capture_output=True, text=True, check=False, env=env)
    assert done.returncode == 0, done.stderr


@pytest.fixture
def serve() -> Iterator[object]:
    """Start serving a folder (a callable: folder -> base URL); every server stops after the test."""
    with contextlib.ExitStack() as servers:
        yield lambda folder: servers.enter_context(served(folder))


def chromium(url: str, tmp: Path) -> tuple[str, str, list[str]]:
    """The DOM after scripts ran, Chromium's log, and every URL the page requested."""
    netlog = tmp / "netlog.json"
    done = dump_dom(url, tmp, extra=("--disable-quic", "--enable-logging=stderr", "--v=0",
                                     f"--log-net-log={netlog}"))
    return done.stdout, done.stderr, requested_urls(netlog)


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
    assert dom.count('role="img"') >= 3  # the score ladder, progress by phase, the timeline
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


# The checks that need the page to run: a harness page on the same server loads each page in a
# frame (desktop and phone widths), inspects its DOM, presses the sort buttons, and writes what
# it found as JSON into its own DOM, which --dump-dom returns.
HARNESS = HARNESS_HEAD + """function duplicates(doc) {
  var seen = {}, twice = [];
  doc.querySelectorAll("[id]").forEach(function (e) { if (seen[e.id]) twice.push(e.id); seen[e.id] = true; });
  return twice;
}
function firstColumn(table) {
  return Array.prototype.map.call(table.tBodies[0].rows, function (r) {
    return r.cells[0].textContent.trim(); });
}
function tableOf(doc, first, holding) {
  return Array.prototype.find.call(doc.querySelectorAll("article table"), function (t) {
    return t.querySelector("th").textContent.trim() === first && t.textContent.indexOf(holding || "") >= 0; });
}
// Press the header HEADER of TABLE twice: the rows' first cells and the column's cells each time.
function sortTwice(table, header) {
  var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (h) {
    return h.textContent.trim(); });
  var column = heads.indexOf(header);
  var button = table.querySelectorAll("thead th button")[column];
  var cells = function () { return Array.prototype.map.call(table.tBodies[0].rows, function (r) {
    return r.cells[column].textContent.trim(); }); };
  var state = function () { return {rows: firstColumn(table), cells: cells(),
                                     sort: table.querySelectorAll("th")[column].getAttribute("aria-sort")}; };
  var result = {};
  button.click();
  result.ascending = state();
  button.click();
  result.descending = state();
  return result;
}
(async function () {
  var out = {ids: {}, sort: null, phone: {}, dates: {}};
  try {
    for (var page of PAGES) {
      var frame = await load(page, 1280);
      out.ids[page] = duplicates(frame.contentDocument);
      if (page.indexOf("executive-summary") >= 0) {
        var doc = frame.contentDocument;
        var table = Array.prototype.find.call(doc.querySelectorAll("article table"), function (t) {
          return t.querySelector("th").textContent.trim() === "Priority"; });
        var buttons = table.querySelectorAll("thead th button");
        var before = firstColumn(table);
        buttons[0].click();
        var sorted = function () { return table.querySelectorAll("th")[0].getAttribute("aria-sort"); };
        var first = {rows: firstColumn(table), sort: sorted()};
        buttons[0].click();
        var second = {rows: firstColumn(table), sort: sorted()};
        buttons[3].focus();
        var focused = doc.activeElement === buttons[3];
        buttons[3].click();
        var others = Array.prototype.map.call(table.querySelectorAll("th"), function (h) {
          return h.getAttribute("aria-sort"); });
        out.sort = {before: before, first: first, second: second, focused: focused, others: others,
                    buttons: buttons.length, tag: buttons[0].tagName, tabIndex: buttons[0].tabIndex,
                    last: firstColumn(table).slice(-1)[0]};
        out.dates.timeline = sortTwice(tableOf(doc, "Milestone"), "Target date");
        out.dates.expected = sortTwice(tableOf(doc, "Milestone"), "Expected");
        out.dates.owners = sortTwice(tableOf(doc, "Risk"), "Owner");
      }
      if (page.indexOf("implementation-status") >= 0) {
        out.dates.completed = sortTwice(tableOf(frame.contentDocument, "Task", "Observability"), "Completed");
      }
      frame.remove();
      var phone = await load(page, 390);
      var pdoc = phone.contentDocument;
      var smallest = 100;
      pdoc.querySelectorAll(".readiness-picture > svg").forEach(function (svg) {
        var scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        svg.querySelectorAll("text").forEach(function (t) {
          smallest = Math.min(smallest, parseFloat(t.getAttribute("font-size")) * scale); });
      });
      var root = pdoc.documentElement;
      out.phone[page] = {smallest: smallest, overflow: root.scrollWidth - root.clientWidth};
      phone.remove();
    }
  } catch (e) { out.error = String(e) + " " + e.stack; }
  document.getElementById("result").textContent = JSON.stringify(out);
})();
</script></body></html>
"""

ALL_PAGES = ("start-here", "executive-summary", "implementation-status", "production-tracker", "runbook", "",
             "launch-checklist")


def test_unique_ids_keyboard_sorting_and_readable_pictures_on_a_phone(tmp_path: Path, serve) -> None:  # type: ignore[no-untyped-def]
    site = make_site(tmp_path / "site")
    build(site, tmp_path / "out")
    pages = [f"/readiness/{name}/" if name else "/readiness/" for name in ALL_PAGES] + ["/"]
    (tmp_path / "out" / "harness.html").write_text(HARNESS.replace("PAGES", json.dumps(pages)))
    base = serve(tmp_path / "out")
    found = run_harness(f"{base}/harness.html", tmp_path, budget_ms=60000, timeout=180)
    # G: every id on every page is unique (a picture no longer reuses its heading's id)
    assert set(found["ids"]) == set(pages)
    assert {page: ids for page, ids in found["ids"].items() if ids} == {}
    # H: headers are buttons (Tab reaches them, Enter and Space press them); the sorted column says
    # so with aria-sort; the totals row stays last either way
    sort = found["sort"]
    assert (sort["tag"], sort["buttons"], sort["focused"]) == ("BUTTON", 4, True)
    assert sort["tabIndex"] >= 0
    assert sort["before"] == ["P0", "P1", "P2", "P3", "All"]
    assert sort["first"] == {"rows": ["P0", "P1", "P2", "P3", "All"], "sort": "ascending"}
    assert sort["second"] == {"rows": ["P3", "P2", "P1", "P0", "All"], "sort": "descending"}
    assert sort["others"] == [None, None, None, "ascending"]
    assert sort["last"] == "All"
    # ISO dates sort by date (not as the number 2025), both ways; an empty or "—" cell stays last
    dates = found["dates"]
    milestones = ["Controlled beta", "Full production", "Production excellence"]
    for column in ("timeline", "expected"):
        assert dates[column]["ascending"]["rows"] == milestones, dates[column]
        assert dates[column]["descending"]["rows"] == milestones[::-1], dates[column]
        assert dates[column]["descending"]["sort"] == "descending"
    completed = dates["completed"]
    assert completed["ascending"]["cells"] == ["2025-11-20", "2025-11-27", "2025-11-27", "", "", "", ""]
    assert completed["descending"]["cells"] == ["2025-11-27", "2025-11-27", "2025-11-20", "", "", "", ""]
    assert completed["ascending"]["rows"][0] == "Observability and CI security guards"
    for way in ("ascending", "descending"):
        assert dates["owners"][way]["cells"] == ["Senior backend developer", "—", "—"], dates["owners"]
    # K: on a 390 px phone, the text of the pictures stays at least 11 px and the page itself does
    # not scroll sideways (a picture scrolls inside its own box instead)
    for page, phone in found["phone"].items():
        assert phone["smallest"] >= 11, (page, phone)
        assert phone["overflow"] <= 0, (page, phone)


# Pictures at a phone's and a desktop's width, in Material's light and dark schemes: the page
# body never scrolls sideways, and every text of every picture lies inside its picture's
# viewBox (getBBox, in the picture's own units) and on screen inside the picture, drawn in a
# colour other than the page's background.
PICTURES_HARNESS = HARNESS_HEAD + """function check(doc, win) {
  var found = {overflow: doc.documentElement.scrollWidth - doc.documentElement.clientWidth, pictures: 0,
               texts: 0, outside: [], hidden: []};
  var background = win.getComputedStyle(doc.body).backgroundColor;
  doc.querySelectorAll(".readiness-picture svg[viewBox]").forEach(function (svg) {
    if (svg.parentElement.closest("svg")) return;  // a nested svg is part of its picture
    found.pictures += 1;
    var box = svg.viewBox.baseVal, screen = svg.getBoundingClientRect();
    svg.querySelectorAll("text").forEach(function (t) {
      found.texts += 1;
      var b = t.getBBox(), r = t.getBoundingClientRect(), style = win.getComputedStyle(t);
      var what = t.textContent.trim().slice(0, 40);
      if (b.x < box.x - 0.5 || b.y < box.y - 0.5 || b.x + b.width > box.x + box.width + 0.5 ||
          b.y + b.height > box.y + box.height + 0.5) found.outside.push(what);
      if (r.width <= 0 || r.height <= 0 || r.left < screen.left - 0.5 || r.right > screen.right + 0.5 ||
          style.visibility === "hidden" || style.display === "none" || style.fill === background)
        found.hidden.push(what);
    });
  });
  return found;
}
(async function () {
  var out = {};
  try {
    for (var page of PAGES) {
      for (var width of [390, 1280]) {
        for (var scheme of ["default", "slate"]) {
          var frame = await load(page, width);
          frame.contentDocument.body.setAttribute("data-md-color-scheme", scheme);
          await new Promise(function (r) { setTimeout(r, 100); });
          out[page + " " + width + " " + scheme] = check(frame.contentDocument, frame.contentWindow);
          frame.remove();
        }
      }
    }
  } catch (e) { out.error = String(e) + " " + e.stack; }
  document.getElementById("result").textContent = JSON.stringify(out);
})();
</script></body></html>
"""


def test_pictures_fit_and_show_every_text_on_phones_and_desktops_light_and_dark(  # type: ignore[no-untyped-def]
        tmp_path: Path, serve) -> None:
    site = make_site(tmp_path / "site")
    build(site, tmp_path / "out")
    pages = [f"/readiness/{name}/" if name else "/readiness/" for name in ALL_PAGES]
    (tmp_path / "out" / "pictures.html").write_text(PICTURES_HARNESS.replace("PAGES", json.dumps(pages)))
    base = serve(tmp_path / "out")
    found = run_harness(f"{base}/pictures.html", tmp_path, budget_ms=90000, timeout=240)
    assert len(found) == len(pages) * 4
    for where, seen in found.items():
        assert seen["overflow"] <= 0, (where, seen)
        assert seen["outside"] == [], (where, seen["outside"])
        assert seen["hidden"] == [], (where, seen["hidden"])
    summary = [seen for where, seen in found.items() if "executive-summary" in where]
    assert all(seen["pictures"] >= 3 and seen["texts"] >= 20 for seen in summary), summary
