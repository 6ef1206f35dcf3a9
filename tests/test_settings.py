from pathlib import Path

import pytest
from pydantic import ValidationError

from config import Settings


def test_defaults(nuri_home):
    settings = Settings()
    assert settings.home == nuri_home
    assert settings.provider == "auto"
    assert settings.num_ctx == 8192
    assert settings.max_body_bytes == 10_000_000


def test_environment_overrides_default(monkeypatch):
    monkeypatch.setenv("NURI_PROVIDER", "ollama")
    monkeypatch.setenv("NURI_NUM_CTX", "4096")
    monkeypatch.setenv("NURI_ALLOW_PRIVATE", "intranet.local:8080, 10.0.0.5:80")
    settings = Settings()
    assert settings.provider == "ollama"
    assert settings.num_ctx == 4096
    assert settings.allow_private == ["intranet.local:8080", "10.0.0.5:80"]


def test_explicit_argument_beats_environment(monkeypatch):
    monkeypatch.setenv("NURI_PROVIDER", "ollama")
    assert Settings(provider="embedded").provider == "embedded"


def test_dotenv_is_read_below_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("NURI_MODEL=from-dotenv\nNURI_TEMPERATURE=0.7\n", encoding="utf-8")
    monkeypatch.setenv("NURI_TEMPERATURE", "0.1")
    settings = Settings()
    assert settings.model == "from-dotenv"
    assert settings.temperature == 0.1


def test_home_expands_user(monkeypatch):
    monkeypatch.setenv("NURI_HOME", "~/somewhere")
    assert Settings().home == Path.home() / "somewhere"


@pytest.mark.parametrize(
    "key,value", [("NURI_PROVIDER", "gemini"), ("NURI_NUM_CTX", "12"), ("NURI_TOP_P", "2")]
)
def test_invalid_values_are_refused(monkeypatch, key, value):
    monkeypatch.setenv(key, value)
    with pytest.raises(ValidationError):
        Settings()
