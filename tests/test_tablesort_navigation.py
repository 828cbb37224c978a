"""The site's table sorting survives Material's instant navigation: it hooks ``document$`` when
the theme has it (every page shown, not only the first), and DOMContentLoaded otherwise."""

from __future__ import annotations

from pathlib import Path

from tests.support import ROOT
from tests.support.browser import BROWSER_MARKS, dump_dom

pytestmark = BROWSER_MARKS

TABLE = ("<table><thead><tr><th>{name}</th><th>Hours</th></tr></thead><tbody>"
         "<tr><td>b</td><td>2</td></tr><tr><td>a</td><td>1</td></tr></tbody></table>")

# A stand-in for Material's document$ (an RxJS subject): it replays the current page to a new
# subscriber and announces each page that instant navigation puts in place.
SUBJECT = """<script>
var subscribers = [];
var document$ = {subscribe: function (f) { subscribers.push(f); f(document); }};
function navigate() {
  document.querySelector("article").innerHTML = %s;
  subscribers.forEach(function (f) { f(document); });
}
</script>"""


def _dom(tmp_path: Path, head: str, body: str) -> str:
    script = (ROOT / "docs" / "javascripts" / "tablesort.js").as_uri()
    page = tmp_path / "page.html"
    page.write_text(f"<!doctype html><html><head>{head}</head><body><article>{TABLE.format(name='First')}"
                    f"</article><script src='{script}'></script>{body}</body></html>", encoding="utf-8")
    done = dump_dom(page.as_uri(), tmp_path, budget_ms=3000, extra=("--allow-file-access-from-files",))
    return done.stdout


def test_tables_of_a_page_reached_by_instant_navigation_sort(tmp_path: Path) -> None:
    swapped = repr(TABLE.format(name="Second")).replace("'", '"')
    dom = _dom(tmp_path, SUBJECT % swapped, # after the page has loaded, as a reader's click would
               "<script>addEventListener('load', function () {"
               " setTimeout(function () { navigate(); navigate(); }, 10); });</script>")
    assert "Second" in dom
    assert "First" not in dom
    # the new page's table has its buttons, once each, though document$ announced it twice
    assert dom.count('class="readiness-sort"') == 2


def test_without_document_subject_tables_sort_once_loaded(tmp_path: Path) -> None:
    dom = _dom(tmp_path, "", "")
    assert dom.count('class="readiness-sort"') == 2
