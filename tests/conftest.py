"""Shared pytest configuration."""

from __future__ import annotations

# --- pages: golden files ------------------------------------------------------------------
# `pytest --update-golden` (or `make golden`) rewrites tests/golden/ from the current output;
# review the diff before committing it.
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="Rewrite the golden files under tests/golden/ instead of comparing.")


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """Compare text with a golden file (or rewrite it under --update-golden)."""
    update = request.config.getoption("--update-golden")

    def check(relative: str, actual: str) -> None:
        path = GOLDEN / relative
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        assert path.exists(), f"no golden file {path}: run `make golden`"
        assert actual == path.read_text(encoding="utf-8"), f"{relative} differs: run `make golden` and review"

    return check

# --- end pages ----------------------------------------------------------------------------
