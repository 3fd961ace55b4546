"""The hand-written seed tasks, and the filters every example passes through."""

from __future__ import annotations

from collections import Counter

from mechuri.data.dedupe import dedupe_token_lists
from mechuri.data.example import INTENTS, Example, guess_intent
from mechuri.data.filters import FilterConfig, first_problem, ungrounded_numbers
from mechuri.data.seed import load_seed_tasks, seed_examples


def test_seed_tasks_are_many_varied_and_in_self_instruct_format():
    tasks = load_seed_tasks()
    assert len(tasks) >= 160
    assert len({task.id for task in tasks}) == len(tasks)
    intents = Counter(task.intent for task in tasks)
    assert set(intents) == set(INTENTS) and intents["recommend"] >= 60 and intents["nutrition"] >= 20
    assert sum(task.is_classification for task in tasks) >= 8
    text = " ".join(f"{task.instruction} {i.input} {i.output}" for task in tasks for i in task.instances)
    for situation in ("아침", "점심", "저녁", "간식", "야식", "비가", "폭염", "스트레스", "다이어트", "알레르기",
                      "천 원", "편의점", "혼밥", "회식", "해장", "채식", "비건", "당뇨", "나트륨"):
        assert situation in text, situation
    examples = seed_examples(tasks)
    assert len(examples) >= 170 and all(first_problem(e) is None for e in examples)


def test_no_two_seed_instructions_are_near_duplicates(tokenizer):
    instructions = [task.instruction for task in load_seed_tasks()]
    assert all(d is None for d in dedupe_token_lists([tokenizer.tokenize(i) for i in instructions]))


def _example(instruction: str, output: str = "네, 알려 드릴게요.", given: str = "") -> Example:
    return Example(instruction, given, output, source="self_instruct")


def test_filters_name_the_reason():
    assert first_problem(_example("추천")) == "instruction_too_short"
    assert first_problem(_example("이 음식 사진을 보고 이름을 맞혀 줘")) == "blacklist"
    assert first_problem(_example("Draw a map of the best restaurants")) == "blacklist"
    assert first_problem(_example("Recommend a lunch menu for me")) == "not_korean"
    assert first_problem(_example("파이썬으로 칼로리 계산 프로그램을 짜 줘")) == "code_task"
    assert first_problem(_example("점심 메뉴 추천해 줘", output="")) == "output_empty"
    assert first_problem(_example("다음 문장을 그대로 옮겨 줘", "김치찌개", "김치찌개")) == "output_copies_input"
    assert first_problem(_example("!!! 점심 추천해 줘")) == "starts_with_punctuation"
    assert first_problem(_example("프로틴드링크 영양성분 알려 줘")) is None  # 드링크 is not a 링크


def test_teacher_numbers_must_come_from_the_context():
    grounded = FilterConfig(grounded_numbers=True)
    invented = _example("김치찌개 칼로리 알려 줘", "김치찌개 1인분은 약 457kcal예요.")
    assert first_problem(invented, grounded) == "ungrounded_numbers"
    assert first_problem(invented) is None  # curated sources are not held to it
    given = "아침 350kcal, 점심 700kcal, 하루 목표 2000kcal"
    summed = _example("오늘 먹은 열량을 더해 줘", "모두 1050kcal이고 목표까지 950kcal 남았어요.", given)
    assert first_problem(summed, grounded) is None
    assert ungrounded_numbers("단백질 31g이에요", "단백질 30g") == [31.0]
    assert ungrounded_numbers("나트륨 1,200mg", "나트륨 1200mg") == []


def test_intent_guess():
    assert guess_intent("저칼로리 점심 메뉴 추천해 줘") == "recommend"
    assert guess_intent("떡볶이 칼로리 얼마야?") == "nutrition"
    assert guess_intent("두부 보관은 어떻게 해?") == "ingredient"
    assert guess_intent("오늘 날씨 어때?") == "other"
