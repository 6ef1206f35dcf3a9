"""LLM backends: embedded llama.cpp, OpenAI-compatible servers and Ollama, behind one `ChatHandle`."""

from agent.llm.factory import BackendChoice, choose_backend, open_chat_model
from agent.llm.handle import Backend, ChatHandle
from agent.llm.repair import ToolCallRepairChatModel, invalid_call_error

__all__ = [
    "Backend",
    "BackendChoice",
    "ChatHandle",
    "ToolCallRepairChatModel",
    "choose_backend",
    "invalid_call_error",
    "open_chat_model",
]
