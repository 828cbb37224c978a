"""Every command finds the source and the templates from whichever site configuration the
project has: mkdocs.yml, mkdocs.yaml, properdocs.yml, properdocs.yaml or zensical.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

from readiness.files.project import CONFIG_NAMES
from readiness.source.locate import find_source, site_config, templates_folder
from tests.support.cli import run_cli
from tests.support.git import new_repo
from tests.support.sources import source_text

YAML_CONFIG = ("site_name: x\nplugins:\n  - search\n  - readiness:\n"
               "      source: state/project.yaml\n      templates: page-templates\n")
TOML_CONFIG = ('[project]\nsite_name = "x"\n\n[project.plugins.readiness]\n'
               'source = "state/project.yaml"\ntemplates = "page-templates"\n')


def _config(name: str) -> str:
    return TOML_CONFIG if name.endswith(".toml") else YAML_CONFIG


def _project(tmp_path: Path, name: str) -> Path:
    """A repository whose source is only found through the site configuration NAME."""
    root = new_repo(tmp_path / "repo")
    (root / name).write_text(_config(name), encoding="utf-8")
    (root / "state").mkdir()
    (root / "state" / "project.yaml").write_text(source_text([{"id": "a", "effort": 2}]), encoding="utf-8")
    (root / "page-templates").mkdir()
    (root / "page-templates" / "extra.md.j2").write_text("# Extra\n\nA page of our own.\n", encoding="utf-8")
    (root / "docs" / "deep").mkdir(parents=True)
    return root


def test_every_generator_name_is_known() -> None:
    assert set(CONFIG_NAMES) == {"mkdocs.yml", "mkdocs.yaml", "properdocs.yml", "properdocs.yaml",
                                 "zensical.toml"}


@pytest.mark.parametrize("name", CONFIG_NAMES)
def test_the_library_finds_source_and_templates(tmp_path: Path, name: str) -> None:
    root = _project(tmp_path, name)
    assert site_config(root) == root / name
    assert find_source(root / "docs" / "deep") == root / "state" / "project.yaml"
    assert templates_folder(root) == root / "page-templates"


@pytest.mark.parametrize("name", CONFIG_NAMES)
def test_check_status_and_build_find_the_source(tmp_path: Path, name: str) -> None:
    root = _project(tmp_path, name)
    deep = root / "docs" / "deep"
    check = run_cli("check", cwd=deep)
    assert check.returncode == 0, check.stderr
    assert "project.yaml: valid" in check.stdout
    status = run_cli("status", cwd=deep)
    assert status.returncode == 0, status.stderr
    assert status.stdout.startswith("Demo")
    build = run_cli("build", "--out", str(root / "out"), cwd=deep)
    assert build.returncode == 0, build.stderr
    # the project's templates folder came from the configuration too
    assert "A page of our own." in (root / "out" / "extra.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", CONFIG_NAMES)
def test_the_pre_commit_hook_command_finds_the_source(tmp_path: Path, name: str) -> None:
    """The hook runs `readiness check` from the repository root, without arguments."""
    root = _project(tmp_path, name)
    (root / "state" / "project.yaml").write_text("project: {name: X}\n", encoding="utf-8")
    hook = run_cli("check", cwd=root)
    assert hook.returncode == 3
    assert hook.stderr.startswith("state/project.yaml:")


def test_a_plugin_map_and_a_plugin_without_options(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yaml").write_text("plugins:\n  readiness:\n    source: s.yaml\n", encoding="utf-8")
    assert find_source(tmp_path) == tmp_path / "s.yaml"
    (tmp_path / "mkdocs.yaml").write_text("plugins:\n  - readiness\n", encoding="utf-8")
    assert find_source(tmp_path) == tmp_path / "content" / "readiness.yaml"


def test_the_configuration_naming_the_plugin_wins(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    (tmp_path / "zensical.toml").write_text(TOML_CONFIG, encoding="utf-8")
    assert site_config(tmp_path) == tmp_path / "zensical.toml"


def test_an_unreadable_configuration_falls_back_to_the_default(tmp_path: Path) -> None:
    (tmp_path / "zensical.toml").write_text("[project\n", encoding="utf-8")
    assert find_source(tmp_path) == tmp_path / "content" / "readiness.yaml"


def _zensical_warning(root: Path) -> list[str]:
    result = run_cli("check", "--ci", cwd=root)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stderr.splitlines() if "Zensical" in line]


def test_check_ci_warns_that_zensical_drops_the_plugin(tmp_path: Path) -> None:
    root = _project(tmp_path, "zensical.toml")
    [line] = _zensical_warning(root)
    assert line == ("readiness: warning: zensical.toml names the readiness plugin, which Zensical drops "
                    "without a word (no readiness pages on the site): write the pages with "
                    "`readiness build --watch` while editing, `readiness build` before `zensical build`")
    assert "Zensical" not in run_cli("check", cwd=root).stderr  # only the CI gate says it


def test_check_ci_warns_for_an_mkdocs_yml_that_zensical_reads(tmp_path: Path) -> None:
    root = _project(tmp_path, "mkdocs.yml")
    assert _zensical_warning(root) == []  # MkDocs runs the plugin
    (root / "requirements-docs.txt").write_text("zensical==0.0.10\n", encoding="utf-8")
    [line] = _zensical_warning(root)
    assert line.startswith("readiness: warning: mkdocs.yml names the readiness plugin")


def test_no_warning_when_zensical_is_not_told_about_the_plugin(tmp_path: Path) -> None:
    root = _project(tmp_path, "zensical.toml")
    (root / "zensical.toml").write_text('[project]\nsite_name = "x"\n', encoding="utf-8")
    (root / "state" / "project.yaml").rename(root / "content.yaml")
    (root / "content").mkdir()
    (root / "content.yaml").rename(root / "content" / "readiness.yaml")
    assert _zensical_warning(root) == []


def test_the_readiness_table_is_read_without_a_toml_library() -> None:
    """Python 3.10 has no tomllib: the plugin's table is still found, as tomllib reads it."""
    try:
        import tomllib
    except ImportError:  # Python 3.10: the same reader, as the tomli package (a test oracle only)
        tomllib = pytest.importorskip("tomli")

    from readiness.source.locate import plugin_table

    assert plugin_table(TOML_CONFIG) == {
        "project": {"plugins": {"readiness": {"source": "state/project.yaml", "templates": "page-templates"}}}}
    text = ("[project]\nsite_name = 'x'\n[ project.plugins.readiness ]  # ours\nsource = 's.yaml'  # here\n"
            "[project.plugins.search]\nsource = 'not ours'\n")
    assert plugin_table(text) == {"project": {"plugins": {"readiness": {"source": "s.yaml"}}}}
    assert tomllib.loads(text)["project"]["plugins"]["readiness"] == {"source": "s.yaml"}
    assert plugin_table("[project]\nsite_name = 'x'\n") == {}


@pytest.mark.parametrize("name", [n for n in CONFIG_NAMES if n != "mkdocs.yml"])
def test_init_adds_no_second_site_configuration(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text(_config(name), encoding="utf-8")
    result = run_cli("init", cwd=tmp_path)
    assert result.returncode == 4
    assert result.stderr == f"readiness: {name} already exists: init never overwrites; nothing was created\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def _by_pyyaml(text: str) -> dict[str, object] | None:
    """The plugin's options as PyYAML reads the file, the way the locator did before (the truth)."""
    import yaml

    from readiness.source.locate import _lenient_loader

    try:
        data = yaml.load(text, Loader=_lenient_loader())
    except yaml.YAMLError:
        return None
    plugins = data.get("plugins", []) if isinstance(data, dict) else []
    if isinstance(plugins, dict):
        plugins = [{k: v} for k, v in plugins.items()]
    for entry in plugins if isinstance(plugins, list) else []:
        if entry == "readiness":
            return {}
        if isinstance(entry, dict) and "readiness" in entry:
            options = entry["readiness"]
            return options if isinstance(options, dict) else {}
    return None


LAYOUTS = [
    "site_name: x\nplugins:\n  - search\n  - readiness:\n      source: {value}\n      templates: t\n",
    "plugins:\n  - readiness:\n      source: {value}  # the source\n  - search\nnav:\n  - readiness: r.md\n",
    "plugins:\n  readiness:\n    source: {value}\n  search: {{}}\n",
    "plugins:\n- readiness:\n    source: {value}\n",
    "plugins:\n  - readiness\n  - search\n",
    "plugins:\n  - search\nextra:\n  readiness: {value}\n",
    "site_name: readiness\nplugins:\n  - search\n",
    "plugins: [search, readiness]\n",
    "plugins:\n  - readiness: {{source: {value}}}\n",
    "plugins:\n  - readiness:\n      source: {value}\n        more: x\n",
    "plugins:\n  - readiness:\n      source: {value}\n  - readiness:\n      source: other.yaml\n",
    "plugins:\n  - readiness:\n      source: !ENV [SRC, {value}]\n",
    "plugins:\n  - readiness:\n      source:\n        - {value}\n",
    "plugins:\n  - readiness:\n      source: {value}\n     templates: t\n",
    "plugins:\n  - readiness:\n\tsource: {value}\n",
    "---\nplugins:\n  - readiness:\n      source: {value}\n",
    "plugins:\n  - readiness: # ours\n      source: {value}\n",
    "plugins:\n  - readiness:\n      source: {value}\n      source: again.yaml\n",
]
VALUES = ["content/readiness.yaml", "'state.yaml'", '"state.yaml"', "a#b.yaml", "a # b", "'it''s.yaml'",
          '"a\\tb"', "yes", "1.5", "2025-01-01", "~", "-x.yaml", "x: y", "*anchor", "&a x", "=", "[a]",
          "'unterminated", "state.yaml   "]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("value", VALUES)
def test_the_plain_reading_agrees_with_pyyaml_when_it_answers(layout: str, value: str) -> None:
    from readiness.source.locate import UNSURE, plain_plugin_options

    text = layout.format(value=value)
    quick = plain_plugin_options(text)
    if quick is not UNSURE:
        assert quick == _by_pyyaml(text), text


def test_the_usual_layouts_are_read_without_pyyaml() -> None:
    from readiness.source.locate import UNSURE, plain_plugin_options

    for layout in LAYOUTS[:7]:
        assert plain_plugin_options(layout.format(value="state.yaml")) is not UNSURE, layout
    repository_config = (Path(__file__).resolve().parents[1] / "mkdocs.yml").read_text(encoding="utf-8")
    assert plain_plugin_options(repository_config) == _by_pyyaml(repository_config)


def test_cleanup_and_commit_find_the_source_without_importing_pyyaml(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = _project(tmp_path, "mkdocs.yml")
    code = ("import sys; from pathlib import Path; from readiness.source.locate import find_source; "
            "print(find_source(Path.cwd())); print('yaml' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == [str(root / "state" / "project.yaml"), "False"]
