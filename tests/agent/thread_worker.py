"""A process that answers slowly in a persistent thread, so a test can kill it mid-answer (kill -9)."""

from __future__ import annotations

import sys
from pathlib import Path

from agent.conversation import Conversation
from agent.events import Token
from agent.threads import ThreadStore
from config import Settings
from tests.fakes import ai, fake_handle

if __name__ == "__main__":
    home, thread_id = Path(sys.argv[1]), sys.argv[2]
    settings = Settings(home=home)
    handle = fake_handle(ai("아주 긴 답변을 천천히 쓰는 중입니다. " * 20), chunk_chars=2, chunk_delay=0.2)
    conversation = Conversation(handle, settings, thread_id=thread_id, store=ThreadStore(settings))
    for event in conversation.ask("두 번째 질문: 길게 설명해 줘"):
        if isinstance(event, Token):
            sys.stdout.write("STREAMING\n")
            sys.stdout.flush()
