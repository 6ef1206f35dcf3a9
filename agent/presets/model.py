"""A prompt preset: a named system-prompt text with `{variable}` placeholders, read from a TOML file.

Placeholders are found with `string.Formatter.parse` but filled in by hand, so a preset can only name
plain variables (`{today}`), never reach attributes or indexes (`{x.__class__}`, `{x[0]}`), and a value is
never read as a template itself. Literal braces are written doubled: `{{` and `}}`.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from config import NuriError

Source = Literal["shipped", "user"]

# Lower-case ASCII words joined by hyphens: safe as a file name on every system and easy to type.
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID_LENGTH = 40
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_KEYS = {"name", "description", "variables", "defaults", "text"}


def check_id(preset_id: str) -> str:
    """Return `preset_id` if it is a valid preset id, else raise a Korean error.

    >>> check_id("news-analyst")
    'news-analyst'
    >>> check_id("뉴스")
    Traceback (most recent call last):
    ...
    config.errors.NuriError: 프리셋 ID '뉴스'은(는) 쓸 수 없습니다. ...
    """
    if not ID_PATTERN.match(preset_id) or len(preset_id) > MAX_ID_LENGTH:
        raise NuriError(
            f"프리셋 ID '{preset_id}'은(는) 쓸 수 없습니다. "
            f"영문 소문자, 숫자, 하이픈(-)으로 {MAX_ID_LENGTH}자 이내로 적어 주세요 (예: my-helper)."
        )
    return preset_id


def placeholders(text: str) -> list[str]:
    """The variable names a preset text uses, in order of first use; a Korean error for a bad brace.

    >>> placeholders("오늘은 {today}, 이름은 {user_name}. 집합 {{a, b}}와 {today}")
    ['today', 'user_name']
    >>> placeholders("닫히지 않은 {today")
    Traceback (most recent call last):
    ...
    config.errors.NuriError: 프롬프트 본문의 중괄호가 잘못되었습니다 ...
    >>> placeholders("{x.__class__}")
    Traceback (most recent call last):
    ...
    config.errors.NuriError: 프롬프트 본문의 '{x.__class__}'은(는) 변수 이름이 아닙니다. ...
    """
    found: list[str] = []
    for _literal, name, spec, conversion in _parse(text):
        if name is None:
            continue
        if not _VARIABLE.match(name) or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise NuriError(
                f"프롬프트 본문의 '{shown}'은(는) 변수 이름이 아닙니다. "
                "변수는 {today}처럼 영문 이름만 쓰고, 중괄호를 글자로 쓰려면 {{ }}로 두 번 쓰세요."
            )
        if name not in found:
            found.append(name)
    return found


def _parse(text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    try:
        return list(string.Formatter().parse(text))
    except ValueError as error:
        raise NuriError(
            f"프롬프트 본문의 중괄호가 잘못되었습니다 ({error}). "
            "변수는 {today}처럼 쓰고, 중괄호를 글자로 쓰려면 {{ }}로 두 번 쓰세요."
        ) from None


@dataclass(frozen=True)
class Preset:
    """One system-prompt preset. `id` names its file; `name` is what people see."""

    id: str
    name: str
    text: str
    description: str = ""
    variables: tuple[str, ...] = ()  # every placeholder the text uses, declared
    defaults: Mapping[str, str] = field(default_factory=dict, hash=False)  # values for its own variables
    source: Source = "user"
    path: Path | None = None
    overrides_shipped: bool = False  # a user copy that replaces the shipped preset of the same id

    def __post_init__(self) -> None:
        check_id(self.id)
        if not self.name.strip():
            raise NuriError(f"프리셋 '{self.id}'에 이름(name)이 없습니다. 예: name = \"내 비서\"")
        if not self.text.strip():
            raise NuriError(
                f"프리셋 '{self.id}'의 본문(text)이 비어 있습니다. 시스템 프롬프트를 적어 주세요."
            )
        bad = [name for name in self.variables if not _VARIABLE.match(name)]
        if bad:
            raise NuriError(
                f"프리셋 '{self.id}'의 variables에 쓸 수 없는 이름이 있습니다: {', '.join(bad)}. "
                "변수 이름은 영문자, 숫자, 밑줄(_)로 적어 주세요 (예: user_name)."
            )
        undeclared = [name for name in placeholders(self.text) if name not in self.variables]
        if undeclared:
            raise NuriError(
                f"프리셋 '{self.id}'의 본문에 선언되지 않은 변수가 있습니다: "
                + ", ".join("{" + n + "}" for n in undeclared)
                + ". variables 목록에 넣거나 이름의 오타를 고쳐 주세요."
            )

    @property
    def label(self) -> str:
        """`이름 (id)`, how errors and lists name a preset."""
        return f"{self.name} ({self.id})"

    def render(self, values: Mapping[str, str]) -> str:
        """The text with each `{name}` replaced by `values[name]` (or the preset's default for it).

        Only the variables the text uses are looked up, so a costly value (a callable-backed mapping)
        is computed only when needed.

        >>> p = Preset("demo", "데모", "오늘은 {today}입니다. {{중괄호}}", variables=("today",))
        >>> p.render({"today": "3월 1일"})
        '오늘은 3월 1일입니다. {중괄호}'
        >>> p.render({})
        Traceback (most recent call last):
        ...
        config.errors.NuriError: 프리셋 '데모 (demo)'에 필요한 변수 {today}의 값이 없습니다. ...
        """
        out: list[str] = []
        for literal, name, _spec, _conversion in _parse(self.text):
            out.append(literal)
            if name is None:
                continue
            if name in values:
                out.append(str(values[name]))
            elif name in self.defaults:
                out.append(self.defaults[name])
            else:
                raise NuriError(
                    f"프리셋 '{self.label}'에 필요한 변수 {{{name}}}의 값이 없습니다. "
                    f'프리셋 파일의 [defaults]에 {name} = "값"을 넣거나 본문에서 {{{name}}}을 빼 주세요.'
                )
        return "".join(out)


def preset_from_toml(text: str, preset_id: str, *, source: Source, path: Path | None = None) -> Preset:
    """Parse one preset file's TOML; a Korean error names the file and what is wrong with it."""
    where = str(path) if path else f"프리셋 '{preset_id}'"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise NuriError(
            f"{where}: TOML 형식이 잘못되었습니다 ({error}). 파일을 고치거나 지워 주세요."
        ) from None
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise NuriError(
            f"{where}: 알 수 없는 항목 {', '.join(unknown)}. "
            "쓸 수 있는 항목은 name, description, variables, defaults, text입니다."
        )
    variables = data.get("variables", [])
    defaults = data.get("defaults", {})
    if not isinstance(variables, list) or not all(isinstance(v, str) for v in variables):
        raise NuriError(f'{where}: variables는 문자열 목록이어야 합니다 (예: variables = ["today"]).')
    if not isinstance(defaults, dict) or not all(isinstance(v, str) for v in defaults.values()):
        raise NuriError(f'{where}: [defaults]의 값은 문자열이어야 합니다 (예: topic = "경제").')
    for key in ("name", "text", "description"):
        if key in data and not isinstance(data[key], str):
            raise NuriError(f"{where}: {key}는 문자열이어야 합니다.")
    try:
        return Preset(
            id=preset_id,
            name=data.get("name", "").strip(),
            description=data.get("description", "").strip(),
            text=data.get("text", "").strip(),
            variables=tuple(variables),
            defaults=dict(defaults),
            source=source,
            path=path,
        )
    except NuriError as error:
        raise NuriError(f"{where}: {error.message}") from None
