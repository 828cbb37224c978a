"""The manual: the site builds strictly, its reference pages match the code, and the README
and the packaging say what the site says."""

from __future__ import annotations

import ast
import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest depends on tomli before Python 3.11
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "readiness"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The manual and the example, built by `mkdocs build --strict` from the repository."""
    out = tmp_path_factory.mktemp("site")
    home = tmp_path_factory.mktemp("home")
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)], cwd=ROOT,
                          capture_output=True, text=True, env=env, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    return out


def text_of(site: Path, page: str) -> str:
    """The visible text of a built page, entities decoded."""
    raw = (site / page / "index.html").read_text(encoding="utf-8")
    body = raw.split('<article class="md-content__inner', 1)[-1].split("</article>", 1)[0]
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


@pytest.mark.slow
def test_every_command_and_option_is_in_the_cli_reference(site: Path) -> None:
    from readiness.cli import main as cli

    text = text_of(site, "reference/cli")
    group = cli.cli
    assert isinstance(group, click.Group)
    ctx = click.Context(group, info_name="readiness", **group.context_settings)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        assert f"readiness {name}" in text, name
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                for opt in (*param.opts, *param.secondary_opts):
                    assert re.search(rf"(?<![\w-]){re.escape(opt)}(?![\w-])", text), f"{name} {opt}"
            elif isinstance(param, click.Argument):
                shown = param.metavar or (param.name or "").upper()
                assert shown, f"{name} {param.name}"
                assert shown in text, f"{name} {param.name}"


@pytest.mark.slow
def test_every_exit_code_of_errors_py_is_in_the_reference(site: Path) -> None:
    codes = {node.value.value for node in ast.walk(ast.parse((SRC / "errors.py").read_text()))
             if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "exit_code" for t in node.targets)
             and isinstance(node.value, ast.Constant)}
    assert {1, 3, 4, 5, 6, 7, 8, 130} <= codes
    rows = (site / "reference/exit-codes/index.html").read_text(encoding="utf-8")
    shown = {int(c) for c in re.findall(r"<tr>\s*<td>(\d+)</td>", rows)}
    assert codes | {0, 2} == shown


@pytest.mark.slow
def test_every_key_of_the_schema_is_in_the_reference(site: Path) -> None:
    schema = json.loads((ROOT / "schema" / "readiness.schema.json").read_text())
    text = text_of(site, "reference/source-schema")
    objects = [schema, *schema["$defs"].values()]
    for node in objects:
        for key in node.get("properties", {}):
            assert key in text, key
    for name in schema["$defs"]:
        assert f'id="{name.lower()}"' in (site / "reference/source-schema/index.html").read_text(), name


@pytest.mark.slow
def test_every_environment_variable_the_code_reads_is_documented(site: Path) -> None:
    text = text_of(site, "reference/environment")
    code = "\n".join(path.read_text() for path in SRC.rglob("*.py"))
    names = set(re.findall(r"\bREADINESS_[A-Z_]*[A-Z]\b", code))
    names |= set(re.findall(r"""environ(?:\.get\(|\[)\s*["']([A-Z_]+)["']""", code))
    names |= set(re.findall(r"""["']([A-Z_]+)["'] (?:not )?in os\.environ""", code))
    names -= {"READINESS_COMMIT_MSG"}  # a file in .git, not a variable
    assert {"READINESS_CACHE_DIR", "READINESS_LOCK_WAIT", "SOURCE_DATE_EPOCH", "NO_COLOR"} <= names
    assert [n for n in sorted(names) if n not in text] == []


@pytest.mark.slow
def test_every_template_name_and_filter_is_in_the_reference(site: Path) -> None:
    import datetime as dt

    import jinja2

    from readiness.figures.assessment import assess_project
    from readiness.pages import render
    from readiness.source.loader import read_and_load

    _, model = read_and_load(ROOT / "content" / "readiness.yaml")
    text = text_of(site, "reference/template-context")
    for name in render.context(assess_project(model), dt.date(2025, 11, 27)):
        assert name in text, name
    for name in set(render.environment(None).filters) - set(jinja2.Environment().filters):
        assert name in text, name


@pytest.mark.slow
def test_the_site_holds_the_manual_and_the_example(site: Path) -> None:
    summary = (site / "readiness" / "executive-summary" / "index.html").read_text()
    assert "78/100" in summary
    for page in ("getting-started", "guides/cleanup", "explanation/security", "changelog", "example"):
        assert (site / page / "index.html").exists(), page
    for path in site.rglob("*.html"):
        raw = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in raw, path
        assert "fonts.gstatic" not in raw, path
        # every script and stylesheet is served by the site itself
        for url in re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?:[^"]+)"', raw):
            assert "://127.0.0.1" in url, (path, url)


def test_mkdocs_yml_loads_nothing_from_the_network() -> None:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.SafeLoader)
    assert config["theme"]["font"] is False
    for key in ("extra_javascript", "extra_css"):
        for entry in config.get(key, []):
            assert "://" not in str(entry), entry


def test_the_readme_is_short_and_its_links_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme) < 8000
    targets = re.findall(r"\]\(([^)#\s]+)", readme)
    local = [t for t in targets if "://" not in t]
    assert local, "the README links to the site pages"
    assert [t for t in local if not (ROOT / t).exists()] == []
    assert "make serve" in readme
    assert "make test" in readme


def test_the_pre_commit_example_pins_the_release_tag_of_this_version() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    guide = (ROOT / "docs" / "guides" / "pre-commit.md").read_text()
    assert re.findall(r"rev: (\S+)", guide) == [f"v{project['version']}"]
    assert f"## {project['version']}" in (ROOT / "CHANGELOG.md").read_text()
    from readiness import __version__

    assert __version__ == project["version"]


def test_the_site_extra_holds_mkdocs_and_the_base_install_does_not() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = [re.split(r"[<>=\[ ;]", d)[0].lower() for d in project["dependencies"]]
    assert "mkdocs" not in names
    assert "mkdocs-material" not in names
    site_extra = [re.split(r"[<>=\[ ;]", d)[0].lower() for d in project["optional-dependencies"]["site"]]
    assert {"mkdocs", "mkdocs-material"} <= set(site_extra)
