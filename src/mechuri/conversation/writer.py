"""The grounded writer: renders a ``Turn`` into short, polite Korean using only the Turn's facts.

It is the embedded default and the fallback of every LLM writer, so it never fails and never invents:
every name and number it prints is read from the Turn, which was filled from the food table.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from typing import Protocol

from mechuri.conversation import diet_strings as D
from mechuri.conversation import log_strings as L
from mechuri.conversation import strings as S
from mechuri.conversation.facts import (
    comparison_gaps,
    comparison_reason,
    constraint_words,
    verdict_gaps,
    verdict_sentence,
)
from mechuri.conversation.intake import intake_lines
from mechuri.conversation.planning import plan_lines
from mechuri.conversation.turn import Caution, DishFacts, RecommendationAnswer, Turn
from mechuri.knowledge.korean import particle, resolve_particles


class ReplyWriter(Protocol):
    """What the dialogue manager needs from a writer: the whole reply, or the reply in pieces."""

    name: str

    def write(self, turn: Turn) -> str: ...

    def stream(self, turn: Turn) -> Iterator[str]: ...


def nutrition_sentence(dish: DishFacts, fields: Sequence[str]) -> str:
    """「김치찌개 1인분(450g) 기준 열량 약 238kcal예요.」: the values asked for, from the table."""
    values = ", ".join(S.nutrient_phrase(f, getattr(dish, f)) for f in fields)
    return S.NUTRITION_HEAD.format(name=dish.name, servings_text=dish.portion or S.servings_text(dish.servings),
                                   serving_g=dish.serving_g, values=values, copula=particle(values, "이에요/예요"))


def caution_sentences(cautions: Sequence[Caution]) -> list[str]:
    """「주의하세요: 새우볶음밥은 새우 알레르기가 …」, allergies first; dishes that share the same warnings
    share one sentence (「김치찌개, 된장찌개는 비건 식단에는 …」)."""
    dishes: dict[tuple[str, str], list[str]] = {}
    for caution in sorted(cautions, key=lambda c: c.kind != "allergy"):
        dishes.setdefault((caution.kind, caution.word), []).append(caution.dish)
    words: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for (kind, word), names in dishes.items():
        words.setdefault((kind, tuple(names)), []).append(word)
    return [S.CAUTION[kind].format(dish=", ".join(names), words=", ".join(said))
            for (kind, names), said in words.items()]


def diet_notes(kind: str, value: str) -> list[str]:
    """What a diet just stated means for the recommendations and what cannot be enforced (「할랄 …
    도축 방식은 확인할 수 없어요」); for an allergy to 아황산류, what the table can and cannot tell."""
    if kind == "diet" and value in D.DIET_NOTES:
        return [D.DIET_NOTES[value]]
    if kind == "allergy" and value in D.SULFITE_WORDS:
        return [D.SULFITE_NOTE]
    return []


def blocked_lines(answer: RecommendationAnswer) -> list[str]:
    """「새우볶음밥은 새우 알레르기 때문에 추천해 드릴 수 없어요.」: one line per dish asked for and forbidden."""
    lines = []
    for item in answer.blocked:
        kinds: dict[str, list[str]] = {}
        for constraint in item.why:
            kind = "diet" if constraint.startswith("diet:") else constraint
            said = [w for w in item.words if (kind == "diet") == (f"diet:{w}" in item.why)] if kind != "excluded" \
                else [w for w in item.words if f"diet:{w}" not in item.why]
            kinds.setdefault(kind, [])
            kinds[kind] += [w for w in said if w not in kinds[kind]]
        why = ", ".join(D.BLOCKED_WHY[kind].format(words=", ".join(words)).strip() for kind, words in kinds.items())
        lines.append(D.BLOCKED_LINE.format(name=item.name, why=why))
    return lines


def _comparison_lines(turn: Turn) -> list[str]:
    """「짜장면이랑 짬뽕 중에 뭐가 나아?」: the better one first, the numbers side by side, and why one is out."""
    answer = turn.recommendation_answer
    comparison = answer.comparison if answer is not None else None
    if comparison is None:
        return []
    items = turn.recommendations
    lines = []
    if items:
        best = items[0]
        head = "둘 중에는" if len(comparison.asked) == 2 else "이 중에서는"
        why = comparison_reason(best)
        lines.append(f"{head} {best.name}을(를) 추천해요." + (f" {why}." if why else ""))
        for item in items:
            lines.append(S.COMPARE_LINE.format(name=item.name, serving_g=item.serving_g, kcal=item.kcal,
                                               protein=S.number(item.protein_g), sodium=item.sodium_mg))
        lines += [gap.sentence() for gap in comparison_gaps(items)]
    for name, broken in comparison.excluded.items():
        why = constraint_words(broken)
        lines.append(f"{name}은(는) {why} 때문에 뺐어요." if why else f"{name}은(는) 지금 조건에서는 추천하기 어려워요.")
    if not items:
        lines.append(S.NO_RESULT)
    return lines


def _rotate(options: Sequence[str], turn: Turn, rng: random.Random) -> str:
    """One of ``options``: the next one each turn of the conversation (``Turn.turn_number``), so two turns in a
    row never say the same words; a Turn made outside a conversation takes a seeded choice."""
    if turn.turn_number is None:
        return rng.choice(options)
    return options[turn.turn_number % len(options)]


class GroundedWriter:
    """Template writer with seeded variation; deterministic for the same Turn."""

    name = "grounded"

    def write(self, turn: Turn) -> str:
        rng = random.Random(f"{turn.message_id}:{turn.intent}:{len(turn.recommendations)}")
        if turn.refusal is not None:  # the refusal and nothing else
            words = S.REFUSAL[turn.refusal.kind]
            return words if isinstance(words, str) else rng.choice(words)
        parts = [
            *self._preferences(turn, rng),
            *([S.TASTE_RESET if turn.taste_reset else S.TASTE_RESET_NONE] if turn.taste_reset is not None else []),
            *self._rated(turn),
            *self._recall(turn),
            *self._meals(turn, rng),
            *intake_lines(turn),
            *self._permission(turn),
            *self._nutrition(turn),
            *([] if turn.nutrition is not None and turn.nutrition.permission else caution_sentences(turn.cautions)),
            *self._qa(turn),
            *self._recommendations(turn, rng),
            *(plan_lines(turn) if turn.plan is not None else []),
            *self._social(turn, rng),
        ]
        text = "\n".join(part for part in parts if part)
        return resolve_particles(text) if text else rng.choice(S.CLARIFY)

    def stream(self, turn: Turn) -> Iterator[str]:
        """The reply in word-sized pieces, so a client can show it as it is 'written'."""
        yield from S.word_pieces(self.write(turn))

    @staticmethod
    def _preferences(turn: Turn, rng: random.Random) -> list[str]:
        """Each change acknowledged once in the user's own word (「계란 알레르기」, not 난류; 「해산물」 once for
        the five allergens it stands for), phrased unlike the previous turn's acknowledgement."""
        lines: list[str] = []
        for change in turn.preferences_changed:
            word = S.display_term(change.said or change.value)
            if change.action == "kept":
                line = S.PREF_KEPT_ALLERGY.format(value=word)
            elif change.action == "added":
                line = _rotate(S.PREF_ADDED[change.kind], turn, rng).format(value=word)
            elif change.action == "removed" and not any(
                    c.action == "added" and c.value == change.value for c in turn.preferences_changed):
                line = _rotate(S.PREF_REMOVED[change.kind], turn, rng).format(value=word)
            else:
                continue
            if line not in lines:
                lines.append(line)
            if change.action == "added":
                lines += [note for note in diet_notes(change.kind, change.value) if note not in lines]
        for value in dict.fromkeys(turn.preferences_known):
            lines.append(_rotate(S.PREF_ALREADY, turn, rng).format(value=S.display_term(value)))
        for missing in turn.preferences_not_found:
            if missing.value:
                lines.append(S.PREF_NOT_REMEMBERED[missing.kind].format(value=S.display_term(missing.value)))
            elif missing.kind:
                lines.append(S.NOTHING_TO_FORGET.format(label=S.RECALL_LABELS[missing.kind]))
            else:
                lines.append(S.NOTHING_AT_ALL_TO_FORGET)
        return lines

    @staticmethod
    def _rated(turn: Turn) -> list[str]:
        """「2번 별로야」 / 「첫 번째 거 좋다」: the rating acknowledged (the new list, if any, follows)."""
        rated = turn.rated
        if rated is None:
            return []
        if rated.value == "up":
            return [S.RATED_UP.format(name=rated.dish, rank=rated.rank)]
        return [S.RATED_DOWN.format(name=rated.dish)]  # 은(는) resolved with the whole reply

    @staticmethod
    def _recall(turn: Turn) -> list[str]:
        """「내 알레르기 뭐였지?」: what is remembered of each kind asked, or that nothing is and how to tell."""
        answer = turn.recall
        if answer is None:
            return []
        if answer.empty:
            return [S.RECALL_EMPTY if len(answer.kinds) > 1 else
                    S.RECALL_NONE_OF.format(label=S.RECALL_LABELS[answer.kinds[0]]), S.RECALL_HOW_TO_TELL]
        lines = [S.RECALL_HEAD]
        for kind in answer.kinds:
            values = answer.remembered.get(kind, [])
            if values:
                lines.append(S.RECALL_LINE.format(label=S.RECALL_LABELS[kind],
                                                  values=", ".join(S.display_term(v) for v in values)))
            elif len(answer.kinds) <= 2:
                lines.append(S.RECALL_NONE_OF.format(label=S.RECALL_LABELS[kind]))
        lines.append(S.RECALL_HOW_TO_FORGET)
        return lines

    @staticmethod
    def _meals(turn: Turn, rng: random.Random) -> list[str]:
        chosen = turn.choice.dish if turn.choice is not None else None
        lines = [_rotate(S.CHOICE_LOGGED if m.name == chosen else S.MEAL_LOGGED, turn, rng).format(
                     meal=m.meal, name=m.name, kcal=m.kcal, servings_text=m.portion or S.servings_text(m.servings))
                 for m in turn.meal_logged]
        if turn.choice is not None and chosen is None:
            lines.append(S.CHOICE_WHICH if turn.choice.shown else S.CHOICE_NO_LIST)
        outcome = turn.log_outcome
        if outcome is None:
            return lines
        lines += [L.CUSTOM_LOGGED.format(meal=c.meal, name=c.name, kcal=c.kcal) for c in turn.custom_logged]
        lines += [resolve_particles(S.UNIT_UNKNOWN.format(unit=unit, name=name)) for name, unit in outcome.unknown_units]
        lines += [S.MEAL_UNKNOWN.format(query=q) for q in outcome.unknown]
        for item in outcome.ambiguous:
            template = S.MEAL_WHICH if item.suggestions else S.MEAL_WHICH_NONE
            lines.append(template.format(query=item.query, suggestions=", ".join(item.suggestions)))
        unlogged = [q for q in outcome.unknown if q] + [a.query for a in outcome.ambiguous]
        if unlogged:
            lines.append(L.GIVE_KCAL.format(name=unlogged[0]))
        if (turn.meal_logged or turn.custom_logged) and outcome.today_kcal is not None and outcome.target_kcal is not None:
            eaten, target = outcome.today_kcal, outcome.target_kcal
            if outcome.day_offset:  # a meal of another day: that day's total, nothing is left to eat
                day = S.DAY_WORDS.get(outcome.day_offset, f"{-outcome.day_offset}일 전")
                lines.append(S.PAST_DAY_TOTAL.format(day=day, kcal=eaten, target=target))
            elif eaten <= target:
                lines.append(S.TODAY_TOTAL.format(kcal=eaten, target=target, remaining=target - eaten))
            else:
                lines.append(S.TODAY_OVER.format(kcal=eaten, target=target, over=eaten - target))
        return lines

    @staticmethod
    def _permission(turn: Turn) -> list[str]:
        """「라면 먹어도 돼?」: 아니요 with what the dishes break, or 네 when they keep every allergy and diet the
        user gave (nothing is said about fitting constraints no one stated)."""
        answer = turn.nutrition
        if answer is None or not answer.permission or answer.dish is None:
            return []
        if turn.cautions:  # said without 네/아니요: 「먹으면 안 돼?」 would turn them around
            broken = list(dict.fromkeys(c.dish for c in turn.cautions))
            fine = [dish.name for dish in answer.dishes if dish.name not in broken]
            head = (resolve_particles(S.PERMISSION_PART.format(fine=", ".join(fine), broken=", ".join(broken)))
                    if fine else S.PERMISSION_NO)
            return [head, *caution_sentences(turn.cautions)]
        kept = [*turn.constraints.allergies, *turn.constraints.diets]
        if not kept:
            return []
        names = ", ".join(dish.name for dish in answer.dishes)
        return [resolve_particles(S.PERMISSION_YES.format(dishes=names, kept=", ".join(kept)))]

    @staticmethod
    def _nutrition(turn: Turn) -> list[str]:
        answer = turn.nutrition
        if answer is None:
            return []
        if answer.dish is None:
            if not answer.query:
                no_dish = S.FOLLOWUP_NO_CONTEXT if "followup" in turn.intents else S.NUTRITION_NO_DISH
                return [no_dish]
            line = S.NUTRITION_UNKNOWN.format(query=answer.query)
            if answer.suggestions:
                line += S.NUTRITION_SUGGEST.format(suggestions=", ".join(answer.suggestions))
            return [line]
        fields = answer.nutrients or list(S.DEFAULT_NUTRIENTS)
        if answer.verdict is not None and answer.verdict.nutrient and not answer.nutrients:
            fields = [answer.verdict.nutrient]  # 「라면 짜?」: the sodium that answered it, not the whole card
        head = [verdict_sentence(answer.verdict)] if answer.verdict is not None else []
        for dish in answer.dishes:
            if dish.said_as:
                line = resolve_particles(S.NUTRITION_GENERIC.format(said=dish.said_as, name=dish.name))
                if dish.variants:
                    line += S.NUTRITION_VARIANTS.format(variants=", ".join(dish.variants))
                head.append(line)
        gaps = [gap.sentence() for gap in verdict_gaps(answer)]
        if answer.verdict is None and answer.direction is not None and answer.nutrients:
            head, gaps = [*head, *gaps], []  # 「뭐가 덜 짜?」: the answer first, then each dish's numbers
        lines = [*head, *(nutrition_sentence(dish, fields) for dish in answer.dishes)]
        if answer.estimate_note:
            lines[len(head) + len(answer.dishes) - 1] += " " + S.NUTRITION_ESTIMATED
        elif answer.mfds_note:
            lines[len(head) + len(answer.dishes) - 1] += " " + S.NUTRITION_MFDS
        lines += [resolve_particles(S.UNIT_UNKNOWN.format(unit=unit, name=name)) for name, unit in answer.unknown_units]
        lines += gaps
        lines += [S.NUTRITION_UNKNOWN.format(query=query) for query in answer.not_found]
        return lines

    @staticmethod
    def _qa(turn: Turn) -> list[str]:
        if turn.qa is not None:
            return [turn.qa.answer]
        if turn.recipe_for:
            return [S.QA_NOT_FOUND_FOR.format(dish=turn.recipe_for)]
        if "recipe" in turn.intents and "followup" in turn.intents and turn.nutrition is None:
            return [S.FOLLOWUP_NO_CONTEXT]  # 「첫 번째 거 레시피」 with no list to point at
        if "recipe" in turn.intents:
            return [S.QA_NOT_FOUND]
        return []

    @staticmethod
    def _recommendations(turn: Turn, rng: random.Random) -> list[str]:
        answer = turn.recommendation_answer
        if answer is None:
            return []
        if answer.comparison is not None:
            return _comparison_lines(turn)
        lines = blocked_lines(answer)
        items = turn.recommendations
        if items:
            intro = S.ANOTHER_INTRO if turn.intent == "another" else S.RECOMMEND_INTRO
            lines.append(D.BLOCKED_ALTERNATIVES if answer.alternatives
                         else rng.choice(intro).format(meal=answer.meal or "다음 끼니"))
            for rank, item in enumerate(items, start=1):
                lines.append(S.RECOMMEND_LINE.format(rank=rank, name=item.name, serving_g=item.serving_g,
                                                     kcal=item.kcal, reason=item.reason))
        relaxations = answer.relaxations
        wanted = answer.k
        if not items:
            lines.append(D.BLOCKED_NONE if answer.alternatives or answer.blocked else S.NO_RESULT)
        elif len(items) < wanted:
            lines.append(S.FEWER_RESULTS.format(count=len(items)))
        if len(items) < wanted and relaxations:
            offers = " ".join(S.RELAX_OFFER.format(description=r.description) for r in relaxations[:2])
            lines.append(S.RELAX_INTRO + offers)
            if turn.constraints.allergies or turn.constraints.excluded:
                lines.append(S.HARD_KEPT)
        if items:
            lines.append(rng.choice(S.RECOMMEND_OUTRO))
        return lines

    @staticmethod
    def _social(turn: Turn, rng: random.Random) -> list[str]:
        informative = (turn.recommendations or turn.nutrition or turn.qa or turn.meal_logged or turn.choice
                       or turn.custom_logged or (turn.log_outcome is not None and turn.log_outcome.unknown)
                       or turn.recipe_for
                       or turn.preferences_changed or turn.recommendation_answer is not None or turn.plan is not None
                       or turn.recall is not None or turn.preferences_not_found or turn.taste_reset is not None
                       or turn.rated is not None)
        if turn.intent == "greeting":
            return [rng.choice(S.GREETING)]
        if turn.intent == "thanks":
            return [rng.choice(S.THANKS)]
        if informative:
            return []
        if turn.intent == "smalltalk":
            return [rng.choice(S.SMALLTALK)]
        if turn.intent == "out_of_domain":
            return [rng.choice(S.OUT_OF_DOMAIN)]
        return []
