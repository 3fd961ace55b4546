"""Grounded examples made from the food table: nutrition answers, comparisons, day totals, unknown dishes.

What the fine-tuned model should learn is to read numbers from its context, never to recall them. So
every example that states a number carries the facts it comes from in its ``input`` — the same facts
block the LLM writer is fed at run time — and the answer uses only those facts (sums and differences
included). Questions about dishes the table does not have teach the other half: say so, offer close
names, and give no number. Recommendation examples live in ``synthesize_recommend``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from mechuri import units
from mechuri.data.example import Example
from mechuri.knowledge.foods import Dish, FoodTable, load_food_table
from mechuri.knowledge.korean import attach, particle
from mechuri.knowledge.lookup import FoodLookup, default_lookup
from mechuri.knowledge.targets import MEAL_SHARES, NutritionTargets, default_targets
from mechuri.knowledge.vocab import NUTRIENT_FIELDS, NUTRIENT_LABELS, NUTRIENT_UNITS

ESTIMATED_NOTE = "(식품영양성분 DB를 참고한 추정치예요.)"


def amount(field: str, value: float) -> str:
    """A nutrient amount as the product's replies write it (:func:`mechuri.units.amount`), so the model learns
    the format it will be checked against: 「1,810mg」, 「21.5g」."""
    return units.amount(value, NUTRIENT_UNITS[field])


def servings_text(servings: float) -> str:
    if servings == 0.5:
        return "반 인분"
    return f"{int(servings)}인분" if float(servings).is_integer() else f"{servings:g}인분"


def facts_line(dish: Dish, servings: float = 1.0) -> str:
    """One dish's facts on one line, the way a grounded prompt lists candidates."""
    values = dish.nutrition(servings)
    nutrients = ", ".join(f"{NUTRIENT_LABELS[f]} {amount(f, values[f])}" for f in NUTRIENT_FIELDS)
    allergens = ", ".join(dish.allergens) or "표시 대상 없음"
    estimated = " (추정치)" if dish.estimated else ""
    return (f"{dish.name} ({dish.cuisine}·{dish.category}) {servings_text(servings)} {round(dish.serving_g * servings)}g:"
            f" {nutrients}; 알레르기 유발 성분: {allergens}{estimated}")


def facts_block(dish: Dish, servings: float = 1.0) -> str:
    return f"[음식 정보] {facts_line(dish, servings)}"


def targets_line(targets: NutritionTargets, meal: str | None = None) -> str:
    """The day's (and one meal's) energy and sodium targets, which answers compare against."""
    line = f"[하루 기준] 열량 {round(targets.kcal)}kcal, 나트륨 {round(targets.sodium_mg_max)}mg 이하"
    if meal is not None:
        line += f" · {meal} 한 끼 약 {round(targets.kcal * MEAL_SHARES[meal])}kcal"
    return line


@dataclass(frozen=True)
class Ask:
    """A nutrition question shape: which nutrients it asks about and how people phrase it."""

    fields: tuple[str, ...]
    phrasings: tuple[str, ...]


ASKS: tuple[Ask, ...] = (
    Ask(("kcal",), ("{q} 칼로리 얼마야?", "{q} 1인분 열량 알려줘", "{q} 먹으면 몇 칼로리예요?", "{q} 칼로리 궁금해요")),
    Ask(("kcal", "protein_g"), ("{q} 열량이랑 단백질 알려 줘", "{q} 칼로리하고 단백질 얼마나 돼?")),
    Ask(("sodium_mg",), ("{q} 나트륨 얼마나 돼?", "{q} 많이 짜? 나트륨 알려줘", "{q} 염분 어느 정도예요?")),
    Ask(("carbohydrate_g", "protein_g", "fat_g"), ("{q} 탄단지 알려줘", "{q} 탄수화물 단백질 지방 각각 얼마야?")),
    Ask(NUTRIENT_FIELDS, ("{q} 영양성분 전부 알려 주세요", "{q} 영양 정보 자세히 알려 줘")),
    Ask(("sugar_g", "kcal"), ("{q} 당 얼마나 들어 있어?", "{q} 당류랑 칼로리 알려줘")),
    Ask(("fat_g", "saturated_fat_g"), ("{q} 지방 많아?", "{q} 지방이랑 포화지방 얼마나 있어요?")),
    Ask(("protein_g",), ("{q} 단백질 몇 g이야?", "{q} 단백질 많은 편이야?")),
)
DIET_PHRASINGS = ("다이어트 중인데 {m} {q} 먹어도 돼?", "살 빼는 중인데 {m}으로 {q} 괜찮을까요?")
ALLERGY_PHRASINGS = ("{q}에 알레르기 성분 뭐 들어 있어?", "{q} 알레르기 있는 사람이 먹어도 되는지 성분 알려줘")


def _values_sentence(dish: Dish, fields: tuple[str, ...], servings: float = 1.0) -> str:
    values = dish.nutrition(servings)
    listed = ", ".join(f"{NUTRIENT_LABELS[f]} {amount(f, values[f])}" for f in fields)
    return f"{dish.name} {servings_text(servings)}({round(dish.serving_g * servings)}g) 기준 {listed}{particle(listed, '이에요/예요')}."


def _comment(dish: Dish, fields: tuple[str, ...], targets: NutritionTargets) -> str:
    """One grounded remark: how the asked value sits against the day's targets in the input."""
    if "sodium_mg" in fields:
        share = round(100 * dish.sodium_mg / targets.sodium_mg_max)
        if share >= 50:
            return f" 하루 나트륨 기준의 {share}%나 되니 국물이나 양념은 조금 남기시는 게 좋아요."
        return f" 하루 나트륨 기준의 {share}% 정도예요."
    if fields[0] == "kcal":
        share = round(100 * dish.kcal / targets.kcal)
        return f" 하루 기준 열량의 약 {share}%예요."
    if "protein_g" in fields and dish.protein_g >= 20:
        return " 단백질이 넉넉한 편이에요."
    return ""


def nutrition_examples(table: FoodTable, rng: random.Random) -> Iterator[Example]:
    """A nutrition question for every dish under its name and under each alias (and misspelling), with
    the dish's facts in the input; the answer names the dish it found."""
    targets = default_targets()
    for dish in table:
        for number, query in enumerate((dish.name, *dish.aliases)):
            roll = rng.random()
            given = facts_block(dish)
            if roll < 0.08:
                meal = rng.choice(("점심", "저녁", "야식"))
                instruction = rng.choice(DIET_PHRASINGS).format(q=query, m=meal)
                given += "\n" + targets_line(targets, meal)
                budget = round(targets.kcal * MEAL_SHARES[meal])
                verdict = ("한 끼 기준 안이라 양을 지키면 괜찮아요." if dish.kcal <= budget
                           else "한 끼 기준보다 많으니 양을 줄이거나 가볍게 곁들이는 걸 추천해요.")
                output = (f"{_values_sentence(dish, ('kcal', 'protein_g'))} {meal} 한 끼 기준 약 {budget}kcal와 "
                          f"비교하면 {verdict}")
            elif roll < 0.14:
                instruction = rng.choice(ALLERGY_PHRASINGS).format(q=query)
                output = (f"{attach(dish.name, '은/는')} 알레르기 유발 성분으로 {attach(', '.join(dish.allergens), '이/가')} "
                          "표시돼요. 해당 알레르기가 있다면 피하시는 게 안전해요." if dish.allergens else
                          f"{attach(dish.name, '은/는')} 표시 대상 알레르기 유발 성분이 없어요. 그래도 가게마다 "
                          "재료가 다를 수 있으니 주문할 때 한 번 더 확인하세요.")
            else:
                ask = rng.choice(ASKS)
                instruction = rng.choice(ask.phrasings).format(q=query)
                given += "\n" + targets_line(targets)
                output = _values_sentence(dish, ask.fields) + _comment(dish, ask.fields, targets)
            if dish.estimated:
                output += " " + ESTIMATED_NOTE
            if number > 0 and query.replace(" ", "") != dish.name:
                output = (f"'{query}'{particle(query, '으로/로')} 물어보신 {attach(dish.name, '을/를')} 기준으로 알려 "
                          f"드릴게요. {output}")
            yield Example(instruction, given, output, source="synth:nutrition", intent="nutrition",
                          meta={"group": dish.name, "query": query})


COMPARE_PHRASINGS = (
    ("kcal", "{a}랑 {b} 중에 뭐가 칼로리 낮아?"), ("kcal", "{a} vs {b}, 다이어트엔 뭐가 나아?"),
    ("sodium_mg", "{a}하고 {b} 중에 덜 짠 건 뭐야?"), ("protein_g", "{a}랑 {b} 중에 단백질 많은 건?"),
    ("sugar_g", "{a}와 {b} 중 당이 적은 쪽 알려 줘"),
)
_LOWER_BETTER = {"kcal": "가벼워요", "sodium_mg": "덜 짜요", "sugar_g": "당이 적어요"}


def compare_examples(table: FoodTable, rng: random.Random, count: int) -> Iterator[Example]:
    """Which of two dishes is lighter, less salty, higher in protein — with both sets of facts given."""
    by_category: dict[str, list[Dish]] = {}
    for dish in table:
        by_category.setdefault(dish.category, []).append(dish)
    categories = [dishes for dishes in by_category.values() if len(dishes) >= 2]
    for _ in range(count):
        a, b = rng.sample(rng.choice(categories), 2) if rng.random() < 0.7 else rng.sample(table.dishes, 2)
        field, phrasing = rng.choice(COMPARE_PHRASINGS)
        instruction = phrasing.format(a=a.name, b=b.name)
        va, vb = a.nutrition()[field], b.nutrition()[field]
        label = NUTRIENT_LABELS[field]
        head = f"{a.name} {amount(field, va)}, {b.name} {amount(field, vb)}"
        if va == vb:
            verdict = f"{attach(label, '은/는')} 둘 다 같아요."
        elif field in _LOWER_BETTER:
            low = a if va < vb else b
            verdict = (f"{attach(low.name, '이/가')} {amount(field, abs(va - vb))} 더 적어서 {_LOWER_BETTER[field]}.")
        else:
            high = a if va > vb else b
            verdict = f"{attach(high.name, '이/가')} {amount(field, abs(va - vb))} 더 많아요."
        output = f"1인분 기준 {attach(label, '은/는')} {head}{particle(head, '이에요/예요')}. {verdict}"
        if a.estimated or b.estimated:
            output += " " + ESTIMATED_NOTE
        yield Example(instruction, f"{facts_block(a)}\n{facts_block(b)}", output, source="synth:compare",
                      intent="nutrition", meta={"group": f"{a.name}|{b.name}"})


DAY_PHRASINGS = ("오늘 {meals} 먹었는데 지금까지 얼마나 먹은 거야?", "{meals} 먹었어요. 오늘 칼로리 총 몇이에요?",
                 "오늘 먹은 거 정리해 줘: {meals}")


def day_total_examples(table: FoodTable, rng: random.Random, count: int) -> Iterator[Example]:
    """Sum what was eaten today from the facts given, and say what is left of the day's targets."""
    targets = default_targets()
    for _ in range(count):
        meals = rng.sample(("아침", "점심", "저녁", "간식"), rng.randint(2, 3))
        meals.sort(key=("아침", "점심", "간식", "저녁").index)
        eaten = [(meal, rng.choice(table.dishes), rng.choice((1.0, 1.0, 1.0, 0.5, 1.5, 2.0))) for meal in meals]
        said = ", ".join(f"{meal}에 {dish.name}" + ("" if servings == 1 else f" {servings_text(servings)}")
                         for meal, dish, servings in eaten)
        instruction = rng.choice(DAY_PHRASINGS).format(meals=said)
        given = "\n".join([*(f"[{meal}] {facts_line(dish, servings)}" for meal, dish, servings in eaten),
                           targets_line(targets)])
        kcal = [round(dish.kcal * servings) for _, dish, servings in eaten]
        sodium = [round(dish.sodium_mg * servings) for _, dish, servings in eaten]
        total, total_na = sum(kcal), sum(sodium)
        target, na_max = round(targets.kcal), round(targets.sodium_mg_max)
        lines = [f"오늘 드신 열량은 {' + '.join(f'{k}kcal' for k in kcal)} = {total}kcal예요."]
        lines.append(f"하루 기준 {target}kcal까지 {target - total}kcal 남았어요." if total <= target
                     else f"하루 기준 {target}kcal보다 {total - target}kcal 많아요.")
        lines.append(f"나트륨은 모두 {total_na}mg으로 " + (f"하루 기준 {na_max}mg 안이에요." if total_na <= na_max
                                                      else f"하루 기준 {na_max}mg을 넘었어요. 다음 끼니는 싱겁게 드세요."))
        yield Example(instruction, given, " ".join(lines), source="synth:day_total", intent="nutrition",
                      meta={"group": "|".join(d.name for _, d, _ in eaten)})


UNKNOWN_PARTS = (("연어", "전복", "곱창", "트러플", "바질", "망고", "흑돼지", "문어", "장어", "아보카도", "명란", "꽃게"),
                 ("볶음밥", "덮밥", "라면", "파스타", "피자", "샐러드", "김밥", "크림우동", "떡볶이", "리조또", "버거", "죽"))
UNKNOWN_PHRASINGS = ("{q} 칼로리 알려줘", "{q} 영양성분 어떻게 돼?", "{q} 먹으면 살쪄? 열량 알려 줘")


def unknown_dish_examples(lookup: FoodLookup, rng: random.Random, count: int) -> Iterator[Example]:
    """Dishes the table does not know: say so, suggest close names, state no number."""
    names = [a + b for a in UNKNOWN_PARTS[0] for b in UNKNOWN_PARTS[1]]
    rng.shuffle(names)
    made = 0
    for name in names:
        result = lookup.resolve(name)
        if result.found or made >= count:
            continue
        made += 1
        close = ", ".join(result.suggestions)
        topic = f"'{name}'{particle(name, '은/는')}"
        given = f"[음식 정보] {topic} 음식 표에 없어요." + (f" 비슷한 이름: {close}" if close else "")
        output = f"{topic} 제가 가진 음식 표에 없어서 정확한 수치를 말씀드릴 수 없어요."
        output += f" 혹시 {close} 중에 찾으시는 게 있을까요?" if close else " 재료나 비슷한 메뉴 이름으로 다시 물어봐 주세요."
        yield Example(rng.choice(UNKNOWN_PHRASINGS).format(q=name), given, output, source="synth:unknown_dish",
                      intent="nutrition", meta={"group": name})


@dataclass(frozen=True)
class SynthesisConfig:
    """How many of each kind (nutrition answers always cover every dish and alias)."""

    compare: int = 400
    day_total: int = 250
    unknown: int = 120
    recommend: int = 700
    writer: int = 600
    """Reply-writer rows (``synthesize_writer``): the serving prompt of real dialogue-manager turns."""
    slots: bool = True
    """Also a slotted copy of each reply-writer row (``data.slotted``), for slot decoding."""
    seed: int = 7


def synthesize(config: SynthesisConfig | None = None, table: FoodTable | None = None,
               lookup: FoodLookup | None = None) -> list[Example]:
    """Every grounded example, deterministic for a given config."""
    from mechuri.data.synthesize_recommend import recommendation_examples
    from mechuri.data.synthesize_writer import writer_examples

    config = config or SynthesisConfig()
    table = table or load_food_table()
    lookup = lookup or default_lookup()
    rng = random.Random(config.seed)
    examples = [*nutrition_examples(table, rng), *compare_examples(table, rng, config.compare),
                *day_total_examples(table, rng, config.day_total), *unknown_dish_examples(lookup, rng, config.unknown),
                *recommendation_examples(table, random.Random(config.seed + 1), config.recommend),
                *(writer_examples(config.writer, config.seed + 2, table) if config.writer else [])]
    if config.slots:
        from mechuri.data.slotted import with_slotted

        examples = list(with_slotted(examples))
    return [Example(e.instruction, e.input, e.output, e.source, e.intent, id=f"synth-{n:05d}", meta=e.meta)
            for n, e in enumerate(examples)]
