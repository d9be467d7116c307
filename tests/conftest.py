"""Shared fixtures: one real Sudachi tokenizer for the session, the bundled corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "higashimatsuyama" / "source" / "000_270e44ce1722bd2a.txt"


@pytest.fixture(scope="session")
def sudachi_tokenizer():
    """The real Sudachi tokenizer (mode C), created once."""
    from analysis.tokens import tokenizer

    return tokenizer("C")


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory):
    """Tests never read or write the user's token cache."""
    os.environ["KEIKAKU_CACHE_DIR"] = str(tmp_path_factory.mktemp("keikaku-cache"))
    yield
