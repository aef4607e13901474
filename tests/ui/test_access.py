"""With a password in .streamlit/secrets.toml nothing is shown before sign-in."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import APP, TIMEOUT


def test_nothing_is_shown_before_the_password(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAILLAGE_DB", str(demo_db))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets["password"] = "comité de pilotage 2026"
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Maillage"]
    assert not at.sidebar.multiselect and not at.metric  # no filter, no figure
    at.text_input(key="_password").set_value("mauvais").run()
    assert [e.value for e in at.error] == ["Mot de passe incorrect."]
    assert not at.metric
    at.text_input(key="_password").set_value("comité de pilotage 2026").run()
    assert not at.exception
    assert "Vue d'ensemble" in [t.value for t in at.title]
    assert at.metric and at.sidebar.multiselect
