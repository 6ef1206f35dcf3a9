"""Tiny GGUF files written with `gguf.GGUFWriter`, one per chat-template family, for the Modelfile tests.

The Jinja chat templates below are our own, modelled on each family's published template (the parts
that matter: the turn markers and how roles are spelled).
"""

from __future__ import annotations

from pathlib import Path

import gguf
import numpy as np

JINJA = {
    "llama3": (
        "{% set loop_messages = messages %}{% for message in loop_messages %}"
        "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + "
        "message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}"
        "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
        "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}"
    ),
    "qwen2": (
        "{%- if tools %}{{- '<|im_start|>system\\n' }}{{- messages[0]['content'] }}"
        "{{- '\\n\\n# Tools\\n\\n<tools>' }}{%- for tool in tools %}{{- '\\n' }}{{- tool | tojson }}{%- endfor %}"
        "{{- '\\n</tools>\\n\\nReturn each call within <tool_call></tool_call> tags.<|im_end|>\\n' }}{%- endif %}"
        "{%- for message in messages %}{%- if message.role == 'user' or message.role == 'system' %}"
        "{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' }}"
        "{%- elif message.role == 'assistant' %}{{- '<|im_start|>assistant' }}{%- for call in message.tool_calls %}"
        "{{- '\\n<tool_call>\\n' }}{{- call.function | tojson }}{{- '\\n</tool_call>' }}{%- endfor %}"
        "{{- '<|im_end|>\\n' }}{%- elif message.role == 'tool' %}"
        "{{- '<|im_start|>user\\n<tool_response>\\n' + message.content + '\\n</tool_response><|im_end|>\\n' }}"
        "{%- endif %}{%- endfor %}{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
    ),
    "chatml": (
        "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + "
        "'<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}"
        "{% endif %}"
    ),
    "phi4": (
        "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '<|im_sep|>' + message['content'] + "
        "'<|im_end|>' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant<|im_sep|>' }}"
        "{% endif %}"
    ),
    "gemma": (
        "{{ bos_token }}{% if messages[0]['role'] == 'system' %}{% set first_user_prefix = "
        "messages[0]['content'] + '\\n\\n' %}{% set loop_messages = messages[1:] %}{% else %}"
        "{% set first_user_prefix = '' %}{% set loop_messages = messages %}{% endif %}"
        "{% for message in loop_messages %}{% if message['role'] == 'assistant' %}{% set role = 'model' %}"
        "{% else %}{% set role = message['role'] %}{% endif %}{{ '<start_of_turn>' + role + '\\n' + "
        "(first_user_prefix if loop.first else '') + message['content'] | trim + '<end_of_turn>\\n' }}"
        "{% endfor %}{% if add_generation_prompt %}{{ '<start_of_turn>model\\n' }}{% endif %}"
    ),
    "exaone": (
        "{% for message in messages %}{% if loop.first and message['role'] != 'system' %}"
        "{{ '[|system|][|endofturn|]\\n' }}{% endif %}{{ '[|' + message['role'] + '|]' + message['content'] }}"
        "{% if message['role'] == 'user' %}{{ '\\n' }}{% else %}{{ '[|endofturn|]\\n' }}{% endif %}"
        "{% endfor %}{% if add_generation_prompt %}{{ '[|assistant|]' }}{% endif %}"
    ),
    "llama2": (
        "{% if messages[0]['role'] == 'system' %}{% set system_message = messages[0]['content'] %}"
        "{% set loop_messages = messages[1:] %}{% else %}{% set system_message = false %}"
        "{% set loop_messages = messages %}{% endif %}{% for message in loop_messages %}"
        "{% if loop.index0 == 0 and system_message != false %}{% set content = '<<SYS>>\\n' + system_message + "
        "'\\n<</SYS>>\\n\\n' + message['content'] %}{% else %}{% set content = message['content'] %}{% endif %}"
        "{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}"
        "{% elif message['role'] == 'assistant' %}{{ ' ' + content.strip() + ' ' + eos_token }}{% endif %}"
        "{% endfor %}"
    ),
    "mistral": (
        "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}"
        "{% if tools and loop.last %}{{ '[AVAILABLE_TOOLS] ' + tools | tojson + '[/AVAILABLE_TOOLS]' }}{% endif %}"
        "{{ '[INST] ' + message['content'] + '[/INST]' }}{% elif message['role'] == 'assistant' %}"
        "{{ ' ' + message['content'] + eos_token }}{% elif message['role'] == 'tool' %}"
        "{{ '[TOOL_RESULTS] ' + message['content'] + '[/TOOL_RESULTS]' }}{% endif %}{% endfor %}"
    ),
    "phi3": (
        "{% for message in messages %}{% if message['role'] == 'system' %}{{ '<|system|>\\n' + "
        "message['content'] + '<|end|>\\n' }}{% elif message['role'] == 'user' %}{{ '<|user|>\\n' + "
        "message['content'] + '<|end|>\\n' }}{% elif message['role'] == 'assistant' %}{{ '<|assistant|>\\n' + "
        "message['content'] + '<|end|>\\n' }}{% endif %}{% endfor %}{% if add_generation_prompt %}"
        "{{ '<|assistant|>\\n' }}{% else %}{{ eos_token }}{% endif %}"
    ),
}

ARCH = {
    "llama3": "llama",
    "qwen2": "qwen2",
    "chatml": "llama",
    "phi4": "phi3",
    "gemma": "gemma3",
    "exaone": "exaone",
    "llama2": "llama",
    "mistral": "llama",
    "phi3": "phi3",
}

CONTEXT = {"llama3": 8192, "qwen2": 32768, "gemma": 131072, "exaone": 32768, "llama2": 4096, "phi3": 4096}


def write_gguf(
    path: Path,
    *,
    arch: str = "llama",
    chat_template: str | None = None,
    context_length: int | None = 8192,
    file_type: gguf.LlamaFileType | None = gguf.LlamaFileType.MOSTLY_Q4_K_M,
    name: str = "tiny test model",
    dtype: type = np.float32,
) -> Path:
    """Write a GGUF of a few KB: the metadata Modelfile generation reads, a vocabulary, two tensors."""
    writer = gguf.GGUFWriter(str(path), arch)
    writer.add_name(name)
    if context_length is not None:
        writer.add_context_length(context_length)
    if chat_template is not None:
        writer.add_chat_template(chat_template)
    if file_type is not None:
        writer.add_file_type(int(file_type))
    writer.add_tokenizer_model("gpt2")
    writer.add_token_list([f"tok{i}" for i in range(300)])  # long enough to be skipped, not kept
    writer.add_tensor("token_embd.weight", np.zeros((32, 16), dtype=dtype))
    writer.add_tensor("output_norm.weight", np.ones((16,), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def family_gguf(directory: Path, family: str, **kwargs) -> Path:
    """The tiny GGUF for one family, with its Jinja template, architecture and trained context."""
    return write_gguf(
        directory / f"{family}.gguf",
        arch=ARCH[family],
        chat_template=JINJA[family],
        context_length=CONTEXT.get(family, 16384),
        **kwargs,
    )
