"""What each diet means for the recommendations, and what mechuri cannot enforce — said once, when the diet
is first stated (「할랄 음식만 먹어요」), and in plain words: the food table lists ingredients, not how meat
was slaughtered, what a store-bought sauce contains or what else a kitchen cooks in the same oil.

No numbers and no dish names here: the guardrail holds every number of a reply to the Turn, and a dish
name would read as a suggestion.
"""

from __future__ import annotations

DIET_NOTES: dict[str, str] = {
    "할랄": ("돼지고기와 그 가공품(햄·베이컨·소시지), 선지, 술(와인·미림·맛술)이 재료에 있는 메뉴는 빼고 추천할게요. "
           "다만 소고기·닭고기가 할랄 방식으로 도축됐는지, 조리 도구나 기름을 같이 쓰는지는 제가 확인할 수 없으니 "
           "식당에 꼭 확인해 주세요."),
    "유당불내증": ("우유·치즈·버터·크림·요거트처럼 유제품이 들어간 메뉴는 모두 빼고 추천할게요. 유제품이 들어 있다는 이유로 "
              "추천하는 일도 없어요. 다만 빵 반죽이나 소스에 조금 들어간 유제품까지는 재료표로 다 확인할 수 없어요."),
    "페스코": ("고기와 닭고기가 들어간 메뉴는 빼고, 생선·해산물·달걀·유제품은 넣어서 추천할게요. 다만 국물이나 분말 스프에 "
            "들어간 고기 육수·추출물까지는 재료표로 다 확인할 수 없어요."),
    "글루텐프리": ("밀가루·면·빵은 물론이고 밀이 들어가는 간장·고추장·춘장 양념, 보리·귀리도 빼고 추천할게요. 다만 된장 같은 "
              "시판 장류에 섞인 밀이나 튀김 기름·조리 도구를 통한 교차오염은 제가 보장할 수 없으니, 셀리악병이 있으시면 "
              "식당에 꼭 확인해 주세요."),
    "당뇨관리": ("당류와 탄수화물이 많은 메뉴는 빼고 추천할게요. 다만 혈당 반응은 사람마다, 먹는 양과 순서에 따라 달라서 "
             "치료 식단은 담당 의료진과 상의해 주세요."),
    "저염": ("나트륨이 적은 메뉴만 추천할게요. 국물 요리는 국물을 남기시면 나트륨을 더 줄일 수 있어요."),
    "저탄수": ("탄수화물이 적은 메뉴 위주로 추천할게요."),
    "채식": ("고기·해산물이 들어간 메뉴는 빼고 추천할게요. 다만 육수나 젓갈처럼 재료표에 안 드러나는 동물성 재료까지는 "
           "다 확인할 수 없어요."),
    "비건": ("고기·해산물·달걀·유제품이 들어간 메뉴는 모두 빼고 추천할게요. 다만 육수나 소스 속 동물성 재료까지는 "
           "다 확인할 수 없어요."),
}
"""Diet → the sentence said after 「… 식단에 맞춰 추천할게요」 (what it excludes, what it cannot promise)."""

SULFITE_NOTE = ("아황산류는 와인, 건포도 같은 말린 과일처럼 재료표에 드러나는 것만 빼 드릴 수 있어요. 가공식품이나 "
                "소스에 보존료로 들어간 아황산류까지는 확인할 수 없어요.")
"""Said when 아황산류 (or a word that implies it: 와인, 건포도) is stated as an allergy."""
SULFITE_WORDS = frozenset({"아황산류", "와인", "건포도"})

BLOCKED_LINE = "{name}은(는) {why} 때문에 추천해 드릴 수 없어요."
BLOCKED_ALTERNATIVES = "대신 비슷한 메뉴로 골라 봤어요."
BLOCKED_NONE = "비슷한 메뉴 중에도 조건에 맞는 게 없어요."
BLOCKED_WHY = {"allergy": "{words} 알레르기", "diet": "{words} 식단", "excluded": "빼 달라고 하신 {words}"}
