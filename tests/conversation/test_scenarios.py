"""Multi-turn conversations, as users have them: constraints, balance, novelty, follow-ups, nutrition."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from mechuri.db import crud
from mechuri.db.models import Message
from mechuri.knowledge import load_food_table
from mechuri.knowledge.checks import implied_allergens

TABLE = load_food_table()
CONTRACT_KEYS = ("name", "serving_g", "kcal", "carbohydrate_g", "protein_g", "fat_g", "sodium_mg", "allergens",
                 "tags")


def test_lunch_recommendation_gives_three_dishes_with_grounded_numbers(chat):
    turn = chat("오늘 점심 뭐 먹지?")
    assert turn.intent == "recommend"
    assert len(turn.recommendations) == 3
    for item in turn.recommendations:
        dish = TABLE[item.name]
        assert item.kcal == round(dish.kcal) and item.sodium_mg == round(dish.sodium_mg)
        assert "점심" in dish.meals
        assert item.reason and item.name in turn.reply
        data = item.model_dump()
        assert all(key in data for key in CONTRACT_KEYS)
    assert len({TABLE[i.name].category for i in turn.recommendations}) >= 2


def test_an_allergy_said_once_is_never_broken_afterwards(chat):
    first = chat("저 새우 알레르기 있어요")
    assert ("added", "allergy", "새우") in {(c.action, c.kind, c.value) for c in first.preferences_changed}
    for message in ("저녁 추천해줘", "다른 거", "해산물 요리 추천해줘", "튀김 먹고 싶어", "다른 거 없어?"):
        turn = chat(message)
        for item in turn.recommendations:
            dish = TABLE[item.name]
            assert "새우" not in dish.allergens and "새우" not in implied_allergens(dish), (message, item.name)


def test_a_dislike_in_the_same_message_as_the_request_is_respected(chat):
    turn = chat("매운 건 싫고 점심 추천해줘")
    assert {"preference", "recommend"} <= set(turn.intents)
    assert turn.recommendations
    assert all("매운" not in TABLE[i.name].tags for i in turn.recommendations)
    assert all("매운" not in TABLE[i.name].tags for i in chat("다른 거").recommendations)


def test_a_calorie_cap_from_the_message_is_a_hard_limit(chat):
    turn = chat("저녁 500칼로리 이하로 추천해줘")
    assert turn.recommendations
    assert all(item.kcal <= 500 for item in turn.recommendations)


def test_vegan_diet_only_gets_vegan_dishes(chat):
    chat("저 비건이에요")
    turn = chat("점심 추천 좀")
    assert turn.recommendations
    assert all("비건" in TABLE[i.name].tags for i in turn.recommendations)


def test_no_samgyeopsal_for_breakfast_unless_asked(chat):
    turn = chat("아침 메뉴 추천해줘")
    assert all("아침" in TABLE[i.name].meals for i in turn.recommendations)


def test_another_gives_different_menus_and_keeps_the_request(chat):
    first = chat("국물 있는 점심 추천해줘")
    second = chat("다른 거")
    third = chat("그거 말고 다른 거 없어?")
    names = [i.name for t in (first, second, third) for i in t.recommendations]
    assert len(names) == len(set(names)) == 9
    assert all("국물" in TABLE[i.name].tags for i in second.recommendations)


def test_another_in_the_evening_keeps_the_lunch_that_was_asked_for(chat, clock):
    assert chat("점심 추천해줘").meta["meal"] == "점심"
    clock.now += timedelta(hours=7)  # the time alone would now say 저녁
    later = chat("다른 거")
    assert later.meta["meal"] == "점심" and later.recommendations


def test_a_meal_named_a_moment_ago_holds_for_the_next_request_but_not_for_hours(chat, clock):
    chat("아침 추천해줘")
    clock.now += timedelta(minutes=5)
    assert chat("치킨 말고 피자").meta["meal"] == "아침"
    clock.now += timedelta(hours=7)
    assert chat("뭐 먹지?").meta["meal"] == "저녁"


def test_same_state_gives_the_same_answer(db, clock, tmp_path):
    """Replaying a user's day gives the same lists (the draw is seeded by user, day and request rank); the
    promise used to be that two different new users got the same list, which issue 20 retired on purpose
    (see tests/conversation/test_cold_start.py)."""
    from mechuri.config import Settings
    from mechuri.conversation import DialogueManager
    from mechuri.db import Database

    answers = []
    for run in ("a", "b"):
        url = f"sqlite:///{tmp_path / f'replay-{run}.db'}"
        replay = Database(url)
        manager = DialogueManager(replay, Settings(database_url=url), clock=clock)
        user = manager.user_id_for("twin")
        answers.append([[i.name for i in manager.respond(user, text).recommendations]
                        for text in ("저녁 추천해줘", "다른 거", "저녁 추천해줘")])
        replay.dispose()
    assert answers[0] == answers[1]
    assert not set(answers[0][0]) & set(answers[0][1])


def test_novelty_what_was_recommended_recently_comes_back_less(chat, clock):
    first = [i.name for i in chat("저녁 추천해줘").recommendations]
    clock.now += timedelta(days=1)
    second = [i.name for i in chat("저녁 추천해줘").recommendations]
    assert set(first) != set(second)


def test_follow_up_about_the_second_recommendation_answers_from_the_table(chat):
    recs = chat("점심 추천해줘").recommendations
    turn = chat("두 번째 거 나트륨은?")
    assert turn.nutrition and turn.nutrition.found
    second = TABLE[recs[1].name]
    assert turn.nutrition.dish.name == second.name
    assert f"{round(second.sodium_mg)}mg" in turn.reply.replace(",", "")


def test_nutrition_question_states_serving_and_values_from_the_table(chat):
    turn = chat("후라이드 치킨 칼로리 얼마야?")
    dish = TABLE["후라이드치킨"]
    assert turn.nutrition.dish.name == "후라이드치킨"
    assert f"{dish.serving_g:.0f}g" in turn.reply and f"{dish.kcal:.0f}kcal" in turn.reply
    assert "1인분" in turn.reply


@pytest.mark.parametrize(("message", "name", "servings"), [
    ("김치찌개 2인분 칼로리 알려줘", "김치찌개", 2.0), ("라면 반 개 칼로리", "라면", 0.5),
    ("짜장면 곱빼기 칼로리 얼마야", "짜장면", 1.5)])
def test_a_nutrition_question_counts_the_servings_said(chat, message, name, servings):
    turn = chat(message)
    dish = TABLE[name]
    assert turn.nutrition.dish.servings == servings
    assert turn.nutrition.dish.kcal == pytest.approx(dish.kcal * servings, abs=0.5)
    assert f"({dish.serving_g * servings:.0f}g) 기준 열량 약 {dish.kcal * servings:,.0f}kcal" in turn.reply


def test_unknown_dish_is_answered_honestly_without_a_number(chat):
    turn = chat("우주선스테이크 칼로리 알려줘")
    assert turn.nutrition is not None and not turn.nutrition.found
    assert "kcal" not in turn.reply and "없" in turn.reply


def test_balance_after_a_salty_carb_heavy_lunch_dinner_is_lower_in_sodium(manager, clock):
    plain = manager.respond(manager.user_id_for("plain"), "저녁 추천해줘")
    salty_user = manager.user_id_for("salty")
    logged = manager.respond(salty_user, "점심에 짬뽕이랑 라면 먹었어")
    assert len(logged.meal_logged) == 2
    clock.now += timedelta(hours=6)
    after = manager.respond(salty_user, "저녁 추천해줘")
    def avg(turn, key):
        return sum(getattr(i, key) for i in turn.recommendations) / len(turn.recommendations)
    assert avg(after, "sodium_mg") < avg(plain, "sodium_mg")


def test_meal_logging_uses_the_servings_said(chat):
    turn = chat("아침에 김치찌개 반 그릇 먹었어")
    assert turn.meal_logged and turn.meal_logged[0].name == "김치찌개"
    assert turn.meal_logged[0].servings == 0.5 and turn.meal_logged[0].meal == "아침"
    assert turn.meal_logged[0].kcal == round(TABLE["김치찌개"].kcal * 0.5)


def test_cooking_question_is_answered_from_the_qa_collection(chat):
    turn = chat("삼계탕은 어떤 재료로 만들어요?")
    assert turn.intent == "recipe" and turn.qa is not None
    assert "삼계탕" in turn.qa.question
    nothing = chat("우주선 엔진 요리법 알려줘")
    assert nothing.qa is None


def test_the_user_message_is_stored_before_the_reply_and_the_turn_with_it(chat, db):
    turn = chat("점심 추천해줘")
    with db.session() as s:
        rows = s.scalars(select(Message).order_by(Message.id)).all()
        assert [r.role for r in rows] == ["user", "assistant"]
        assert rows[0].id == turn.message_id and rows[1].id == turn.reply_id
        assert [r["name"] for r in rows[1].meta["recommendations"]] == [i.name for i in turn.recommendations]


def test_bad_input_gets_a_clear_error_and_stores_nothing(chat, db):
    for text in ("", "   ", "가" * 2001):
        with pytest.raises(ValueError):
            chat(text)
    with db.session() as s:
        assert s.scalars(select(Message)).all() == []


@pytest.mark.parametrize("text", ["😀😀😀", "hello how are you", "<script>alert(1)</script>",
                                  "'; DROP TABLE users; --", "ㅋㅋㅋㅋㅋ", "가" * 2000])
def test_garbage_input_gets_a_sensible_reply_never_an_exception(chat, text):
    turn = chat(text)
    assert turn.reply
    assert "<script>" not in turn.reply


def test_greetings_and_thanks_are_answered_politely(chat):
    assert "요" in chat("안녕하세요").reply
    assert chat("고마워요").intent == "thanks"


def test_impossible_constraints_say_so_and_offer_relaxations(chat):
    chat("저 비건이에요")
    turn = chat("500칼로리 이하 치킨 추천해줘")
    assert len(turn.recommendations) < 3
    assert "찾지 못했어요" in turn.reply or "뿐이에요" in turn.reply
    assert all("비건" in TABLE[i.name].tags for i in turn.recommendations)


def test_preferences_changed_are_reversible_in_chat(chat, db):
    chat("매운 거 별로야")
    turn = chat("이제 매운 것도 잘 먹어")
    changes = {(c.action, c.kind, c.value) for c in turn.preferences_changed}
    assert ("removed", "dislike", "매운") in changes
    with db.session() as s:
        user = crud.get_user_by_username(s, "jiwoo")
        assert [(p.kind, p.value) for p in crud.list_preferences(s, user)] == [("like", "매운")]


def test_choosing_between_named_dishes_compares_only_those(chat):
    turn = chat("짜장면이랑 짬뽕 중에 뭐가 나아?")
    assert sorted(i.name for i in turn.recommendations) == ["짜장면", "짬뽕"]
    assert turn.meta["comparison"] == {"asked": ["짜장면", "짬뽕"], "excluded": {}}
    jjajang, jjamppong = TABLE["짜장면"], TABLE["짬뽕"]
    assert turn.reply.startswith(f"둘 중에는 {turn.recommendations[0].name}")
    assert f"{abs(round(jjajang.kcal) - round(jjamppong.kcal)):,}kcal 적어요" in turn.reply
    assert f"{abs(round(jjajang.sodium_mg) - round(jjamppong.sodium_mg)):,}mg 적어요" in turn.reply


def test_asking_which_of_two_dishes_has_fewer_calories_answers_for_both(chat):
    turn = chat("김치찌개랑 된장찌개 중에 뭐가 더 칼로리 낮아?")
    kimchi, doenjang = TABLE["김치찌개"], TABLE["된장찌개"]
    answer = turn.nutrition
    assert answer.dish.name == "김치찌개" and [d.name for d in answer.compared] == ["된장찌개"]
    assert answer.compare and answer.nutrients == ["kcal"] and not turn.recommendations
    for dish in (kimchi, doenjang):
        assert f"{dish.name} 1인분({dish.serving_g:.0f}g) 기준 열량 약 {dish.kcal:,.0f}kcal" in turn.reply
    lighter = min((kimchi, doenjang), key=lambda d: d.kcal)
    gap = round(abs(kimchi.kcal - doenjang.kcal))
    assert f"열량은 {lighter.name}" in turn.reply and f"{gap:,}kcal 적어요" in turn.reply
    assert "나트륨" not in turn.reply  # only what was asked


def test_a_nutrition_comparison_without_a_nutrient_gives_every_value_and_names_an_unknown_dish(chat):
    turn = chat("짜장면 짬뽕 영양성분 비교해 줘")
    assert [d.name for d in turn.nutrition.dishes] == ["짜장면", "짬뽕"] and turn.nutrition.compare
    for name in ("짜장면", "짬뽕"):
        dish = TABLE[name]
        assert f"나트륨 {dish.sodium_mg:,.0f}mg" in turn.reply and f"탄수화물 {dish.carbohydrate_g:g}g" in turn.reply
    assert "열량은" in turn.reply and "나트륨은" in turn.reply

    turn = chat("김치찌개랑 우주라면 칼로리 알려줘")
    assert turn.nutrition.dish.name == "김치찌개" and turn.nutrition.not_found == ["우주라면"]
    assert not turn.nutrition.compare and "적어요" not in turn.reply  # two values, no comparison asked
    assert "'우주라면'은 제가 가진 음식 표에 없어서" in turn.reply


def test_equal_values_are_said_to_be_the_same(chat):
    same = next((a, b) for a in TABLE for b in TABLE
                if a.name < b.name and a.protein_g == b.protein_g and a.category == "샐러드" and b.category != "샐러드")
    turn = chat(f"{same[0].name}랑 {same[1].name} 단백질 차이 알려줘")
    assert [d.name for d in turn.nutrition.dishes] == [same[0].name, same[1].name]
    assert f"단백질은 둘 다 {same[0].protein_g:g}g이에요." in turn.reply


def test_a_nutrition_answer_warns_of_the_users_allergy_and_diet(chat):
    chat("저 새우 알레르기 있어요")
    turn = chat("새우볶음밥 칼로리 얼마야?")
    dish = TABLE["새우볶음밥"]
    assert f"열량 약 {dish.kcal:,.0f}kcal" in turn.reply  # the numbers are still given
    assert [(c.dish, c.kind, c.word) for c in turn.cautions] == [("새우볶음밥", "allergy", "새우")]
    assert "주의하세요: 새우볶음밥은 새우 알레르기가 있으신 분은 피하셔야 하는 메뉴예요." in turn.reply

    chat("요즘 비건으로 먹고 있어")
    turn = chat("김치찌개랑 두부조림 칼로리 비교해줘")
    cautions = {(c.dish, c.kind, c.word) for c in turn.cautions}
    assert ("김치찌개", "diet", "비건") in cautions and not any(c[0] == "두부조림" for c in cautions)
    assert "비건 식단에는 맞지 않아요" in turn.reply

    turn = chat("두부조림 칼로리")
    assert not turn.cautions and "주의" not in turn.reply and "맞지 않아요" not in turn.reply

    turn = chat("점심에 새우볶음밥 먹었어")  # logged as said, and the allergy is named
    assert [m.name for m in turn.meal_logged] == ["새우볶음밥"]
    assert ("새우볶음밥", "allergy", "새우") in {(c.dish, c.kind, c.word) for c in turn.cautions}
    assert "새우 알레르기" in turn.reply


def test_compare_in_so_many_words_compares_the_named_dishes(chat):
    turn = chat("제육볶음이랑 꿔바로우 비교해줘")
    assert sorted(i.name for i in turn.recommendations) == ["꿔바로우", "제육볶음"]
    assert turn.meta["comparison"]["asked"] == ["꿔바로우", "제육볶음"]


def test_a_named_choice_that_breaks_an_allergy_is_left_out_and_said_so(chat):
    chat("새우 알레르기 있어요")
    turn = chat("새우볶음밥이랑 김밥 중에 뭐 먹을까?")
    assert [i.name for i in turn.recommendations] == ["김밥"]
    assert turn.meta["comparison"]["excluded"] == {"새우볶음밥": ["allergy"]}
    assert "새우볶음밥은 알레르기 때문에 뺐어요." in turn.reply
