"""A conversation: one thread of the agent graph, persisted by a checkpointer, asked turn by turn.

`ask(question)` and `resume(approved)` yield `AgentEvent`s. A turn ends with `Done`, or pauses with
`Confirm` when a tool wants a URL the user did not type; `resume(True/False)` carries on from there, even
in another process (the pause is in the checkpoint). A turn cut off mid-way (the process was killed) is
closed the next time the thread is used, so its history stays a valid chat transcript.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, RemoveMessage, ToolMessage
from langchain_core.tools import BaseTool
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.errors import GraphRecursionError
from langgraph.types import Command

from agent.budget import split_turns
from agent.citations import turn_citations
from agent.events import AgentEvent, Confirm, Done, Notice, Token
from agent.graph import build_graph, recursion_limit
from agent.llm.handle import ChatHandle
from agent.nodes import FINISH
from agent.runner import TurnEvents, text_of
from agent.state import AgentContext
from agent.threads import ThreadStore, new_thread_id
from config import NuriError, Settings
from tools.context import ToolEnv

if TYPE_CHECKING:
    from vectorstore import KnowledgeBase

log = logging.getLogger("nuri.agent")

__all__ = ["Conversation", "INTERRUPTED"]

INTERRUPTED = "(이 답변은 중단되어 완성되지 않았습니다.)"


class Conversation:
    """One thread. With `store` (a `ThreadStore`) it persists in the data dir; without, it lives in memory."""

    def __init__(
        self,
        handle: ChatHandle,
        settings: Settings,
        *,
        thread_id: str | None = None,
        store: ThreadStore | None = None,
        checkpointer: BaseCheckpointSaver | None = None,
        tools: Sequence[BaseTool] | None = None,
        preset: str | None = None,
        history: Sequence[BaseMessage] = (),
        knowledge: KnowledgeBase | None = None,
    ) -> None:
        """`preset` is a preset id or name (default: the thread's own, else `settings.preset`)."""
        if tools is None:
            from tools.registry import TOOLS

            tools = TOOLS
        self.handle, self.settings, self.store = handle, settings, store
        self.thread_id = thread_id or new_thread_id()
        saver = store.saver if store is not None else checkpointer or InMemorySaver()
        self.graph = build_graph(saver)
        self.context = AgentContext(
            settings=settings,
            model=handle.model,
            tools=tuple(tools),
            max_steps=settings.agent_max_steps,
            tool_env=ToolEnv(
                settings=settings,
                model=handle.model,
                count_tokens=handle.count_tokens,
                context_length=handle.context_length,
                knowledge=knowledge,
            ),
            count_tokens=handle.count_tokens,
            context_length=handle.context_length,
        )
        self.preset = preset
        self._history = list(history)  # seeds a new thread (the UI's in-memory chat, tests)
        self._question = ""
        self._started = 0.0

    @property
    def config(self) -> dict[str, Any]:
        return {
            "configurable": {"thread_id": self.thread_id},
            "recursion_limit": recursion_limit(self.context.max_steps),
            "run_name": "nuri-turn",
        }

    # --- state ------------------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        return dict(self.graph.get_state(self.config).values)

    def messages(self) -> list[BaseMessage]:
        return list(self.values().get("messages", []))

    def records(self) -> list[dict[str, Any]]:
        return list(self.values().get("records", []))

    def pending(self) -> Confirm | None:
        """The confirmation this thread waits for, if any."""
        snapshot = self.graph.get_state(self.config)
        for task in snapshot.tasks:
            for item in task.interrupts:
                value = item.value if isinstance(item.value, dict) else {}
                if value.get("kind") == "confirm_fetch":
                    return Confirm(
                        tool=str(value.get("tool")), urls=list(value["urls"]), thread_id=self.thread_id
                    )
        return None

    def _close_unfinished(self) -> None:
        """A turn that never finished (killed, or left waiting) is closed: the question stays, its partial
        tool traffic goes, and a short note stands in for the answer."""
        snapshot = self.graph.get_state(self.config)
        if not snapshot.next:
            return
        turn = split_turns(snapshot.values.get("messages", []))[-1]
        removed = [RemoveMessage(id=m.id) for m in turn[1:] if m.id]
        question = turn[0].text if turn and isinstance(turn[0], HumanMessage) else ""
        record = {"question": question, "answer": INTERRUPTED, "interrupted": True, "citations": []}
        log.warning("thread %s: closing a turn that did not finish", self.thread_id)
        self.graph.update_state(
            self.config, {"messages": [*removed, AIMessage(INTERRUPTED)], "records": [record]}, as_node=FINISH
        )

    def _use_preset(self) -> str | None:
        """Render the preset for this turn (today's date, the knowledge base's figures).

        A thread keeps the preset it was started with; if that preset was deleted since, the configured
        one answers and the returned notice says so."""
        from agent.presets import render_active

        chosen, inherited = self.preset, False
        if chosen is None and self.store is not None:
            known = self.store.get(self.thread_id)
            chosen, inherited = (known.preset, True) if known else (None, False)
        kb = self.context.tool_env
        stats = (lambda: kb.kb().stats()) if kb is not None else None
        notice = None
        try:
            rendered = render_active(self.settings, preset=chosen, now=self.context.clock(), kb_stats=stats)
        except NuriError:
            if not inherited:
                raise
            rendered = render_active(self.settings, now=self.context.clock(), kb_stats=stats)
            notice = (
                f"이 대화의 프리셋 '{chosen}'이(가) 없어져 기본 프리셋 '{rendered.preset_id}'로 답합니다."
            )
        self.context = replace(self.context, preset_text=rendered.text, preset_id=rendered.preset_id)
        return notice

    # --- turns ------------------------------------------------------------------------------------
    def ask(self, question: str) -> Iterator[AgentEvent]:
        """Ask in this thread; ends with `Done`, or `Confirm` when the agent needs the user's approval."""
        if not question.strip():
            raise NuriError("질문이 비어 있습니다.")
        self._close_unfinished()
        notice = self._use_preset()
        if notice:
            yield Notice(notice)
        self._question, self._started = question, time.perf_counter()
        seed = self._history if not self.values().get("messages") else []
        self._history = []
        inputs = {"messages": [*seed, HumanMessage(question)], "steps": 0, "invalid_calls": 0}
        yield from self._run(inputs, HumanMessage(question))

    def resume(self, approved: bool) -> Iterator[AgentEvent]:
        """Answer the pending confirmation and carry on with the turn."""
        if self.pending() is None:
            raise NuriError("이 대화에는 확인을 기다리는 요청이 없습니다.")
        if not self._started:
            self._started = time.perf_counter()
        turn = split_turns(self.messages())[-1]
        shown = {c["id"] for m in turn if isinstance(m, AIMessage) for c in m.tool_calls}
        yield from self._run(Command(resume=bool(approved)), turn[0] if turn else HumanMessage(""), shown)

    def _run(self, inputs: Any, question: BaseMessage, shown: set[str] = frozenset()) -> Iterator[AgentEvent]:
        turn = TurnEvents(question)  # type: ignore[arg-type]
        turn.announced |= shown  # calls announced before a pause get their results shown after it
        first_token: float | None = None
        try:
            for part in self.graph.stream(
                inputs,
                self.config,
                context=self.context,
                stream_mode=["messages", "updates", "custom"],
                version="v2",
            ):
                if part["type"] == "updates" and "__interrupt__" in part["data"]:
                    continue
                for event in turn.on_part(part["type"], part["data"]):
                    if isinstance(event, Token) and first_token is None:
                        first_token = time.perf_counter() - self._started
                    yield event
        except NuriError:
            raise
        except GraphRecursionError as error:
            log.exception("agent exceeded its recursion limit")
            raise NuriError(
                "에이전트가 정해진 단계 안에 답을 끝내지 못했습니다. 질문을 나누어 다시 물어보세요."
            ) from error
        except Exception as error:
            log.exception(
                "chat turn failed (backend %s, model %s)", self.handle.backend, self.handle.model_name
            )
            raise NuriError(
                f"모델이 답하는 중 오류가 났습니다 ({type(error).__name__}: {error}).",
                hint="`nuri doctor`로 백엔드 상태를 확인한 뒤 다시 시도하세요.",
            ) from error
        waiting = self.pending()
        if waiting is not None:
            yield waiting
            return
        yield from self._done(turn, first_token)

    def _done(self, turn: TurnEvents, first_token: float | None) -> Iterator[AgentEvent]:
        final = turn.answer()
        answer = text_of(final) if final is not None else ""
        if final is not None and final.id not in turn.streamed_ids and answer:
            # A model that cannot stream still gets its answer shown, in one piece.
            first_token = first_token or time.perf_counter() - self._started
            yield Token(answer)
        values = self.values()
        records = values.get("records", [])
        this_turn = split_turns(values.get("messages", []))[-1]
        if self.store is not None:
            title = records[0]["question"] if records else self._question
            self.store.touch(self.thread_id, title=title, preset=self.context.preset_id, turns=len(records))
        yield Done(
            backend=self.handle.backend,
            model=self.handle.model_name,
            elapsed=time.perf_counter() - self._started,
            first_token=first_token,
            steps=turn.steps,
            answer=answer,
            messages=turn.messages,
            citations=turn_citations([m for m in this_turn if isinstance(m, ToolMessage)]),
            budget=dict(values.get("budget") or {}),
            preset=self.context.preset_id,
            thread_id=self.thread_id,
        )
        self._started = 0.0
