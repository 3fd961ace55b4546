"""The closed vocabularies of the food table: cuisines, categories, meals, tags and allergens.

They are closed on purpose: the NLU maps what people type onto these words and the recommender
filters on them, so a typo in the data ("매운맛" beside "매운") would silently break a constraint.
The meaning of each word is documented in ``docs/food-table.md``.
"""

from __future__ import annotations

CUISINES: tuple[str, ...] = ("한식", "중식", "일식", "양식", "아시안", "퓨전")

CATEGORIES: tuple[str, ...] = (
    "찌개", "탕", "국", "전골", "찜", "조림", "볶음", "구이", "튀김", "전", "밥", "덮밥", "죽", "면", "분식",
    "만두", "회", "초밥", "반찬", "샐러드", "샌드위치", "버거", "피자", "치킨", "파스타", "빵", "디저트", "음료",
    "도시락", "간편식", "수프", "고기", "기타",
)

MEALS: tuple[str, ...] = ("아침", "점심", "저녁", "간식", "야식")

TAGS: tuple[str, ...] = (
    "매운", "국물", "면", "밥", "빵", "떡", "고기", "해산물", "채식가능", "비건", "튀김", "구이", "고단백",
    "저칼로리", "저염", "담백한", "바삭한", "시원한", "따뜻한", "차가운", "달콤한", "짭짤한", "기름진", "든든한",
    "가벼운", "해장", "편의점", "패스트푸드", "카페", "다이어트식", "배달", "혼밥", "회식", "가성비", "비오는날",
    "여름", "겨울", "술안주", "간편", "건강식", "발효",
)

ALLERGENS: tuple[str, ...] = (
    "난류", "우유", "메밀", "땅콩", "대두", "밀", "고등어", "게", "새우", "돼지고기", "복숭아", "토마토",
    "아황산류", "호두", "닭고기", "쇠고기", "오징어", "조개류", "잣",
)
"""The 19 allergens Korean food labeling (식품등의 표시기준) requires to be declared."""

ANIMAL_FLESH_ALLERGENS: frozenset[str] = frozenset(
    {"고등어", "게", "새우", "돼지고기", "닭고기", "쇠고기", "오징어", "조개류"}
)
"""Allergens that are themselves meat or seafood: a vegetarian dish cannot contain any of them."""

ANIMAL_PRODUCT_ALLERGENS: frozenset[str] = ANIMAL_FLESH_ALLERGENS | {"난류", "우유"}
"""Allergens that are animal products: a vegan dish cannot contain any of them."""

INGREDIENT_ALLERGENS: dict[str, tuple[str, ...]] = {}
"""Ingredient word → the allergens it implies (filled from ``_ALLERGEN_INGREDIENTS`` below).

Kimchi implies 새우 because standard 배추김치 is seasoned with 새우젓 and its packages declare 새우; for an
allergy the cautious reading is the right one."""

_ALLERGEN_INGREDIENTS: dict[str, tuple[str, ...]] = {
    "난류": ("달걀", "계란", "메추리알", "마요네즈"),
    "우유": ("우유", "치즈", "버터", "크림", "생크림", "요거트", "연유", "분유", "모차렐라"),
    "메밀": ("메밀", "메밀면"),
    "땅콩": ("땅콩", "땅콩버터"),
    "대두": ("대두", "콩", "두부", "간장", "된장", "고추장", "청국장", "두유", "콩나물", "유부"),
    "밀": ("밀", "밀가루", "면", "국수", "라면", "우동면", "소면", "중화면", "파스타면", "스파게티면", "빵",
          "빵가루", "튀김옷", "만두피", "또띠아", "간장", "고추장", "춘장", "부침가루", "튀김가루"),
    "고등어": ("고등어",),
    "게": ("게", "꽃게", "대게", "킹크랩", "게살"),
    "새우": ("새우", "새우젓", "대하", "김치", "배추김치", "깍두기", "열무김치", "묵은지", "총각김치"),
    "돼지고기": ("돼지고기", "삼겹살", "목살", "항정살", "돼지갈비", "족발", "순대", "햄", "베이컨", "소시지",
                "스팸", "돈가스"),
    "복숭아": ("복숭아",),
    "토마토": ("토마토", "토마토소스", "케첩"),
    "아황산류": ("와인", "건포도", "말린과일", "건과일", "곶감", "건살구", "건자두", "크랜베리"),
    "호두": ("호두",),
    "닭고기": ("닭고기", "닭가슴살", "닭다리", "닭", "치킨"),
    "쇠고기": ("쇠고기", "소고기", "차돌박이", "양지", "사골", "우삼겹", "갈비살", "등심", "안심"),
    "오징어": ("오징어",),
    "조개류": ("조개", "바지락", "홍합", "굴", "전복", "가리비", "모시조개", "재첩"),
    "잣": ("잣",),
}
for _allergen, _ingredients in _ALLERGEN_INGREDIENTS.items():
    for _ingredient in _ingredients:
        INGREDIENT_ALLERGENS[_ingredient] = (*INGREDIENT_ALLERGENS.get(_ingredient, ()), _allergen)

NUTRIENT_FIELDS: tuple[str, ...] = (
    "kcal", "carbohydrate_g", "sugar_g", "protein_g", "fat_g", "saturated_fat_g", "sodium_mg", "fiber_g",
)
"""The per-serving nutrition columns, in display order."""

NUTRIENT_LABELS: dict[str, str] = {
    "kcal": "열량", "carbohydrate_g": "탄수화물", "sugar_g": "당류", "protein_g": "단백질", "fat_g": "지방",
    "saturated_fat_g": "포화지방", "sodium_mg": "나트륨", "fiber_g": "식이섬유",
}
NUTRIENT_UNITS: dict[str, str] = {
    "kcal": "kcal", "carbohydrate_g": "g", "sugar_g": "g", "protein_g": "g", "fat_g": "g",
    "saturated_fat_g": "g", "sodium_mg": "mg", "fiber_g": "g",
}

DIETS: tuple[str, ...] = ("채식", "비건", "저염", "저탄수", "당뇨관리", "할랄", "유당불내증", "페스코", "글루텐프리")
"""Diets a user can state; each is a hard constraint on dishes (see ``recommend``). 할랄: no pork, no
alcohol, no blood; 유당불내증: no milk products; 페스코: fish, seafood, eggs and dairy but no meat or
poultry; 글루텐프리: no wheat (soy sauce and 고추장 count as wheat), barley, rye or oats."""

GOALS: tuple[str, ...] = ("다이어트", "벌크업", "유지")
"""Body-weight goals; they shift the energy target and the soft scoring, never exclude a dish alone."""

GOAL_TO_PROFILE: dict[str, str] = {"다이어트": "diet", "벌크업": "bulk", "유지": "maintain"}
"""How a goal said in chat maps onto the profile's ``goal`` field used by the nutrition targets."""
