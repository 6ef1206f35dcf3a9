"""An edited Modelfile back into the `ModelSpec` that `ollama_admin.create_model` sends to Ollama.

The models page shows the Modelfile generated from the GGUF's metadata; a person may edit TEMPLATE,
SYSTEM and PARAMETER lines. FROM stays the GGUF chosen above (the file to upload), so a changed FROM is
refused with a Korean line instead of silently creating something else.
"""

from __future__ import annotations

import re
from dataclasses import replace

from agent.llm.modelfile import ModelSpec
from config import NuriError

_BLOCK = re.compile(r'^(TEMPLATE|SYSTEM)\s+"""(.*?)"""\s*$', re.S | re.M)
_PARAM = re.compile(r"^PARAMETER\s+(\w+)\s+(.+?)\s*$", re.M)


def _unquote(value: str) -> str:
    r"""A PARAMETER value as Ollama reads it.

    >>> _unquote('"<|im_end|>"'), _unquote("4096"), _unquote('"a\\"b"')
    ('<|im_end|>', '4096', 'a"b')
    """
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return value


def parse_modelfile(text: str) -> tuple[str | None, dict[str, str], dict[str, list[str]]]:
    r'''FROM, the TEMPLATE/SYSTEM blocks and the PARAMETER values (a name may repeat, like stop).

    >>> parse_modelfile('FROM /m.gguf\nSYSTEM """안녕"""\nPARAMETER stop "x"\n')
    ('/m.gguf', {'SYSTEM': '안녕'}, {'stop': ['x']})
    '''
    source = None
    for line in text.splitlines():
        if line.strip().upper().startswith("FROM "):
            source = line.strip()[5:].strip()
            break
    blocks = {m.group(1): m.group(2) for m in _BLOCK.finditer(text)}
    outside = _BLOCK.sub("", text)
    params: dict[str, list[str]] = {}
    for name, value in _PARAM.findall(outside):
        params.setdefault(name, []).append(_unquote(value))
    return source, blocks, params


def spec_from_modelfile(spec: ModelSpec, text: str) -> ModelSpec:
    """`spec` with the edited TEMPLATE, SYSTEM, stop tokens and num_ctx; Korean errors for bad edits."""
    source, blocks, params = parse_modelfile(text)
    if source is None:
        raise NuriError("Modelfile에 FROM 줄이 없습니다. 생성된 Modelfile의 FROM 줄을 그대로 두세요.")
    if source != str(spec.gguf.path.resolve()):
        raise NuriError(
            "FROM 줄은 바꿀 수 없습니다. 다른 파일로 만들려면 위의 GGUF 경로를 바꾸고 Modelfile을 다시 만드세요."
        )
    if "TEMPLATE" not in blocks:
        raise NuriError(
            'TEMPLATE """...""" 블록이 없습니다. 채팅 형식이 없으면 모델이 대화를 이해하지 못합니다.'
        )
    num_ctx = spec.num_ctx
    if "num_ctx" in params:
        try:
            num_ctx = int(params["num_ctx"][-1])
        except ValueError:
            raise NuriError(
                f"PARAMETER num_ctx 값 '{params['num_ctx'][-1]}'은(는) 정수여야 합니다."
            ) from None
        if num_ctx < 256:
            raise NuriError(f"num_ctx {num_ctx}는 너무 작습니다. 256 이상으로 적어 주세요.")
    family = replace(
        spec.family, template=blocks["TEMPLATE"], stop=tuple(params.get("stop", spec.family.stop))
    )
    return replace(spec, family=family, num_ctx=num_ctx, system=blocks.get("SYSTEM", ""))
