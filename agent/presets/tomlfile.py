"""Writing a preset back as TOML that a person can read and edit (the text as a multi-line string).

The standard library reads TOML but does not write it; a preset needs only strings, a list of strings and
one table of strings, so a small writer is enough. Every output is checked by reading it back in the tests.
"""

from __future__ import annotations

from agent.presets.model import Preset


def toml_string(value: str) -> str:
    r"""A one-line TOML basic string.

    >>> print(toml_string('따옴표 " 와 역슬래시 \\ 와 줄\n바꿈'))
    "따옴표 \" 와 역슬래시 \\ 와 줄\n바꿈"
    """
    return '"' + _escape(value, keep_newlines=False) + '"'


def toml_multiline(value: str) -> str:
    r"""A multi-line TOML basic string: newlines stay as they are, so the text reads like the prompt.

    >>> import tomllib
    >>> text = '첫 줄\n따옴표 세 개 ' + '"' * 3 + r' 와 \ 도' + '\n끝'
    >>> tomllib.loads("t = " + toml_multiline(text))["t"] == text + "\n"
    True
    """
    # The newline after the opening quotes is dropped by TOML; the one before the closing quotes is kept,
    # and the loader strips the text, so the round trip is exact for a stripped text.
    return '"""\n' + _escape(value, keep_newlines=True) + '\n"""'


_SHORT_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(value: str, *, keep_newlines: bool) -> str:
    out = []
    for char in value:
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n" and keep_newlines:
            out.append("\n")
        elif char in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return "".join(out)


def preset_to_toml(preset: Preset) -> str:
    """The file content for `preset` (its id is the file name, so it is not repeated inside)."""
    lines = [
        f"# 누리 프롬프트 프리셋 '{preset.id}'. 형식: docs/usage/prompts.md",
        f"name = {toml_string(preset.name)}",
        f"description = {toml_string(preset.description)}",
        "variables = [" + ", ".join(toml_string(v) for v in preset.variables) + "]",
        f"text = {toml_multiline(preset.text)}",
    ]
    if preset.defaults:
        lines.append("")
        lines.append("[defaults]")
        lines.extend(f"{name} = {toml_string(value)}" for name, value in preset.defaults.items())
    return "\n".join(lines) + "\n"
