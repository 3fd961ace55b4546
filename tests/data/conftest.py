"""Fixtures for the dataset tools: the shared Korean tokenizer and a small OpenAI-compatible teacher.

The teacher is a real HTTP server on 127.0.0.1 (a thread, no internet) that answers the way an LLM
asked for Self-Instruct tasks does: a numbered list continuing the prompt — mostly good Korean tasks
(taken from the bundled Q&A), plus the junk a real teacher produces (image tasks, English, invented
calories, copies of a seed, a list cut off by the token limit). Every answer carries all four kinds of
junk and every other answer is cut off, counted by answers served rather than by request number, so
which request happens to hit an error (a race under concurrency) cannot hide a kind of junk. It also fails the way servers fail:
its first request gets a 500, and a request whose prompt plus ``max_tokens`` exceeds its context gets
a vLLM-style 400 that states the numbers.
"""

from __future__ import annotations

import json
import random
import re
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mechuri.data.dedupe import KoreanTokenizer
from mechuri.knowledge.qa import load_qa


@pytest.fixture(scope="session")
def tokenizer() -> KoreanTokenizer:
    return KoreanTokenizer()


JUNK = (
    ("이 음식 사진을 보고 이름을 맞혀 주세요.", "", "사진 속 음식은 비빔밥이에요."),
    ("Recommend a healthy lunch menu for office workers.", "", "Try a chicken salad with brown rice."),
    ("김치찌개 1인분 칼로리를 알려 주세요.", "", "김치찌개 1인분은 약 457kcal예요."),
    ("비가 추적추적 내리는 날 생각나는 음식을 골라 주세요.", "", "해물파전과 수제비를 추천해요."),
)
"""What a careless teacher writes: a picture task, English, an invented number, a copy of a seed."""


@dataclass
class TeacherServerState:
    context_tokens: int = 4096
    fail_first: bool = True
    calls: Counter[str] = field(default_factory=Counter)
    max_tokens_seen: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    cursor: int = 0
    served: int = 0
    pool: list[tuple[str, str]] = field(default_factory=list)


def _tokens(text: str) -> int:
    """A crude token count (two characters a token), enough to make a context limit bite."""
    return len(text) // 2


def _completion(state: TeacherServerState, prompt: str, request_number: int) -> tuple[str, str]:
    numbers = re.findall(r"(\d+)\. 지시문:", prompt)
    first = int(numbers[-1]) if numbers else 1
    rng = random.Random(request_number)
    with state.lock:
        good = [state.pool[(state.cursor + k) % len(state.pool)] for k in range(6)]
        state.cursor += 6
        served = state.served
        state.served += 1
    tasks = [(q, "", a) for q, a in good]
    for junk in JUNK:
        tasks.insert(rng.randrange(len(tasks) + 1), junk)
    cut_off = served % 2 == 0
    if cut_off:
        tasks.append(("냉장고에 남은 두부로 만들 수 있는", "", "두부조림을"))  # cut off by the token limit
    blocks = [f"{first + k}. 지시문: {i}\n{first + k}. 입력:\n{x or '<입력 없음>'}\n{first + k}. 출력:\n{o}"
              for k, (i, x, o) in enumerate(tasks)]
    text = "\n###\n".join(blocks)
    return text[len(f"{first}. 지시문:"):].lstrip(), "length" if cut_off else "stop"


class _Handler(BaseHTTPRequestHandler):
    state: TeacherServerState

    def log_message(self, *args: object) -> None:  # keep pytest output clean
        pass

    def _send(self, status: int, body: dict) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        state = self.state
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        chat = self.path.endswith("/chat/completions")
        prompt = body["messages"][-1]["content"] if chat else body["prompt"]
        with state.lock:
            state.calls["total"] += 1
            number = state.calls["total"]
            state.max_tokens_seen.append(int(body["max_tokens"]))
        if state.fail_first and number == 1:
            state.calls["500"] += 1
            self._send(500, {"error": {"message": "upstream overloaded"}})
            return
        prompt_tokens = _tokens(prompt)
        if prompt_tokens + int(body["max_tokens"]) > state.context_tokens:
            state.calls["context"] += 1
            self._send(400, {"error": {"type": "BadRequestError", "message": (
                f"This model's maximum context length is {state.context_tokens} tokens. However, you requested "
                f"{prompt_tokens + int(body['max_tokens'])} tokens ({prompt_tokens} in the messages, "
                f"{body['max_tokens']} in the completion). Please reduce the length of the messages or completion.")}})
            return
        text, finish = _completion(state, prompt, number)
        choice = ({"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish} if chat
                  else {"index": 0, "text": text, "finish_reason": finish})
        self._send(200, {"id": f"cmpl-{number}", "object": "chat.completion", "model": body["model"],
                         "choices": [choice]})


@pytest.fixture
def teacher_server() -> Iterator[tuple[str, TeacherServerState]]:
    """``(base_url, state)`` of a fresh fake teacher on a free port."""
    state = TeacherServerState(pool=[(e.question, e.answer) for e in load_qa()])
    random.Random(5).shuffle(state.pool)
    handler = type("Handler", (_Handler,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", state
    finally:
        server.shutdown()
        server.server_close()
