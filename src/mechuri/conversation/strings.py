"""Every Korean sentence the grounded writer can say, in one place (해요체, short).

Each slot has several phrasings; the writer picks one with a seeded choice, so the same state gives the
same reply but consecutive turns do not all sound alike. Placeholders are filled only with values from
the Turn (names and numbers from the food table).
"""

from __future__ import annotations

from mechuri import units
from mechuri.knowledge.vocab import NUTRIENT_UNITS

GREETING = (
    "안녕하세요! 메추리예요. 오늘 뭐 드실지 같이 골라 볼까요?",
    "반가워요! 끼니 고민되시면 말씀만 하세요. 영양까지 챙겨서 추천해 드릴게요.",
    "안녕하세요 😊 점심이든 야식이든, 드시고 싶은 느낌을 알려 주시면 메뉴를 골라 드릴게요.",
)
THANKS = (
    "천만에요! 맛있게 드세요 🍚",
    "도움이 됐다니 다행이에요. 또 고민되면 불러 주세요!",
    "별말씀을요. 맛있는 식사 되세요!",
)
SMALLTALK = (
    "저는 메뉴 고민을 덜어 드리는 메추리예요. 「점심 추천해 줘」처럼 말씀해 주세요.",
    "이야기 즐거워요! 혹시 배고프시면 뭐 드실지 같이 정해 봐요.",
)
OUT_OF_DOMAIN = (
    "그건 제가 잘 모르는 분야예요. 저는 메뉴 추천과 음식·영양 질문을 도와드려요.",
    "죄송해요, 음식 이야기만 할 줄 알아요. 「저녁 뭐 먹지?」나 「김치찌개 칼로리」처럼 물어봐 주세요.",
)
CLARIFY = (
    "무슨 말씀인지 잘 못 알아들었어요. 「점심 추천해 줘」, 「라면 칼로리 알려줘」처럼 말씀해 주시겠어요?",
)

RECOMMEND_INTRO = (
    "{meal} 메뉴로 이런 건 어떠세요?",
    "{meal}(으)로 골라 봤어요.",
    "{meal} 추천드려요!",
)
ANOTHER_INTRO = (
    "그럼 다른 메뉴로 골라 볼게요.",
    "좋아요, 이번엔 이런 건 어떠세요?",
    "다른 걸로 다시 추천드려요.",
)
RECOMMEND_LINE = "{rank}. {name} ({serving_g:,.0f}g, {kcal:,.0f}kcal) — {reason}"
RECOMMEND_OUTRO = (
    "궁금한 메뉴가 있으면 「두 번째 거 칼로리는?」처럼 물어보세요.",
    "마음에 안 드시면 「다른 거」라고 해 주세요.",
    "",
)
NO_RESULT = "조건에 맞는 메뉴를 찾지 못했어요."
FEWER_RESULTS = "조건에 딱 맞는 메뉴가 {count}개뿐이에요."
RELAX_OFFER = "{description}."
RELAX_INTRO = "대신 이렇게 바꿔 보시면 어떨까요? "
HARD_KEPT = "알레르기와 싫어하시는 음식은 그대로 빼 두었어요."

YES, NO = "네", "아니요"
ANSWER_MORE = "{answer}, {dish} {other}보다 {label} {amount} {word}."
ANSWER_SAME = "{answer}, {dish} {other}의 {label} {amount}{copula} 같아요."
ANSWER_SHARE = "{answer}, {dish} {label} {amount}{by} {meal} 한 끼 기준(약 {reference})보다 {word}."
ANSWER_TAG_YES = "{answer}, {dish} {term} 메뉴예요."
ANSWER_TAG_NO = "{answer}, {dish} {term} 메뉴로 분류되어 있지 않아요."
TAG_TERMS = {"국물": "국물이 있는", "기름진": "기름진", "달콤한": "단맛이 나는"}
"""How a tag reads in 「네, 떡볶이는 매운 메뉴예요」 where the tag itself does not."""
NUTRITION_HEAD = "{name} {servings_text}({serving_g:,.0f}g) 기준 {values}{copula}."
NUTRITION_ESTIMATED = "(식품영양성분 DB를 참고한 추정치예요.)"
NUTRITION_MFDS = "(식약처 식품영양성분 DB(음식) 기준이에요.)"
NUTRITION_GENERIC = "{said}은(는) {name} 기준으로 말씀드릴게요."
NUTRITION_VARIANTS = " {variants}도 있어요."
UNIT_UNKNOWN = "'{unit}'은(는) {name}에 쓰는 단위가 아니라서 인분으로 계산했어요."
NUTRITION_UNKNOWN = "'{query}'은(는) 제가 가진 음식 표에 없어서 정확한 수치를 말씀드릴 수 없어요."
NUTRITION_SUGGEST = " 혹시 {suggestions} 중에 찾으시는 게 있을까요?"
PERMISSION_NO = "권하지 않아요."
PERMISSION_PART = "{fine}은(는) 괜찮지만 {broken}은(는) 권하지 않아요."
PERMISSION_YES = "괜찮아요. {dishes}은(는) 알려 주신 기준({kept})에 맞아요."
CAUTION = {
    "allergy": "주의하세요: {dish}은(는) {words} 알레르기가 있으신 분은 피하셔야 하는 메뉴예요.",
    "diet": "참고로 {dish}은(는) {words} 식단에는 맞지 않아요.",
}
NUTRITION_NO_DISH = "어떤 음식의 영양 정보가 궁금하신지 알려 주세요. 예: 「비빔밥 칼로리 알려줘」"
FOLLOWUP_NO_CONTEXT = "어떤 메뉴를 말씀하시는지 모르겠어요. 먼저 추천을 받아 보시거나 음식 이름을 알려 주세요."

MEAL_LOGGED = (
    "{meal}에 {name} {servings_text} 드신 걸로 기록했어요 ({kcal:,.0f}kcal).",
    "{meal} {name} {servings_text}, 기록해 뒀어요 ({kcal:,.0f}kcal).",
)
CHOICE_LOGGED = (
    "좋아요! {meal}(으)로 {name} {servings_text} 기록했어요 ({kcal:,.0f}kcal).",
    "{meal}(으)로 {name} {servings_text} 기록해 뒀어요 ({kcal:,.0f}kcal). 맛있게 드세요!",
)
CHOICE_WHICH = "몇 번째 메뉴로 하실지 알려 주세요. 예: 「첫 번째 걸로 할게」"
CHOICE_NO_LIST = "어떤 메뉴로 하실지 모르겠어요. 먼저 추천을 받아 보시거나 메뉴 이름을 알려 주세요. 예: 「김치찌개로 할게」"
MEAL_WHICH = "'{query}'은(는) 종류가 여러 가지라 기록하지 못했어요. {suggestions} 중 어떤 걸 드셨어요?"
MEAL_WHICH_NONE = "'{query}'은(는) 음식 표에서 찾지 못해 기록하지 못했어요. 메뉴 이름을 조금 더 자세히 알려 주세요."
MEAL_UNKNOWN = "'{query}'은(는) 음식 표에 없어서 기록하지 못했어요."
TODAY_TOTAL = "오늘 지금까지 {kcal:,.0f}kcal 드셨고, 하루 목표 {target:,.0f}kcal까지 {remaining:,.0f}kcal 남았어요."
PAST_DAY_TOTAL = "{day} 기록은 모두 {kcal:,.0f}kcal예요 (하루 목표 {target:,.0f}kcal)."
DAY_WORDS = {0: "오늘", -1: "어제", -2: "그저께"}
TODAY_OVER = "오늘 지금까지 {kcal:,.0f}kcal로 하루 목표 {target:,.0f}kcal를 {over:,.0f}kcal 넘었어요."

PREF_ADDED = {
    "like": ("{value} 좋아하시는 거 기억해 둘게요.", "{value}, 좋아하시는 걸로 적어 둘게요.",
             "{value} 좋아하시는군요! 추천할 때 챙길게요."),
    "dislike": ("{value}은(는) 빼고 추천할게요.", "알겠어요, {value}은(는) 피할게요.",
                "{value}은(는) 안 넣을게요. 말씀해 주셔서 고마워요."),
    "allergy": ("{value} 알레르기 기억해 둘게요. {value} 들어간 메뉴는 절대 추천하지 않을게요.",
                "{value} 알레르기가 있으시군요. 앞으로 {value} 들어간 메뉴는 빼고 추천할게요.",
                "알겠어요, {value} 알레르기로 기록했어요. {value} 들어간 메뉴는 추천하지 않을게요."),
    "diet": ("{value} 식단에 맞춰 추천할게요.", "{value} 식단으로 기억해 둘게요. 거기에 맞는 메뉴만 골라 드릴게요."),
    "goal": ("{value} 목표에 맞춰 열량과 영양을 챙겨 드릴게요.", "{value} 목표, 기억해 둘게요. 열량과 영양을 맞춰 볼게요."),
}
"""Acknowledgements, several per kind: consecutive turns take different ones (``Turn.turn_number``)."""
PREF_REMOVED = {
    "like": ("{value} 좋아하신다는 건 지웠어요.", "{value} 좋아하신다는 기록은 지워 둘게요."),
    "dislike": ("이제 {value}도 추천에 넣을게요.", "알겠어요, {value}도 다시 추천할게요."),
    "allergy": ("{value} 알레르기는 목록에서 지웠어요.", "{value} 알레르기 기록을 지웠어요."),
    "diet": ("{value} 식단 조건은 해제했어요.", "{value} 식단은 이제 따지지 않을게요."),
    "goal": ("{value} 목표는 해제했어요.", "{value} 목표는 내려놓을게요."),
}
PREF_KEPT_ALLERGY = "{value}은(는) 알레르기로 기록되어 있어서 계속 빼 둘게요. 알레르기가 없어졌다면 「{value} 알레르기 없어」라고 말씀해 주세요."
PREF_ALREADY = ("{value}, 이미 알고 있어요!", "{value}은(는) 이미 기억하고 있어요.")

PREF_NOT_REMEMBERED = {
    "allergy": "{value} 알레르기는 원래 기억하고 있지 않았어요.",
    "dislike": "{value}을(를) 싫어하신다고 기억하고 있진 않았어요.",
    "like": "{value}을(를) 좋아하신다고 기억하고 있진 않았어요.",
    "diet": "{value} 식단은 원래 설정돼 있지 않았어요.",
    "goal": "{value} 목표는 원래 설정돼 있지 않았어요.",
    None: "'{value}'은(는) 제가 기억하고 있는 게 아니에요.",
}
"""Asked to forget something memory did not hold (the value said)."""
NOTHING_TO_FORGET = "기억하고 있는 {label}이(가) 없어서 지울 게 없어요."
NOTHING_AT_ALL_TO_FORGET = "아직 기억하고 있는 게 없어서 지울 게 없어요."

RECALL_LABELS = {"allergy": "알레르기", "dislike": "싫어하시는 음식", "like": "좋아하시는 음식", "diet": "식단",
                 "goal": "목표"}
RECALL_HEAD = "제가 기억하고 있는 건 이거예요."
RECALL_LINE = "· {label}: {values}"
RECALL_NONE_OF = "{label}은(는) 아직 기억하고 있는 게 없어요."
RECALL_EMPTY = "아직 기억하고 있는 게 없어요."
RECALL_HOW_TO_TELL = "「새우 알레르기 있어」, 「오이 싫어」, 「비건이야」처럼 말씀해 주시면 기억해 둘게요."
RECALL_HOW_TO_FORGET = "바뀐 게 있으면 「오이 싫어하는 거 잊어줘」처럼 말씀해 주세요."

REFUSAL = {
    "self_harm": ("많이 힘드시군요. 말해 주셔서 고마워요. 혼자 견디지 않으셔도 돼요. "
                  "자살예방상담전화 109에 전화하시면 24시간 언제든 상담사와 이야기하실 수 있어요."),
    "harm": "그건 도와드릴 수 없어요. 누군가를 다치게 할 수 있는 일이라서요. 메뉴나 음식 이야기는 언제든 도와드릴게요.",
    "prompt": "제 설정이나 지시 내용은 알려 드리거나 바꿀 수 없어요. 메뉴 추천이나 음식 질문은 언제든 도와드릴게요.",
    "off_topic": ("그건 제가 도와드리기 어려운 분야예요. 저는 메뉴 추천과 음식·영양 질문을 도와드려요.",
                  "죄송해요, 그 이야기는 잘 몰라요. 「저녁 뭐 먹지?」처럼 메뉴나 영양 이야기는 자신 있어요."),
}
"""A refusal or redirection, by kind: short and kind, naming no dish, not even inside a word (이야기라면
reads 라면; the guardrail rejects a refusal that names one). Self-harm gets the crisis line, nothing else."""
CRISIS_LINE = "109"
"""자살예방상담전화 (24시간): the number a self-harm reply must carry."""

QA_NOT_FOUND = "그 질문에 대한 정보는 제가 가진 자료에 없어요. 다른 요리나 재료로 물어봐 주시겠어요?"
QA_NOT_FOUND_FOR = "{dish} 만드는 법은 제가 가진 자료에 없어요. 다른 메뉴로 물어봐 주시겠어요?"
RECIPE_QUERY = "{dish} 만드는 법 재료 레시피"


def recipe_query(dish: str) -> str:
    """What the Q&A collection is searched with for a cooking question about ``dish`` (not the message)."""
    return RECIPE_QUERY.format(dish=dish)

NUTRIENT_PHRASES = {
    "kcal": "열량 약 {v}kcal",
    "carbohydrate_g": "탄수화물 {v}g",
    "sugar_g": "당류 {v}g",
    "protein_g": "단백질 {v}g",
    "fat_g": "지방 {v}g",
    "saturated_fat_g": "포화지방 {v}g",
    "sodium_mg": "나트륨 {v}mg",
    "fiber_g": "식이섬유 {v}g",
}
DEFAULT_NUTRIENTS = ("kcal", "carbohydrate_g", "protein_g", "fat_g", "sodium_mg")
GAP_LINE = "{label}은(는) {name}이(가) {amount}{unit} {word}."
TOP_LINE = "{label}은(는) {name}이(가) {amount}{by} 가장 {word}."
SAME_LINE = "{label}은(는) {both} {amount}{copula}."


def number(value: float) -> str:
    """A number as the replies and the LLM facts state it: whole numbers without decimals, others with one,
    thousands separated (so the guardrail reads both the same way) — :func:`mechuri.units.number`, which
    the web page's numbers follow too."""
    return units.number(value)


def nutrient_phrase(field: str, value: float) -> str:
    """「열량 약 238kcal」, 「단백질 21.5g」, 「나트륨 2,392mg」: the unit's rule of :func:`mechuri.units.amount`
    (energy and sodium whole, grams with a decimal where there is one: 「30g」, not 「30.0g」)."""
    unit = NUTRIENT_UNITS[field]
    return NUTRIENT_PHRASES[field].format(v=units.amount(value, unit).removesuffix(unit))


def servings_text(servings: float) -> str:
    """「1인분」, 「반 인분」, 「1.5인분」: how the serving count is said."""
    if servings == 0.5:
        return "반 인분"
    if float(servings).is_integer():
        return f"{int(servings)}인분"
    return f"{servings:g}인분"


_ADNOMINAL_TAGS = frozenset({"매운", "담백한", "바삭한", "시원한", "따뜻한", "차가운", "달콤한", "짭짤한", "기름진",
                             "든든한", "가벼운"})


def display_term(value: str) -> str:
    """A remembered word as it reads in a sentence: 「매운」 → 「매운 음식」, 「오이」 stays 「오이」."""
    return f"{value} 음식" if value in _ADNOMINAL_TAGS else value

COMPARE_LINE = "· {name} ({serving_g:,.0f}g): {kcal:,.0f}kcal, 단백질 {protein}g, 나트륨 {sodium:,.0f}mg"


def word_pieces(text: str) -> list[str]:
    """``text`` cut after each word's trailing spaces (「오늘은 」, 「김치찌개 」 …): joined, they give the text
    back exactly; a streamed reply arrives in these pieces."""
    pieces: list[str] = []
    start, end = 0, len(text)
    while start < end:
        stop = start
        while stop < end and not text[stop].isspace():
            stop += 1
        while stop < end and text[stop].isspace():
            stop += 1
        pieces.append(text[start:stop])
        start = stop
    return pieces

TASTE_RESET = ("지금까지 고르신 메뉴와 드신 식사에서 배운 입맛을 초기화했어요. "
               "알레르기나 싫어하는 음식처럼 직접 말씀하신 건 그대로 기억해요.")
TASTE_RESET_NONE = "아직 배운 입맛이 없어서 초기화할 게 없어요. 알레르기나 싫어하는 음식처럼 말씀하신 건 그대로예요."
RATED_UP = "좋아요! {name} 같은 메뉴를 기억해 두고 더 자주 골라 드릴게요. 드시려면 「{rank}번으로 할게」라고 말씀해 주세요."
RATED_DOWN = "{name}은(는) 빼고 다른 메뉴로 골라 볼게요. 비슷한 메뉴도 덜 추천할게요."
