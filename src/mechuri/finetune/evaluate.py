"""Held-out loss and a behaviour suite, scored the same way for every system, in one table.

Loss alone does not say whether a reply model is safe to show: the behaviour suite asks what mechuri
cares about, on held-out prompts (validation.jsonl):

- **numbers**: a nutrition answer states at least one number, and every number it states is the dish's
  food-table value (or one given in the prompt), at the precision written — the guardrail's own rule;
- **constraints**: a recommendation names at least one dish, and none the user may not eat (the
  recommender's ``explain_exclusions`` on the allergies and dislikes stated in the prompt);
- **guardrail**: on the reply-writer prompts (``synth:writer``: the exact prompt ``LLMWriter`` sends for a
  real Turn), the share of answers the serving guardrail accepts — the share a user would actually see
  instead of the grounded fallback;
- **korean**: at least half the letters are Hangul; **length**: 10–800 characters.

The ``grounded`` row scores the dataset's reference answers: those are what mechuri's grounded
pipeline wrote for the same prompts, so it is the bar a model has to reach.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mechuri.finetune.data import spread
from mechuri.llm.prompts import STOP, instruction_prompt

MIN_CHARS, MAX_CHARS = 10, 800
_PROFILE = re.compile(r"^(알레르기|싫어하는 것):\s*(.+)$", re.MULTILINE)
_LIST_ITEM = re.compile(r"^\s*\d+[.)]\s*(.+)$", re.MULTILINE)
_LEAVE_OUT = ("빼", "뺐", "제외", "피했", "피해", "않", "말고", "못 드")


@dataclass(frozen=True)
class Item:
    """One behaviour prompt: ``kind`` is nutrition | recommend | writer | general; ``reference`` the
    grounded answer; ``turn`` the Turn a writer prompt was built from (for the guardrail)."""

    kind: str
    instruction: str
    context: str
    reference: str
    dish: str = ""
    turn: dict[str, Any] | None = field(default=None, compare=False, hash=False)

    @property
    def prompt(self) -> str:
        return instruction_prompt(self.instruction, self.context)


@dataclass
class Score:
    """One system's row of the table (rates are 0–1; None where the check does not apply)."""

    system: str
    heldout_loss: float | None = None
    perplexity: float | None = None
    numbers_ok: float | None = None
    constraints_ok: float | None = None
    guardrail_ok: float | None = None
    korean: float | None = None
    sane_length: float | None = None
    mean_chars: float | None = None
    seconds: float | None = None
    items: int = 0
    samples: list[dict[str, Any]] = field(default_factory=list)


# -- building the suite ---------------------------------------------------------------------------------

def build_suite(rows: Sequence[dict[str, Any]], limit: int, table: Any) -> list[Item]:
    """Up to ``limit`` items: a quarter each of reply-writer prompts, constrained recommendations and
    general questions, the rest nutrition, each kind spread evenly over its rows (the file is grouped by
    conversation and dish, so the first rows of a kind would test one conversation or one food group);
    writer prompts take turns over the Turn's intent, so a small suite still has a recommendation.

    Only prompts whose reference answer passes its own check are kept: a nutrition question about
    allergens states no number, and a request nothing fits recommends no dish, so neither can be scored.
    """
    from mechuri.llm.guardrails import DishNames

    names = DishNames(table)
    nutrition = [Item("nutrition", r["instruction"], r.get("input") or "", r["output"],
                      (r.get("meta") or {}).get("group", ""))
                 for r in rows if r.get("source") == "synth:nutrition"
                 and table.get((r.get("meta") or {}).get("group", "")) is not None]
    nutrition = [item for item in nutrition if numbers_agree(item.reference, item, table)]
    recommend = [Item("recommend", r["instruction"], r.get("input") or "", r["output"])
                 for r in rows if r.get("source") == "synth:recommend" and _constraints(r.get("input") or "")]
    recommend = [item for item in recommend if constraints_kept(item.reference, item, table, names)]
    general = [Item("general", r["instruction"], r.get("input") or "", r["output"])
               for r in rows if r.get("source") in ("seed", "qa")]
    writer = [Item("writer", r["instruction"], r.get("input") or "", r["output"], turn=r["meta"]["turn"])
              for r in rows if r.get("source") == "synth:writer" and (r.get("meta") or {}).get("turn")]
    quarter = max(1, limit // 4)
    chosen = stratified(writer, lambda item: str(item.turn["intent"]) if item.turn else "", quarter)
    chosen += spread(recommend, quarter)[:quarter]
    chosen += spread(general, quarter)[:quarter]
    chosen += spread(nutrition, limit - len(chosen))
    return chosen[:limit]


def stratified(items: Sequence[Item], key: Callable[[Item], str], limit: int) -> list[Item]:
    """Up to ``limit`` items taken in turns from each ``key`` group, largest group first, each group's
    share spread over its rows."""
    groups: dict[str, list[Item]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    order = sorted(groups, key=lambda name: -len(groups[name]))
    quota = dict.fromkeys(order, 0)
    left = min(limit, len(items))
    while left:
        for name in order:
            if left and quota[name] < len(groups[name]):
                quota[name] += 1
                left -= 1
    return [item for name in order for item in spread(groups[name], quota[name])]


def _constraints(context: str) -> dict[str, frozenset[str]]:
    found: dict[str, frozenset[str]] = {}
    for label, values in _PROFILE.findall(context):
        words = frozenset(v.strip() for v in values.split(",") if v.strip() and v.strip() != "없음")
        if words:
            found["allergies" if label == "알레르기" else "excluded"] = words
    return found


# -- scoring one answer ---------------------------------------------------------------------------------

def numbers_agree(answer: str, item: Item, table: Any) -> bool:
    """At least one number, and each one a food-table value of the dish or a number of the prompt."""
    from mechuri.llm.guardrails import number_matches, stated_numbers

    said = stated_numbers(answer)
    if not said:
        return False
    dish = table.get(item.dish)
    allowed = {n.value for n in stated_numbers(item.context)} | {1.0}
    if dish is not None:
        allowed |= {float(v) for v in dish.nutrition(1.0).values()} | {float(dish.serving_g)}
    # 「하루 나트륨 기준의 35%」: a share of a daily target given in the prompt, rounded either way
    shares = {math.floor(100 * a / b) for a in allowed for b in allowed if b > a > 0}
    shares |= {share + 1 for share in shares}
    return all(number_matches(number, allowed) or (number.decimals == 0 and number.value in shares)
               for number in said)


def recommended_part(answer: str) -> str:
    """The part of a recommendation that recommends: its numbered items, else the sentences that do not
    say what was left out (「새우튀김은 새우 알레르기 때문에 뺐어요」 names a dish without offering it)."""
    items = _LIST_ITEM.findall(answer)
    if items:
        return "\n".join(items)
    sentences = re.split(r"(?<=[.!?요])\s+", answer)
    return " ".join(s for s in sentences if not any(word in s for word in _LEAVE_OUT))


def constraints_kept(answer: str, item: Item, table: Any, names: Any) -> bool:
    from mechuri.recommend import RecommendationRequest, explain_exclusions

    found = _constraints(item.context)
    request = RecommendationRequest(allergies=found.get("allergies", frozenset()),
                                    excluded=found.get("excluded", frozenset()))
    forbidden = set(explain_exclusions(table, request))
    named = [dish.name for dish in names.named(recommended_part(answer))]
    return bool(named) and not any(name in forbidden for name in named)


def guardrail_accepts(answer: str, item: Item, guardrail: Any) -> bool:
    """The serving check, as ``LLMWriter`` runs it: the Turn, the grounded reply and the prompt's facts."""
    from mechuri.conversation.turn import Turn
    from mechuri.llm.guardrails import complete_sentences

    turn = Turn.model_validate(item.turn)
    return guardrail.check(complete_sentences(answer.strip()), turn, grounded=item.reference,
                           facts=item.context).ok


def score_answers(system: str, items: Sequence[Item], answers: Sequence[str], seconds: float) -> Score:
    from mechuri.knowledge.foods import load_food_table
    from mechuri.llm.guardrails import DishNames, Guardrail, hangul_share

    table = load_food_table()
    names = DishNames(table)
    guardrail = Guardrail(table)
    accepted = [guardrail_accepts(a, i, guardrail) for i, a in zip(items, answers, strict=True) if i.kind == "writer"]
    numbers = [numbers_agree(a, i, table) for i, a in zip(items, answers, strict=True) if i.kind == "nutrition"]
    kept = [constraints_kept(a, i, table, names) for i, a in zip(items, answers, strict=True)
            if i.kind == "recommend"]
    korean = [(hangul_share(a) or 0.0) >= 0.5 for a in answers]
    sane = [MIN_CHARS <= len(a.strip()) <= MAX_CHARS for a in answers]

    def rate(values: list[bool]) -> float | None:
        return round(sum(values) / len(values), 3) if values else None

    return Score(system=system, numbers_ok=rate(numbers), constraints_ok=rate(kept), guardrail_ok=rate(accepted),
                 korean=rate(korean),
                 sane_length=rate(sane), mean_chars=round(sum(len(a) for a in answers) / max(len(answers), 1), 1),
                 seconds=round(seconds, 1), items=len(items),
                 samples=[{"kind": i.kind, "instruction": i.instruction, "answer": a}
                          for i, a in list(zip(items, answers, strict=True))[:6]])


# -- systems --------------------------------------------------------------------------------------------

def grounded_score(items: Sequence[Item]) -> Score:
    return score_answers("grounded", items, [item.reference for item in items], 0.0)


def answer(backend: Any, item: Item, max_new_tokens: int, slots: bool = False) -> str:
    """The backend's greedy answer to ``item``. ``slots``: a reply-writer prompt is sent as ``LLMWriter``
    sends it in slot mode (``llm.slots``: amounts as numbered slots) and the answer's slots are filled
    from that turn's facts before it is scored — the constrained-decoding row of the table."""
    from mechuri.llm.slots import slot_prompt

    if not (slots and item.kind == "writer"):
        return backend.generate(item.prompt, max_tokens=max_new_tokens, temperature=0.0, stop=STOP).strip()
    slotted = slot_prompt(item.instruction, item.context)
    raw = backend.generate(instruction_prompt(slotted.instruction, slotted.input), max_tokens=max_new_tokens,
                           temperature=0.0, stop=STOP)
    return slotted.unslot(raw).strip()


def model_score(name: str, backend: Any, items: Sequence[Item], heldout: Sequence[dict[str, Any]],
                max_new_tokens: int = 160, progress: Callable[[str], None] | None = None,
                slots: bool = False) -> Score:
    """Held-out loss with the backend's model, then its greedy answers to the suite (``slots``: the
    reply-writer prompts in slot mode, see ``answer``)."""
    loss = heldout_loss(backend, heldout)
    began = time.perf_counter()
    answers = []
    for number, item in enumerate(items, start=1):
        answers.append(answer(backend, item, max_new_tokens, slots))
        if progress:
            progress(f"{name}: {number}/{len(items)}")
    score = score_answers(name, items, answers, time.perf_counter() - began)
    score.heldout_loss = round(loss, 4) if loss is not None else None
    score.perplexity = round(math.exp(loss), 2) if loss is not None else None
    return score


def heldout_loss(backend: Any, rows: Sequence[dict[str, Any]], batch_size: int = 8) -> float | None:
    """Mean loss per answer token on held-out rows, computed by the training loop's own ``evaluate_loss``."""
    from mechuri.finetune.data import encode
    from mechuri.finetune.loop import evaluate_loss

    if not rows:
        return None
    model, tokenizer = backend.loaded()
    return evaluate_loss(model, [encode(row, tokenizer) for row in rows], tokenizer.pad_token_id, batch_size)


# -- reporting ------------------------------------------------------------------------------------------

COLUMNS = (("system", "system"), ("heldout_loss", "held-out loss"), ("perplexity", "perplexity"),
           ("numbers_ok", "numbers agree"), ("constraints_ok", "constraints kept"),
           ("guardrail_ok", "guardrail passed"), ("korean", "Korean"),
           ("sane_length", "sane length"), ("mean_chars", "mean chars"), ("seconds", "gen s"))


def cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}" if value < 10 else f"{value:.1f}"
    return str(value)


def markdown_table(scores: Sequence[Score]) -> str:
    head = "| " + " | ".join(title for _, title in COLUMNS) + " |"
    rule = "|" + "---|" * len(COLUMNS)
    rows = ["| " + " | ".join(cell(getattr(s, key)) for key, _ in COLUMNS) + " |" for s in scores]
    return "\n".join([head, rule, *rows])


def write_report(scores: Sequence[Score], out: Path, suite: Sequence[Item]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    counts = {kind: sum(1 for i in suite if i.kind == kind) for kind in ("nutrition", "recommend", "writer", "general")}
    (out / "eval.json").write_text(json.dumps({"suite": counts, "scores": [asdict(s) for s in scores]},
                                              ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "eval.md").write_text(
        f"# Evaluation\n\nSuite: {counts['nutrition']} nutrition, {counts['recommend']} constrained "
        f"recommendation, {counts['writer']} reply-writer and {counts['general']} general prompts from "
        "validation.jsonl.\n\n"
        + markdown_table(scores) + "\n", encoding="utf-8")
