"""Shared test fixtures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

# ---------------------------------------------------------------- golden files
# `pytest --update-golden` rewrites the golden files from what the code produces now;
# review the change in `git diff` like any other.

GOLDEN = Path(__file__).parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="Rewrite golden files under tests/golden from the current output.")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare TEXT with tests/golden/NAME, or rewrite the file under --update-golden."""
    update = bool(request.config.getoption("--update-golden"))

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert path.exists(), f"no golden file {path}: run `pytest --update-golden` and review it"
        assert text == path.read_text(encoding="utf-8"), f"{name} differs (`pytest --update-golden` to accept)"

    return check
