"""The web chat stream and /v1/chat/completions with an LLM writer that checks each sentence: a true
first sentence goes out as its own delta, a false one never does, and the grounded reply finishes it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence

import pytest

from mechuri.llm.budget import Cancel, TurnBudget
from mechuri.llm.prompts import Prompt
from mechuri.llm.writer import LLMWriter

from .conftest import Visitor

MENU_LINE = re.compile(r"- 추천 메뉴 \d+: (.+?) \([\d.,]+인분 [\d.,]+g\): 열량 ([\d.,]+)kcal")


class TrueThenFalse:
    """A 'model' whose first sentence gives the first menu's true calories and whose second makes up the
    second menu's; it writes in small pieces, as a real one streams tokens."""

    name = "fake"

    def generate(self, prompt: Prompt | str, *, max_tokens: int = 256, temperature: float = 0.3,
                 stop: Sequence[str] = ()) -> str:
        return "".join(self.stream(prompt))

    def stream(self, prompt: Prompt | str, *, max_tokens: int = 256, temperature: float = 0.3,
               stop: Sequence[str] = (), budget: TurnBudget | None = None,
               cancel: Cancel | None = None) -> Iterator[str]:
        assert isinstance(prompt, Prompt)
        menus = MENU_LINE.findall(prompt.user)
        if len(menus) < 2:
            text = "네, 말씀 잘 들었어요."
        else:
            (first, kcal), (second, real) = menus[:2]
            text = (f"{first}({kcal}kcal) 어떠세요? {second}는 {float(real.replace(',', '')) + 41:.0f}kcal"
                    "밖에 안 돼요. 맛있게 드세요!")
        for start in range(0, len(text), 3):
            yield text[start:start + 3]


@pytest.fixture
def writer() -> LLMWriter:
    return LLMWriter(TrueThenFalse(), draft=False)


def events(body: str) -> list[tuple[str, dict]]:
    found = []
    for block in body.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.split("\n"))
        found.append((lines.get("event", "message"), json.loads(lines["data"])))
    return found


def test_the_chat_stream_sends_the_checked_first_sentence_then_the_grounded_rest(minji):
    response = minji.post("/api/chat/stream", {"message": "점심 추천해 주세요"})
    assert response.status_code == 200
    sent = events(response.text)
    deltas = [data["text"] for event, data in sent if event == "delta"]
    (_, turn), = [e for e in sent if e[0] == "turn"]
    first = turn["recommendations"][0]
    assert deltas[0] == f"{first['name']}({first['kcal']:,.0f}kcal) 어떠세요?"  # one delta: the whole sentence
    assert not any("밖에 안 돼요" in delta for delta in deltas)  # the false sentence never went out
    assert "".join(deltas).strip() == turn["reply"] and turn["meta"]["writer"] == "llm:fake+grounded"
    assert turn["meta"]["switch"]["after_sentences"] == 1
    assert all(item["name"] in turn["reply"] for item in turn["recommendations"])
    stored = minji.get("/api/messages").json()["messages"][-1]
    assert stored["content"] == turn["reply"] and stored["turn"]["meta"]["switch"] == turn["meta"]["switch"]


def test_the_openai_stream_sends_the_same_checked_reply(app, minji):
    token = minji.post("/api/tokens", {"name": "chat ui"}).json()["token"]
    client = Visitor(app).client
    client.headers["Authorization"] = f"Bearer {token}"
    response = client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "저녁 추천해줘"}],
                                                         "stream": True})
    assert response.status_code == 200
    datas = [line[len("data: "):] for line in response.text.splitlines() if line.startswith("data: ")]
    chunks = [json.loads(data) for data in datas[:-1]]
    contents = [c["choices"][0]["delta"].get("content", "") for c in chunks]
    reply = chunks[-1]["mechuri"]
    assert "".join(contents) == reply["reply"] and not any("밖에 안 돼요" in c for c in contents)
    first = reply["recommendations"][0]
    assert f"{first['name']}({first['kcal']:,.0f}kcal) 어떠세요?" in [c for c in contents if c]
    assert reply["meta"]["writer"] == "llm:fake+grounded"
