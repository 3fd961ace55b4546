"""A population prior: how commonly people in Korea eat each dish, per meal (아침/점심/저녁/야식).

The prior lives in ``data/popularity.csv`` (one row per dish of the food table, checked by a test) as a
*tier* — ``everyday`` / ``common`` / ``occasional`` / ``rare`` — overall and per meal, with the source of
the row. Tiers, not survey percentages: the public figures we have are rankings from different years and
populations (lunch surveys of office workers, delivery-app order counts, the national food-frequency
survey) that cannot be put on one numeric scale honestly, but all of them agree on what is an everyday
meal and what is not.

How a row's tier is decided (``build_rows``, re-run with ``python -m mechuri.knowledge.popularity``):

1. **Reviewed list** (``REVIEWED``): dishes placed by hand, each citing the public fact behind it
   (``SOURCES``: survey or statistic, by name and year) or marked ``editorial`` when it is the
   maintainers' judgement of Seoul eating habits (e.g. 삼겹살 for dinner). A reviewed row may give a
   different tier per meal (치킨 is an everyday 야식 but a common 저녁).
2. **Rule** (``rule_tier``) for every other dish, from its cuisine and category: Korean main-meal
   categories and the Chinese/Japanese/Western dishes every Korean street serves (짬뽕밥, 우동, 버거,
   파스타 …) are ``common``; side dishes, drinks, desserts and snacks, and the other cuisines' dishes are
   ``occasional``; ``RARE`` names regional or foreign specialties few people eat in a given month.

The recommender turns tiers into weights (``TIER_WEIGHTS``) for its ``familiar`` score component.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mechuri.knowledge.foods import Dish, load_food_table

POPULARITY_CSV = Path(__file__).parent / "data" / "popularity.csv"
PRIOR_MEALS: tuple[str, ...] = ("아침", "점심", "저녁", "야식")
TIERS: tuple[str, ...] = ("everyday", "common", "occasional", "rare")
TIER_WEIGHTS: dict[str, float] = {"everyday": 1.0, "common": 0.7, "occasional": 0.4, "rare": 0.15}
"""Tier → the prior weight in [0, 1] the recommender scores (``scoring.WEIGHTS['familiar']`` times this)."""
FAMILIAR_TIERS = frozenset({"everyday", "common"})

SOURCES: dict[str, str] = {
    "jobkorea2010": "잡코리아 '2010 올해의 점심메뉴 TOP 5' 직장인 1,042명 설문(2010-12): 김치찌개·된장찌개·백반·비빔밥·돈가스",
    "jobkorea2014": "잡코리아 직장인 점심 설문 768명(2014년경 보도): 김치찌개·백반·된장찌개·비빔밥·돈가스·김밥·부대찌개·순두부·제육볶음·짜장면",
    "career2014": "커리어 직장인 점심 설문 741명(2014): 김밥 등 분식·김치찌개·백반·도시락·편의점 메뉴·순대국·짜장면",
    "baemin2020": "배달의민족(우아한형제들) 2020년 메뉴별 주문 순위(2021-02 발표): 중식 짜장면·짬뽕·간짜장·볶음밥·탕수육, "
                  "분식 떡볶이·치즈떡볶이·김말이·오징어튀김·참치김밥, 한식 쇠고기야채죽·물냉면·돼지국밥·계란찜·제육볶음, "
                  "피자 반반·불고기·콤비네이션, 야식 족발·보쌈",
    "hana2022": "하나금융경영연구소 '배달 앱 이용 현황과 메뉴 유형별 수요 특성'(2022, 2019-08~2021-12 결제 약 5,561만 건): "
                "치킨류 21.2%로 1위, 한식 15.6%, 중식 10.3%",
    "yogiyo2019": "요기요(딜리버리히어로 코리아) 복날 보양식 주문 분석 2016~2018(2019-07 발표): 닭볶음탕·삼계탕·빙수 순",
    "knhanes2014": "보건복지부·질병관리본부 '2014 국민건강통계'(국민건강영양조사 식품섭취빈도, 19~64세 3,417명): 주당 배추김치 10.76회, "
                   "달걀말이·후라이 1.80회, 된장찌개(청국장) 1.15회, 라면·컵라면 1.14회, 비빔밥·볶음밥 0.61회, 김밥 0.47회, "
                   "카레라이스 0.21회, 사과 1.64회, 바나나 1.02회",
    "khidi2021": "한국보건산업진흥원 국민영양통계(2021, 국민건강영양조사 24시간 회상) 다빈도 음식: 배추김치 56.0%, 커피 55.0%, 쌀밥 49.5%",
    "editorial": "편집 판단(공개 통계 없음): 서울 직장인·가정의 일상 식사 기준으로 검토한 목록",
    "rule": "규칙: 요리 분류·종류로 정한 기본 등급(docs/architecture.md 'Population prior')",
}
"""Every source a row may cite; facts only (names, years, rankings), no prose copied."""

Meals = dict[str, str]
"""Meal → tier, for the meals whose tier differs from the row's overall tier."""

REVIEWED: dict[str, tuple[str, Meals, tuple[str, ...]]] = {
    # the lunch surveys' top menus
    "김치찌개": ("everyday", {}, ("jobkorea2010", "jobkorea2014", "career2014")),
    "된장찌개": ("everyday", {}, ("jobkorea2010", "jobkorea2014", "knhanes2014")),
    "백반": ("everyday", {}, ("jobkorea2010", "jobkorea2014", "career2014")),
    "비빔밥": ("everyday", {}, ("jobkorea2010", "jobkorea2014", "knhanes2014")),
    "돈가스": ("everyday", {}, ("jobkorea2010", "jobkorea2014")),
    "경양식돈가스": ("common", {}, ("jobkorea2010",)),
    "김밥": ("everyday", {}, ("jobkorea2014", "career2014", "knhanes2014")),
    "참치김밥": ("everyday", {}, ("baemin2020", "career2014")),
    "부대찌개": ("everyday", {}, ("jobkorea2014",)),
    "순두부찌개": ("everyday", {}, ("jobkorea2014",)),
    "제육볶음": ("everyday", {}, ("jobkorea2014", "baemin2020")),
    "제육덮밥": ("everyday", {}, ("jobkorea2014",)),
    "제육정식": ("common", {}, ("jobkorea2014",)),
    "김치찌개정식": ("common", {}, ("jobkorea2010",)),
    "된장찌개정식": ("common", {}, ("jobkorea2010",)),
    "불고기정식": ("common", {}, ("jobkorea2014",)),
    "짜장면": ("everyday", {}, ("jobkorea2014", "career2014", "baemin2020")),
    "짬뽕": ("everyday", {}, ("baemin2020",)),
    "간짜장": ("common", {}, ("baemin2020",)),
    "볶음밥": ("common", {}, ("baemin2020", "knhanes2014")),
    "탕수육": ("common", {"야식": "everyday"}, ("baemin2020",)),
    "순댓국": ("everyday", {}, ("career2014",)),
    "돼지국밥": ("everyday", {}, ("baemin2020",)),
    "떡볶이": ("everyday", {"아침": "occasional"}, ("baemin2020",)),
    "치즈떡볶이": ("common", {}, ("baemin2020",)),
    "김말이튀김": ("common", {}, ("baemin2020",)),
    "오징어튀김": ("common", {}, ("baemin2020",)),
    "쇠고기야채죽": ("common", {"아침": "everyday"}, ("baemin2020",)),
    "물냉면": ("everyday", {}, ("baemin2020",)),
    "계란찜": ("common", {}, ("baemin2020",)),
    "불고기피자": ("common", {}, ("baemin2020",)),
    "콤비네이션피자": ("common", {}, ("baemin2020",)),
    "족발": ("common", {"야식": "everyday"}, ("baemin2020",)),
    "보쌈": ("common", {"야식": "everyday"}, ("baemin2020",)),
    "후라이드치킨": ("common", {"저녁": "everyday", "야식": "everyday"}, ("hana2022",)),
    "양념치킨": ("common", {"저녁": "everyday", "야식": "everyday"}, ("hana2022",)),
    "반반치킨": ("common", {"저녁": "everyday", "야식": "everyday"}, ("hana2022",)),
    "순살치킨": ("common", {"야식": "everyday"}, ("hana2022",)),
    "닭볶음탕": ("common", {}, ("yogiyo2019",)),
    "삼계탕": ("common", {}, ("yogiyo2019",)),
    "팥빙수": ("occasional", {}, ("yogiyo2019",)),
    "라면": ("everyday", {}, ("knhanes2014",)),
    "신라면": ("common", {}, ("knhanes2014",)),
    "컵라면": ("common", {}, ("knhanes2014",)),
    "카레라이스": ("common", {}, ("knhanes2014",)),
    "김치볶음밥": ("everyday", {}, ("knhanes2014",)),
    "계란말이": ("common", {}, ("knhanes2014",)),
    "배추김치": ("everyday", {}, ("knhanes2014", "khidi2021")),
    "흰쌀밥": ("everyday", {}, ("khidi2021",)),
    "아메리카노": ("everyday", {}, ("khidi2021",)),
    "사과": ("common", {}, ("knhanes2014",)),
    "바나나": ("common", {}, ("knhanes2014",)),
    # editorial: everyday Seoul meals no survey above ranks
    "칼국수": ("everyday", {}, ("editorial",)),
    "설렁탕": ("everyday", {}, ("editorial",)),
    "콩나물국밥": ("everyday", {}, ("editorial",)),
    "육개장": ("everyday", {}, ("editorial",)),
    "갈비탕": ("common", {}, ("editorial",)),
    "감자탕": ("common", {"저녁": "everyday"}, ("editorial",)),
    "뼈해장국": ("common", {}, ("editorial",)),
    "불고기": ("everyday", {}, ("editorial",)),
    "불고기덮밥": ("common", {}, ("editorial",)),
    "오징어덮밥": ("common", {}, ("editorial",)),
    "닭갈비": ("common", {"저녁": "everyday"}, ("editorial",)),
    "삼겹살": ("common", {"저녁": "everyday", "점심": "occasional"}, ("editorial",)),
    "돼지갈비": ("common", {}, ("editorial",)),
    "잔치국수": ("common", {}, ("editorial",)),
    "비빔국수": ("common", {}, ("editorial",)),
    "비빔냉면": ("common", {}, ("editorial",)),
    "쫄면": ("common", {}, ("editorial",)),
    "우동": ("common", {}, ("editorial",)),
    "돈코츠라멘": ("common", {}, ("editorial",)),
    "규동": ("common", {}, ("editorial",)),
    "오므라이스": ("common", {}, ("editorial",)),
    "양지쌀국수": ("common", {}, ("editorial",)),
    "햄버거": ("common", {}, ("editorial",)),
    "치즈버거": ("common", {}, ("editorial",)),
    "토마토스파게티": ("common", {}, ("editorial",)),
    "까르보나라": ("common", {}, ("editorial",)),
    "고등어구이": ("common", {}, ("editorial",)),
    "생선구이정식": ("common", {}, ("editorial",)),
    "편의점도시락": ("common", {}, ("career2014",)),
    "참치마요삼각김밥": ("common", {}, ("career2014",)),
    "길거리토스트": ("common", {"아침": "everyday"}, ("editorial",)),
    "햄치즈토스트": ("common", {}, ("editorial",)),
    "에그마요샌드위치": ("common", {}, ("editorial",)),
    "미역국": ("common", {"아침": "everyday"}, ("editorial",)),
    "콩나물국": ("common", {}, ("editorial",)),
    "야채죽": ("common", {}, ("editorial",)),
    "떡국": ("common", {}, ("editorial",)),
    "고기만두": ("common", {}, ("editorial",)),
    "물회": ("occasional", {}, ("editorial",)),
}
"""Dishes placed by hand: name → (tier, per-meal tiers that differ, source keys)."""

RARE: frozenset[str] = frozenset({
    # foreign specialties most people eat a few times a year at most
    "비리야니", "분보후에", "분보남보", "팔락파니르", "락사", "껌땀", "뿌팟퐁커리", "사모사", "미고렝", "반쎄오",
    "카오만가이", "버터치킨커리", "치킨티카마살라", "탄두리치킨", "사테", "나시고렝", "그린커리", "카오팟", "똠얌꿍",
    "라자냐", "뇨끼", "도리아", "그라탕", "에그베네딕트", "잉글리시브렉퍼스트", "피시앤칩스", "클램차우더",
    "미네스트로네", "비프스튜", "바비큐폭립", "모츠나베", "츠케멘", "마제소바", "어향가지", "지삼선", "유니짜장",
    "사천짜장", "기스면", "울면", "하가우", "양장피", "유산슬", "팔보채", "동파육", "난자완스", "파히타", "퀘사디아",
    # Korean regional or seasonal specialties
    "어복쟁반", "흑염소탕", "과메기", "도가니탕", "우족탕", "올갱이국", "도다리쑥국", "재첩국", "매생이국", "갈낙탕",
    "장어탕", "오리탕", "세꼬시", "육사시미", "산낙지", "꼼장어구이", "전어구이", "임연수구이", "깨죽", "잣죽",
    "녹두죽", "게살죽", "팥칼국수", "멍게비빔밥", "꼬막비빔밥", "아욱국", "토란국", "꼬리곰탕", "추어탕", "복국",
    "연포탕", "내장탕", "메기매운탕", "닭개장", "곤드레밥", "오곡밥", "팥죽", "밀면", "회냉면", "김치말이국수",
})
"""Dishes the rule would call common or occasional that few people eat in a given month (editorial)."""

_COMMON_BY_CUISINE: dict[str, frozenset[str]] = {
    "한식": frozenset({"찌개", "탕", "국", "볶음", "밥", "덮밥", "면", "분식", "구이", "고기", "찜", "조림", "전골",
                      "치킨", "만두", "전", "튀김", "도시락"}),
    "중식": frozenset({"면", "밥", "덮밥", "튀김", "만두"}),
    "일식": frozenset({"튀김", "덮밥", "면", "초밥", "밥"}),
    "양식": frozenset({"버거", "피자", "파스타", "샌드위치", "샐러드", "튀김"}),
    "아시안": frozenset(),
    "퓨전": frozenset(),
}
"""Rule: the categories of each cuisine that are an ordinary meal out in Korea (tier ``common``)."""


def rule_tier(dish: Dish) -> str:
    """The editorial tier of a dish nobody reviewed: see the module docstring (step 2)."""
    if dish.name in RARE:
        return "rare"
    if dish.category in _COMMON_BY_CUISINE.get(dish.cuisine, frozenset()):
        return "common"
    return "occasional"


@dataclass(frozen=True)
class PriorRow:
    name: str
    tier: str
    meals: Meals
    sources: tuple[str, ...]

    def tier_at(self, meal: str | None) -> str:
        return self.meals.get(meal, self.tier) if meal is not None else self.tier


def build_rows(dishes: Iterable[Dish]) -> list[PriorRow]:
    """One row per dish: the reviewed entry when there is one, else the rule."""
    rows = []
    for dish in dishes:
        if dish.name in REVIEWED:
            tier, meals, sources = REVIEWED[dish.name]
            rows.append(PriorRow(dish.name, tier, dict(meals), sources))
        else:
            rows.append(PriorRow(dish.name, rule_tier(dish), {}, ("rule",)))
    return rows


def write_csv(rows: Iterable[PriorRow], path: Path = POPULARITY_CSV) -> None:
    """The data file: a header comment block naming every source, then ``dish,tier,아침,점심,저녁,야식,sources``."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("# mechuri population prior: how commonly each dish is eaten in Korea, per meal.\n")
        handle.write("# Tiers: everyday > common > occasional > rare; an empty meal column means the row's tier.\n")
        handle.write("# Regenerate: python -m mechuri.knowledge.popularity (reviewed list + rule in popularity.py).\n")
        for key, text in SOURCES.items():
            handle.write(f"# source {key}: {text}\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["dish", "tier", *PRIOR_MEALS, "sources"])
        for row in rows:
            writer.writerow([row.name, row.tier, *(row.meals.get(m, "") for m in PRIOR_MEALS), "|".join(row.sources)])


class Popularity:
    """The prior as loaded: tier and weight of a dish at a meal (unknown dishes count as ``occasional``)."""

    def __init__(self, rows: Iterable[PriorRow]) -> None:
        self.rows = {row.name: row for row in rows}

    def tier(self, name: str, meal: str | None = None) -> str:
        row = self.rows.get(name)
        return row.tier_at(meal) if row is not None else "occasional"

    def weight(self, name: str, meal: str | None = None) -> float:
        return TIER_WEIGHTS[self.tier(name, meal)]

    def familiar(self, name: str, meal: str | None = None) -> bool:
        return self.tier(name, meal) in FAMILIAR_TIERS


def read_csv(path: Path = POPULARITY_CSV) -> list[PriorRow]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    rows = []
    for record in csv.DictReader(lines):
        tier = record["tier"]
        meals = {meal: record[meal] for meal in PRIOR_MEALS if record.get(meal)}
        for value in (tier, *meals.values()):
            if value not in TIER_WEIGHTS:
                raise ValueError(f"{path.name}: {record['dish']}: unknown tier {value!r}")
        rows.append(PriorRow(record["dish"], tier, meals, tuple(record["sources"].split("|"))))
    return rows


@lru_cache(maxsize=1)
def load_popularity() -> Popularity:
    """The prior shipped with mechuri, read once per process."""
    return Popularity(read_csv())


if __name__ == "__main__":  # pragma: no cover - regenerates the data file
    write_csv(build_rows(load_food_table()))
    print(f"wrote {POPULARITY_CSV}")
