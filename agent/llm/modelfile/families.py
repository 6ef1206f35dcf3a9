"""Chat-template families as data: how to recognise each in a GGUF's Jinja template, and what Ollama needs.

A family is recognised when every one of its `markers` occurs in `tokenizer.chat_template`; the table is
tried in order, so a more specific family (Qwen with tool calls, Phi-4) comes before the general one
(plain ChatML). A GGUF without a chat template falls back on its architecture where that is unambiguous.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent.llm.modelfile import gotemplates
from config import NuriError


@dataclass(frozen=True)
class TemplateFamily:
    """One chat format: its markers in Jinja, its Ollama Go TEMPLATE and the tokens that end a turn."""

    name: str
    label: str  # what the user reads, e.g. "Llama 3 / Llama-3-Ko"
    markers: tuple[str, ...]
    template: str
    stop: tuple[str, ...]
    tools: bool  # the Go template renders .Tools / .ToolCalls, so Ollama accepts tool calls
    architectures: tuple[str, ...] = ()  # GGUF architectures that imply this family without a template


FAMILIES: tuple[TemplateFamily, ...] = (
    TemplateFamily(
        name="llama3",
        label="Llama 3 / 3.1 / 3.2, Llama-3-Ko (Open-Ko, Bllossom, ...)",
        markers=("<|start_header_id|>", "<|eot_id|>"),
        template=gotemplates.LLAMA3,
        stop=("<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"),
        tools=True,
    ),
    TemplateFamily(
        name="phi4",
        label="Phi-4 (ChatML with <|im_sep|>)",
        markers=("<|im_start|>", "<|im_sep|>"),
        template=gotemplates.PHI4,
        stop=("<|im_start|>", "<|im_end|>", "<|im_sep|>"),
        tools=False,
    ),
    TemplateFamily(
        name="qwen2",
        label="Qwen 2 / 2.5 (ChatML with <tool_call>)",
        markers=("<|im_start|>", "<tool_call>"),
        template=gotemplates.QWEN2,
        stop=("<|im_start|>", "<|im_end|>"),
        tools=True,
        architectures=("qwen2",),
    ),
    TemplateFamily(
        name="chatml",
        label="ChatML (Qwen 1.5, Yi, OpenHermes, SOLAR-ko chat, ...)",
        markers=("<|im_start|>", "<|im_end|>"),
        template=gotemplates.CHATML,
        stop=("<|im_start|>", "<|im_end|>"),
        tools=False,
    ),
    TemplateFamily(
        name="gemma",
        label="Gemma 2 / 3",
        markers=("<start_of_turn>", "<end_of_turn>"),
        template=gotemplates.GEMMA,
        stop=("<end_of_turn>", "<start_of_turn>"),
        tools=False,
        architectures=("gemma", "gemma2", "gemma3"),
    ),
    TemplateFamily(
        name="exaone",
        label="EXAONE 3.0 / 3.5 (LG AI Research)",
        # EXAONE's Jinja builds role tags as '[|' + role + '|]', so only these two occur literally.
        markers=("[|endofturn|]", "[|assistant|]"),
        template=gotemplates.EXAONE,
        stop=("[|endofturn|]",),
        tools=False,
        architectures=("exaone",),
    ),
    TemplateFamily(
        name="llama2",
        label="Llama 2 chat ([INST] with <<SYS>>)",
        markers=("[INST]", "<<SYS>>"),
        template=gotemplates.LLAMA2,
        stop=("[INST]", "[/INST]", "<<SYS>>", "<</SYS>>"),
        tools=False,
    ),
    TemplateFamily(
        name="mistral",
        label="Mistral / Mixtral instruct ([INST], [TOOL_CALLS])",
        markers=("[INST]", "[/INST]"),
        template=gotemplates.MISTRAL,
        stop=("[INST]", "[/INST]"),
        tools=True,
    ),
    TemplateFamily(
        name="phi3",
        label="Phi-3 / 3.5",
        markers=("<|user|>", "<|assistant|>", "<|end|>"),
        template=gotemplates.PHI3,
        stop=("<|end|>", "<|user|>", "<|assistant|>"),
        tools=False,
        architectures=("phi3",),
    ),
)


def family_names() -> list[str]:
    """Names accepted by `--template-family`.

    >>> family_names()[:3]
    ['llama3', 'phi4', 'qwen2']
    """
    return [family.name for family in FAMILIES]


def family_by_name(name: str) -> TemplateFamily:
    """Look a family up by name; an unknown name is a Korean error listing the known ones.

    >>> family_by_name("gemma").stop
    ('<end_of_turn>', '<start_of_turn>')
    """
    for family in FAMILIES:
        if family.name == name.strip().lower():
            return family
    raise NuriError(
        f"알 수 없는 템플릿 계열 '{name}'입니다. 다음 중 하나를 쓰세요: {', '.join(family_names())}."
    )


def detect_family(chat_template: str | None, architecture: str | None = None) -> TemplateFamily | None:
    """The family whose markers all occur in `chat_template` (else implied by `architecture`), or None.

    >>> detect_family("{{ '<|im_start|>' + message['role'] }}{{ '<|im_end|>' }}").name
    'chatml'
    >>> detect_family(None, "gemma3").name
    'gemma'
    >>> detect_family("{{ message['content'] }}", "llama") is None
    True
    """
    if chat_template:
        for family in FAMILIES:
            if all(marker in chat_template for marker in family.markers):
                return family
    if architecture:
        for family in FAMILIES:
            if architecture.lower() in family.architectures:
                return family
    return None


def unknown_family_error(source: str) -> NuriError:
    """The Korean error for a template no family matches, listing the known ones."""
    known = ", ".join(f"{f.name} ({f.label})" for f in FAMILIES)
    return NuriError(
        f"{source}의 채팅 템플릿이 알려진 계열이 아닙니다. 알려진 계열: {known}. "
        "모델 카드에서 계열을 확인한 뒤 `--template-family 이름`으로 지정하세요."
    )
