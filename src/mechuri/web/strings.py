"""Korean text the web server sends to people: error messages and field names, in one place.

Page text lives in the templates and the browser's strings at the top of ``static/app.js``; these are the
messages that travel in JSON errors, so an API client and the web page show the same words.
"""

from __future__ import annotations

BAD_CREDENTIALS = "아이디 또는 비밀번호가 맞지 않아요."
TOO_MANY_SIGNUPS = "이 주소에서 가입이 너무 많았어요. {minutes}분 뒤에 다시 해 주세요."
TOO_MANY_ATTEMPTS = "로그인 시도가 너무 많아요. {minutes}분 뒤에 다시 해 주세요."
USERNAME_TAKEN = "이미 사용 중인 아이디예요."
USERNAME_RULE = "아이디는 영문·숫자·한글과 _ . - 로 3–32자여야 해요."
PASSWORD_LENGTH = "비밀번호는 {min}–{max}자여야 해요."
PASSWORD_COMMON = "너무 흔한 비밀번호예요. 다른 비밀번호를 써 주세요."
PASSWORD_IS_USERNAME = "비밀번호가 아이디와 같거나 아이디에 숫자·기호만 붙인 것이면 안 돼요."
PASSWORD_SIMPLE = "같은 글자를 되풀이한 비밀번호는 쓸 수 없어요. 서로 다른 글자를 4가지 이상 섞어 주세요."
DISPLAY_NAME_RULE = "이름은 1–32자여야 해요."

LOGIN_REQUIRED = "로그인이 필요해요."
TOKEN_INVALID = "API 토큰이 올바르지 않아요."
CSRF_FAILED = "보안 토큰(CSRF)이 맞지 않아요. 페이지를 새로 고친 뒤 다시 해 주세요."
CROSS_ORIGIN = "다른 사이트에서 보낸 요청은 받을 수 없어요."
JSON_REQUIRED = "요청 본문은 JSON(application/json)이어야 해요."
BODY_TOO_LARGE = "요청이 너무 커요 ({limit:,}바이트 이하로 보내 주세요)."
NOT_FOUND = "찾을 수 없어요."
METHOD_NOT_ALLOWED = "지원하지 않는 요청 방식이에요."
BAD_INPUT = "입력값을 확인해 주세요."
SERVER_ERROR = "서버에서 문제가 생겼어요. 잠시 뒤에 다시 해 주세요."
DATABASE_DOWN = "데이터베이스에 연결할 수 없어요."
NOT_READY = "메추리가 아직 준비 중이에요. 잠시 뒤에 다시 해 주세요."
DATABASE_UNAVAILABLE = "지금은 데이터베이스를 쓸 수 없어요. 잠시 뒤에 다시 해 주세요."
CONTROL_CHARACTERS = "보이지 않는 제어 문자(NUL 등)는 쓸 수 없어요. 글자만 보내 주세요."

PREFERENCE_EXISTS = "이미 같은 항목이 있어요."
PREFERENCE_KIND = "종류는 {kinds} 중 하나여야 해요."
PREFERENCE_VALUE = "내용은 1–64자여야 해요."
PREFERENCE_DIET = "식단은 {values} 중 하나여야 해요."
PREFERENCE_GOAL = "목표는 {values} 중 하나여야 해요."
PREFERENCE_EDIT_EMPTY = "바꿀 종류나 내용을 보내 주세요."

WRONG_PASSWORD = "지금 비밀번호가 맞지 않아요."
CREDENTIALS_CHANGED = "비밀번호가 방금 다른 곳에서 바뀌었어요. 새 비밀번호로 다시 로그인해 주세요."
PASSWORD_UNCHANGED = "새 비밀번호가 지금 비밀번호와 같아요. 다른 비밀번호를 써 주세요."
SESSION_REQUIRED = "비밀번호는 브라우저에서 로그인한 상태로만 바꿀 수 있어요(API 토큰으로는 안 돼요)."

TOKEN_NAME_RULE = "토큰 이름은 1–64자여야 해요."
TOKEN_LIMIT = "API 토큰은 {limit}개까지 만들 수 있어요."

DISH_UNKNOWN = "‘{name}’: 음식 표에 없는 메뉴예요."
DISH_UNKNOWN_SUGGEST = "‘{name}’: 음식 표에 없는 메뉴예요. 혹시 {suggestions} 말씀이세요?"

MEAL_TYPE = "끼니는 {choices} 중 하나여야 해요."
MEAL_ITEMS = "기록할 메뉴를 1–{max}개 보내 주세요."
MEAL_SERVINGS = "인분은 {min:g}–{max:g} 사이여야 해요."
MEAL_DATE_FUTURE = "앞으로의 날짜에는 기록할 수 없어요. 드신 뒤에 기록해 주세요."
MEAL_DATE_OLD = "{days}일보다 전에 드신 식사는 기록할 수 없어요."
MEAL_TIME_FUTURE = "아직 오지 않은 시각으로는 바꿀 수 없어요."
MEAL_EDIT_EMPTY = "바꿀 인분, 끼니 또는 시각을 보내 주세요."

PLAN_DAYS = "기간은 하루(1) 또는 일주일(7)만 고를 수 있어요."
PLAN_MEAL_WORD = "끼니는 {choices} 중에서 골라 주세요."
PLAN_NO_MEALS = "짤 끼니를 하나 이상 골라 주세요."
PLAN_MEAL_BOTH = "같은 끼니를 짜면서 뺄 수는 없어요."
PLAN_KCAL = "목표 열량은 하루 {min:,.0f}–{max:,.0f}kcal 사이여야 해요."
PLAN_FIXED_DAY = "정해 둔 메뉴의 날짜는 1–{days}일차 중 하나여야 해요."
PLAN_FIXED_SKIPPED = "빼기로 한 끼니에는 메뉴를 정할 수 없어요."
PLAN_FIXED_TWICE = "한 끼니에는 메뉴를 하나만 정할 수 있어요."
PLAN_FIXED_MANY = "정해 둔 메뉴는 {max}개까지 보낼 수 있어요."
PLAN_GOAL = "목표는 {choices} 중 하나여야 해요."
PLAN_VARIANT = "variant는 0–{max:,} 사이여야 해요."
PLAN_AVOID = "피할 메뉴는 {max}개까지 보낼 수 있어요."

ICS_DAYS = "캘린더로 보낼 날을 1–{max}일 보내 주세요."
ICS_DATE = "캘린더로 보낼 날짜는 오늘부터 {before}일 전–{after}일 뒤 사이여야 해요."
ICS_CALENDAR_NAME = "메추리 식단"
ICS_CATEGORY = "식단"
# the amounts are mechuri.units.amount's (「1,234kcal」, 「12.5g」), as on the cards and in the shared text
ICS_SUMMARY = "{meal} · {names} ({kcal})"
ICS_DISH = "{name} {portion}: {kcal} · 탄수화물 {carbohydrate} · 단백질 {protein} · 지방 {fat} · 나트륨 {sodium}"
ICS_TOTAL = "합계 {kcal} · 나트륨 {sodium} (메추리 음식 표 기준)"

SEARCH_QUERY = "찾을 말을 1–{max}자로 써 주세요."

OPENAI_NO_USER_MESSAGE = "messages에 사용자(user) 메시지가 없어요."

PROFILE_ERRORS = {
    "display_name": "이름은 1–32자여야 해요.",
    "sex": "성별은 남자(M) 또는 여자(F)만 고를 수 있어요.",
    "birth_year": "출생 연도로 계산한 나이가 {min}–{max}세여야 해요.",
    "height_cm": "키는 {lo:g}–{hi:g} cm 사이여야 해요.",
    "weight_kg": "몸무게는 {lo:g}–{hi:g} kg 사이여야 해요.",
    "activity_level": "활동량은 {choices} 중 하나여야 해요.",
    "goal": "목표는 {choices} 중 하나여야 해요.",
}
"""One message per profile field, mirroring the checks of ``knowledge.targets.compute_targets``."""
