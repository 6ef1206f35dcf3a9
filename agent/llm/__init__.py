"""LLM backends: embedded llama.cpp, OpenAI-compatible servers and Ollama, behind one `ChatHandle`."""

from agent.llm.handle import Backend, ChatHandle

__all__ = ["Backend", "ChatHandle"]
