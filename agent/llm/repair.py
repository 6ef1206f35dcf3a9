"""`ToolCallRepairChatModel`: native tool calling for models that write their calls as text.

Wraps an inner chat model (ChatOpenAI pointed at the embedded llama.cpp server). Tools go to the inner
model natively, so the chat template shows them; when the answer has no `tool_calls` but its text is a
call to a bound tool (`{"name": ..., "arguments": ...}`, in a ```json fence, in `<tool_call>` tags, with
`parameters`, single quotes, trailing commas, a list, prose around it ...), it becomes proper
`tool_calls`. Arguments are checked against the tool's JSON schema; invalid ones land in
`invalid_tool_calls` with an `error` the agent can show the model. While streaming, text that could
still be a call is held back (see `streaming_guard`).

A forced `tool_choice` ("any" or a tool's name) is enforced with a JSON-schema `response_format` that
llama.cpp turns into a grammar: measured on the 0.5B model, llama.cpp's own `tool_choice="required"`
produced a call followed by garbage, while the schema constraint always yields exactly one clean call.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.messages.tool import invalid_tool_call, tool_call
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import ConfigDict, model_validator

from agent.llm import lenient_json
from agent.llm.repair_stream import INVALID_ARGS_PREFIX, StreamState, invalid_call_error
from agent.llm.toolcall_text import ParsedCall, extract_calls, validate_args

__all__ = ["INVALID_ARGS_PREFIX", "ToolCallRepairChatModel", "invalid_call_error"]


def _new_id() -> str:
    return f"call_{uuid.uuid4().hex[:24]}"


def _tool_choice_name(choice: Any) -> str | None:
    """'any' for a forced call to any tool, a tool name, or None for auto/none.

    >>> [_tool_choice_name(c) for c in (None, "auto", "none", "any", "required", True, "calculator")]
    [None, None, None, 'any', 'any', 'any', 'calculator']
    >>> _tool_choice_name({"type": "function", "function": {"name": "f"}})
    'f'
    """
    if choice in (None, False, "auto", "none"):
        return None
    if choice in (True, "any", "required"):
        return "any"
    if isinstance(choice, dict):
        return (choice.get("function") or {}).get("name") or choice.get("name") or "any"
    return str(choice)


class ToolCallRepairChatModel(BaseChatModel):
    """A chat model that turns text-written tool calls into real ones (see module docstring).

    Built from an `inner` model, or, when none is given, from ChatOpenAI keyword arguments
    (`base_url`, `api_key`, `model`, `temperature`, `max_tokens`, ...), with `stream_usage` on.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    inner: BaseChatModel
    force_with_schema: bool = True
    """Enforce a forced tool_choice with a JSON-schema response_format (llama.cpp grammar)."""

    @model_validator(mode="before")
    @classmethod
    def _build_inner(cls, data: Any) -> Any:
        if not isinstance(data, dict) or "inner" in data:
            return data
        from langchain_openai import ChatOpenAI

        own = {key: data.pop(key) for key in list(data) if key in cls.model_fields}
        data.setdefault("stream_usage", True)
        data.setdefault("api_key", "not-needed")  # local servers take any key; never read OPENAI_API_KEY
        own["inner"] = ChatOpenAI(**data)
        return own

    @property
    def _llm_type(self) -> str:
        return f"tool-repair-{self.inner._llm_type}"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"inner": self.inner._identifying_params, "force_with_schema": self.force_with_schema}

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> Any:
        return self.inner._get_ls_params(stop=stop, **kwargs)

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | dict | bool | None = None,
        strict: bool | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        formatted = [convert_to_openai_tool(t, strict=strict) for t in tools]
        if tool_choice not in (None, False):  # False / None: the server's default (auto)
            kwargs["tool_choice"] = tool_choice
        return super().bind(tools=formatted, **kwargs)

    # --- request and answer ---------------------------------------------------------------------------

    def _prepare(self, kwargs: dict[str, Any]) -> tuple[dict[str, Any], dict[str, dict]]:
        """Inner kwargs, and the bound tools' parameter schemas (empty when no repair applies)."""
        inner_kwargs = dict(kwargs)
        tools = inner_kwargs.get("tools") or []
        choice = inner_kwargs.get("tool_choice")
        schemas = {
            t["function"]["name"]: t["function"].get("parameters") or {"type": "object", "properties": {}}
            for t in tools
            if isinstance(t, dict) and isinstance(t.get("function"), dict)
        }
        if choice == "none" or not schemas:
            return inner_kwargs, {}
        forced = _tool_choice_name(choice)
        if forced and self.force_with_schema:
            inner_kwargs.pop("tool_choice", None)
            targets = schemas if forced == "any" or forced not in schemas else {forced: schemas[forced]}
            options = [
                {
                    "type": "object",
                    "properties": {"name": {"type": "string", "enum": [name]}, "arguments": params},
                    "required": ["name", "arguments"],
                }
                for name, params in targets.items()
            ]
            schema = options[0] if len(options) == 1 else {"anyOf": options}
            extra = dict(inner_kwargs.get("extra_body") or getattr(self.inner, "extra_body", None) or {})
            extra["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "tool_call", "schema": schema},
            }
            inner_kwargs["extra_body"] = extra
            inner_kwargs.pop("parallel_tool_calls", None)
        return inner_kwargs, schemas

    @staticmethod
    def _checked(calls: list[ParsedCall], schemas: dict[str, dict]) -> tuple[list, list]:
        valid, invalid = [], []
        for call in calls:
            error, args = call.error, call.args
            if error is None and args is not None:
                args, error = validate_args(args, schemas.get(call.name))
            if error is None and args is not None:
                valid.append(tool_call(name=call.name, args=args, id=_new_id()))
            else:
                invalid.append(
                    invalid_tool_call(name=call.name, args=call.raw_args, id=_new_id(), error=error)
                )
        return valid, invalid

    def _repair(self, message: BaseMessage, schemas: dict[str, dict]) -> BaseMessage:
        if not schemas or not isinstance(message, AIMessage):
            return message
        if message.tool_calls:  # native calls: validate them too, keeping their ids
            valid, invalid = [], list(message.invalid_tool_calls)
            for call in message.tool_calls:
                args, error = validate_args(call["args"], schemas.get(call["name"]))
                if call["name"] not in schemas:
                    error = f"unknown tool '{call['name']}'; available tools: {', '.join(sorted(schemas))}"
                if error is None:
                    valid.append({**call, "args": args})
                else:
                    raw = lenient_json.dumps(call["args"])
                    invalid.append(invalid_tool_call(name=call["name"], args=raw, id=call["id"], error=error))
            return message.model_copy(update={"tool_calls": valid, "invalid_tool_calls": invalid})
        if not isinstance(message.content, str):
            return message
        prose, calls = extract_calls(message.content, schemas)
        if not calls:
            return message
        valid, invalid = self._checked(calls, schemas)
        metadata = {**message.response_metadata, "tool_calls_repaired": True}
        if valid:
            metadata["finish_reason"] = "tool_calls"
        return message.model_copy(
            update={
                "content": prose,
                "tool_calls": valid,
                "invalid_tool_calls": invalid,
                "response_metadata": metadata,
            }
        )

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        inner_kwargs, schemas = self._prepare(kwargs)
        result = self.inner._generate(messages, stop=stop, run_manager=None, **inner_kwargs)
        return self._repaired_result(result, schemas)

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        inner_kwargs, schemas = self._prepare(kwargs)
        result = await self.inner._agenerate(messages, stop=stop, run_manager=None, **inner_kwargs)
        return self._repaired_result(result, schemas)

    def _repaired_result(self, result: ChatResult, schemas: dict[str, dict]) -> ChatResult:
        generations = [
            ChatGeneration(message=self._repair(g.message, schemas), generation_info=g.generation_info)
            for g in result.generations
        ]
        return ChatResult(generations=generations, llm_output=result.llm_output)

    # --- streaming ------------------------------------------------------------------------------------

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        inner_kwargs, schemas = self._prepare(kwargs)
        state = StreamState(schemas, self._checked)
        for chunk in self.inner._stream(messages, stop=stop, run_manager=None, **inner_kwargs):
            yield from state.pass_on(chunk)
        yield from state.close()

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        inner_kwargs, schemas = self._prepare(kwargs)
        state = StreamState(schemas, self._checked)
        async for chunk in self.inner._astream(messages, stop=stop, run_manager=None, **inner_kwargs):
            for out in state.pass_on(chunk):
                yield out
        for out in state.close():
            yield out
