"""Ollama model definitions from a GGUF's own metadata: chat-template family, Go TEMPLATE, stops, context."""

from agent.llm.modelfile.families import (
    FAMILIES,
    TemplateFamily,
    detect_family,
    family_by_name,
    family_names,
)
from agent.llm.modelfile.gguf_info import GGUFInfo, file_type_name, read_gguf_info
from agent.llm.modelfile.render import ModelSpec, build_spec, create_request, render_modelfile

__all__ = [
    "FAMILIES",
    "GGUFInfo",
    "ModelSpec",
    "TemplateFamily",
    "build_spec",
    "create_request",
    "detect_family",
    "family_by_name",
    "family_names",
    "file_type_name",
    "read_gguf_info",
    "render_modelfile",
]
