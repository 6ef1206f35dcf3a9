"""Hold back streamed text while it could still be a tool call, so raw JSON never reaches the screen.

Text is released as soon as the scanner has judged it text (ordinary prose goes out at once; a `{` or
`[` that cannot open a call, e.g. `[1]` or `{1, 2}`, after one more character). Once a call was seen,
everything after it is held: the model should wait for the tool's result, not narrate one.
"""

from __future__ import annotations

from collections.abc import Mapping

from agent.llm.toolcall_text import ParsedCall, scan


class HoldBack:
    """Feed streamed text deltas; get back what may be shown now; `finish()` gives the rest and the calls.

    >>> guard = HoldBack({"calculator": {}})
    >>> [guard.feed(part) for part in ['답: ', '{"na', 'me": "calculator", "arguments": {}}']]
    ['답: ', '', '']
    >>> guard.finish()
    ('', [ParsedCall(name='calculator', args={}, raw_args='{}', error=None)])
    >>> guard = HoldBack({"calculator": {}})
    >>> guard.feed("목록 [1") + guard.feed("] 끝")
    '목록 [1] 끝'
    """

    def __init__(self, tools: Mapping[str, dict]) -> None:
        self.tools = tools
        self.text = ""
        self.released = 0
        self.call_seen = False

    @property
    def holding(self) -> bool:
        return self.released < len(self.text)

    def feed(self, delta: str) -> str:
        self.text += delta
        if self.call_seen or not delta:
            return ""
        end = self.released
        for segment in scan(self.text, self.tools, start=self.released, final=False):
            if segment.kind == "text":
                end = segment.end
                continue
            self.call_seen = segment.kind == "call"
            break
        piece = self.text[self.released : end]
        self.released = end
        return piece

    def finish(self) -> tuple[str, list[ParsedCall]]:
        """Text still to show (prose before the first call) and every call found."""
        rest: list[str] = []
        calls: list[ParsedCall] = []
        for segment in scan(self.text, self.tools, start=self.released, final=True):
            if segment.kind == "call" and segment.calls:
                calls.extend(segment.calls)
            elif not calls:
                rest.append(self.text[segment.start : segment.end])
        self.released = len(self.text)
        remaining = "".join(rest)
        return (remaining.rstrip() if calls else remaining), calls
