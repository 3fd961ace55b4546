"""The MFDS dish database (식약처 전국통합식품영양성분정보(음식)표준데이터) and how the food table maps onto it.

Three pieces, all offline:

* ``read_mfds_csv`` reads the file as published: the original Korean column names (``식품코드``,
  ``에너지(kcal)`` …), or the ``english|한국어`` headers of a copy that carries both.
* ``MAPPING_PATH`` is the reviewed mapping, one row per dish of the food table that has an MFDS
  counterpart: the MFDS code(s), the origin chosen and why. ``propose_mapping`` writes candidate rows for
  a new release or new dishes; a person reviews them before they go into the mapping.
* ``import_mfds`` checks the mapped rows (energy against 4·C+4·P+9·F, implausible calculated rows),
  writes the compact subset the product ships (``SUBSET_PATH``, with its citation) and measures how far
  the food table is from it (``Agreement``).

The product never reads the published file at run time: only the subset in the package.
"""

from __future__ import annotations

import csv
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mechuri.knowledge.foods import Dish, FoodTable

DATA_DIR = Path(__file__).parent / "data"
MAPPING_PATH = DATA_DIR / "mfds_mapping.csv"
SUBSET_PATH = DATA_DIR / "mfds_dishes.csv"

CITATION = ("식품의약품안전처, 전국통합식품영양성분정보(음식)표준데이터, 공공데이터포털, "
            "데이터기준일자 2023-12-27")
RELEASE = "2023-12-27"

# Origins, best first (the first character of the code after ``D``): laboratory analyses of restaurant
# then home-style dishes, then the rows calculated from recipes (외식, then school and workplace meals).
ORIGIN_RANK = {"3": 0, "1": 1, "4": 2, "7": 3, "6": 4, "5": 5, "2": 9}
ORIGIN_LABEL = {"3": "외식(분석함량)", "1": "가정식(분석 함량)", "4": "외식(산출)", "5": "초등급식(산출)",
                "6": "중고등급식(산출)", "7": "산업체급식(산출)", "2": "프랜차이즈"}
ANALYSED = ("3", "1")

NUTRIENTS = ("kcal", "carbohydrate_g", "sugar_g", "protein_g", "fat_g", "saturated_fat_g", "fiber_g",
             "sodium_mg")
# Korean column names of the published file, per field of ``MfdsRow``.
COLUMNS = {
    "code": "식품코드", "name": "식품명", "origin_name": "식품기원명", "group_code": "식품대분류코드",
    "group": "식품대분류명", "representative": "대표식품명", "basis": "영양성분함량기준량",
    "kcal": "에너지(kcal)", "carbohydrate_g": "탄수화물(g)", "sugar_g": "당류(g)", "protein_g": "단백질(g)",
    "fat_g": "지방(g)", "saturated_fat_g": "포화지방산(g)", "fiber_g": "식이섬유(g)", "sodium_mg": "나트륨(mg)",
    "food_weight": "식품중량", "company": "업체명", "reference_date": "데이터기준일자",
}
REQUIRED = ("code", "name", "basis", "kcal", "protein_g", "sodium_mg")

# Food groups (식품대분류코드) whose dishes are solid: a calculated row of one of them under this many
# kcal per 100 is not a real dish (전어구이 33 kcal/100 ml, 꽁치구이 80 kcal/100 ml in the 2023 release).
# Vegetable dishes (나물, 볶음, 찜) can be that light; grilled, pan-fried and deep-fried dishes cannot.
SOLID_MIN_KCAL = {"01": 90.0, "03": 70.0, "08": 100.0, "09": 120.0, "12": 150.0}


class MfdsError(ValueError):
    """The file is not the MFDS dish table (a required column is missing)."""


@dataclass(frozen=True)
class MfdsRow:
    """One MFDS dish, nutrients per 100 g (or 100 ml); ``None`` where the file reports nothing."""

    code: str
    name: str
    origin: str  # the origin code, "1".."7"
    group_code: str
    representative: str
    basis: str
    food_weight: str
    company: str
    nutrients: dict[str, float | None]

    @property
    def analysed(self) -> bool:
        return self.origin in ANALYSED

    @property
    def origin_label(self) -> str:
        return ORIGIN_LABEL.get(self.origin, self.origin)

    @property
    def portion_g(self) -> float | None:
        """The published 식품중량 in grams when it looks like a real portion, else None (``100g`` is the
        amount analysed, not a portion; ml and cut-off values are not trusted)."""
        text = self.food_weight.strip()
        if not text.endswith("g") or text.endswith("mg"):
            return None
        try:
            grams = float(text[:-1])
        except ValueError:
            return None
        return grams if 30 <= grams <= 1500 and grams != 100 else None


def _header_key(header: str) -> str:
    """``energy_kcal|에너지(kcal)`` → ``에너지(kcal)``; a plain Korean header stays as it is."""
    return header.split("|")[-1].strip().lstrip("\ufeff")


def _number(text: str | None) -> float | None:
    text = (text or "").strip().replace(",", "")
    if not text or text in ("-", "해당없음"):
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _origin_of(code: str) -> str:
    return code[1] if len(code) > 1 and code[0] == "D" else ""


def read_mfds_csv(path: Path) -> list[MfdsRow]:
    """Every row of an MFDS dish file (UTF-8 or the CP949 of the official download)."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp949"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise MfdsError(f"{path.name}: neither UTF-8 nor CP949")
    reader = csv.reader(text.splitlines())
    header = [_header_key(column) for column in next(reader, [])]
    index = {name: position for position, name in enumerate(header)}
    missing = [COLUMNS[key] for key in REQUIRED if COLUMNS[key] not in index]
    if missing:
        raise MfdsError(f"{path.name}: not the MFDS dish table, missing columns {missing}")

    def cell(values: list[str], key: str) -> str:
        position = index.get(COLUMNS[key])
        return values[position].strip() if position is not None and position < len(values) else ""

    rows = []
    for values in reader:
        if not values:
            continue
        code = cell(values, "code")
        rows.append(MfdsRow(
            code=code, name=cell(values, "name"), origin=_origin_of(code),
            group_code=cell(values, "group_code") or code[2:4], representative=cell(values, "representative"),
            basis=cell(values, "basis"), food_weight=cell(values, "food_weight"), company=cell(values, "company"),
            nutrients={key: _number(cell(values, key)) for key in NUTRIENTS}))
    return rows


def row_problems(row: MfdsRow) -> list[str]:
    """Why a row cannot be used (empty when it can): the table's energy rule and implausible values."""
    n = row.nutrients
    problems = []
    if n["kcal"] is None or n["protein_g"] is None or n["sodium_mg"] is None:
        problems.append("열량·단백질·나트륨 중 빈 값")
        return problems
    if None not in (n["carbohydrate_g"], n["fat_g"]):
        computed = 4 * n["carbohydrate_g"] + 4 * n["protein_g"] + 9 * n["fat_g"]  # type: ignore[operator]
        tolerance = max(0.15 * n["kcal"], 15.0)
        if abs(n["kcal"] - computed) > tolerance:
            problems.append(f"열량 {n['kcal']:g} vs 4C+4P+9F {computed:.0f} (허용 {tolerance:.0f})")
    if not row.analysed and row.origin != "2" and row.group_code in SOLID_MIN_KCAL:
        floor = SOLID_MIN_KCAL[row.group_code]
        if n["kcal"] < floor:
            problems.append(f"산출값 {n['kcal']:g} kcal/{row.basis}: 고형 음식으로 불가능 (하한 {floor:g})")
    if n["protein_g"] > 60 or (n["fat_g"] or 0) > 100:
        problems.append("100 g당 단백질·지방이 불가능한 값")
    return problems


# ---------------------------------------------------------------------------------------------- mapping

MAPPING_FIELDS = ("dish", "codes", "origin", "serving_g", "reason")


@dataclass(frozen=True)
class MappingRow:
    """One reviewed pairing: a food-table dish, the MFDS code(s) whose median it takes, and why.

    ``grams`` (one per code, from ``CODE*200`` in the file) makes the dish a plate of several MFDS dishes
    instead of a median: 돈가스 정식 = 돈가스 200 g + 쌀밥 210 g + 양배추 샐러드 40 g, its values per 100 g
    the weighted mean of the parts. Used where the table's serving is a set the MFDS row is only part of."""

    dish: str
    codes: tuple[str, ...]
    origin: str
    reason: str
    serving_g: float | None = None  # the portion the table's serving stands for, when not its serving_g
    grams: tuple[float, ...] = ()


def _code_and_grams(token: str) -> tuple[str, float | None]:
    code, _, grams = token.partition("*")
    return code.strip(), _number(grams)


def read_mapping(path: Path = MAPPING_PATH) -> list[MappingRow]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(line for line in handle if not line.startswith("#"))]
    pairings = []
    for row in rows:
        parts = [_code_and_grams(token) for token in row["codes"].split("|") if token.strip()]
        grams = tuple(g for _, g in parts if g is not None)
        pairings.append(MappingRow(row["dish"].strip(), tuple(code for code, _ in parts), row["origin"].strip(),
                                   (row.get("reason") or "").strip(), _number(row.get("serving_g")),
                                   grams if len(grams) == len(parts) else ()))
    return pairings


def write_mapping(rows: Iterable[MappingRow], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(f"# 식약처 음식 DB 대응표 (기준일 {RELEASE}): 음식 표의 요리 → MFDS 식품코드, 고른 기원과 이유. "
                     "코드*g는 여러 음식을 담은 한 상(정식)의 구성\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(MAPPING_FIELDS)
        for row in rows:
            codes = [f"{code}*{grams:g}" for code, grams in zip(row.codes, row.grams, strict=True)] if row.grams else row.codes
            writer.writerow((row.dish, "|".join(codes), row.origin,
                             "" if row.serving_g is None else f"{row.serving_g:g}", row.reason))


# Official spellings the MFDS names use for what people (and the food table) write otherwise.
SPELLINGS = (("짜장", "자장"), ("계란", "달걀"), ("쇠고기", "소고기"), ("돈가스", "돈까스"), ("돈까스", "돈가스"),
             ("순댓국", "순대국"), ("김칫국", "김치국"), ("북엇국", "북어국"), ("콩나물국밥", "콩나물국밥"),
             ("육개장", "육개장"), ("떡볶기", "떡볶이"), ("찌게", "찌개"), ("까스", "가스"), ("햄버거", "버거"))


def _variants(word: str) -> list[str]:
    words = [word.replace(" ", "")]
    for wrong, official in SPELLINGS:
        for current in list(words):
            if wrong in current:
                words.append(current.replace(wrong, official))
    return list(dict.fromkeys(words))


def _named_variants(rows: list[MfdsRow], words: Sequence[str]) -> list[MfdsRow]:
    """Of several variants (``스파게티_토마토소스``, ``스파게티_크림소스`` …), those whose detail the dish's
    name spells out (토마토스파게티 → 토마토); all of them when none does."""
    if len(rows) < 2:
        return rows
    named = []
    for row in rows:
        details = [part.replace("소스", "").replace("만", "") for part in row.name.split("_")[1:]]
        if any(detail and detail in word for detail in details for word in words):
            named.append(row)
    return named or rows


def propose_mapping(table: FoodTable, rows: Sequence[MfdsRow], *, skip: Iterable[str] = ()) -> list[MappingRow]:
    """Candidate pairings by name for the dishes not in ``skip``: an MFDS row named exactly like the dish
    (or an alias, in the official spelling), else the variants of that representative dish
    (``김치찌개_돼지고기`` …); the best origin that passes the checks, analysed before calculated.
    Brand rows are never proposed. A person reviews every proposal before it enters the mapping."""
    usable = [row for row in rows if row.origin in ORIGIN_RANK and row.origin != "2" and not row_problems(row)
              and "간편조리세트" not in row.name]
    by_name: dict[str, list[MfdsRow]] = {}
    by_representative: dict[str, list[MfdsRow]] = {}
    for row in usable:
        by_name.setdefault(row.name.replace(" ", ""), []).append(row)
        last = row.name.split("_")[-1].replace(" ", "")
        if "_" in row.name and row.representative and row.representative in last:  # 국수_잔치국수 is 잔치국수
            by_name.setdefault(last, []).append(row)
        by_representative.setdefault(row.representative.replace(" ", ""), []).append(row)
    skipped = set(skip)
    proposals = []
    for dish in table:
        if dish.name in skipped:
            continue
        words = [variant for word in (dish.name, *dish.aliases) for variant in _variants(word)]
        found: list[MfdsRow] = []
        how = ""
        for word in words:
            if word in by_name:
                found, how = by_name[word], f"이름 일치 '{word}'"
                break
        if not found:
            for word in words:
                if word in by_representative:
                    found, how = by_representative[word], f"대표식품명 '{word}'의 세부 음식 중앙값"
                    break
        if not found:
            continue
        best = min(ORIGIN_RANK[row.origin] for row in found)
        chosen = _named_variants([row for row in found if ORIGIN_RANK[row.origin] == best], words)
        origin = chosen[0].origin_label
        reason = f"{how}; {origin}" + ("" if chosen[0].analysed else " (분석값 없음)")
        proposals.append(MappingRow(dish.name, tuple(row.code for row in chosen), origin, reason))
    return proposals


# ----------------------------------------------------------------------------------------------- import

SUBSET_FIELDS = ("code", "name", "origin", "basis", "food_weight", *NUTRIENTS)


@dataclass(frozen=True)
class MfdsValues:
    """What the product keeps for one mapped dish: per-100 g values, the codes and names they come from."""

    dish: str
    codes: tuple[str, ...]
    names: tuple[str, ...]
    origin: str
    per100: dict[str, float | None]
    portion_g: float | None
    grams: tuple[float, ...] = ()

    @property
    def source(self) -> str:
        if self.grams:
            plate = " + ".join(f"{name} {grams:g} g" for name, grams in zip(self.names, self.grams, strict=True))
            return f"식약처 음식DB {RELEASE} {self.codes[0]} 외 구성: {plate} ({self.origin})"
        label = self.names[0] if len(self.names) == 1 else f"{self.names[0]} 외 {len(self.names) - 1}종 중앙값"
        return f"식약처 음식DB {RELEASE} {self.codes[0]} {label} ({self.origin})"


def _median(values: list[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return statistics.median(present) if present else None


def _weighted(values: list[float | None], grams: Sequence[float]) -> float | None:
    if any(value is None for value in values):
        return None  # a part that does not report the nutrient: the plate's value is unknown
    return sum(value * weight for value, weight in zip(values, grams, strict=True)) / sum(grams)  # type: ignore[operator]


def combine(dish: str, rows: Sequence[MfdsRow], origin: str, grams: Sequence[float] = ()) -> MfdsValues:
    """The median of each nutrient over the mapped rows (one row: its values), or with ``grams`` the plate
    made of them: per 100 g, the mean weighted by each part's grams."""
    if grams:
        per100 = {key: _weighted([row.nutrients[key] for row in rows], grams) for key in NUTRIENTS}
        return MfdsValues(dish, tuple(row.code for row in rows), tuple(row.name for row in rows), origin, per100,
                          float(sum(grams)), tuple(grams))
    per100 = {key: _median([row.nutrients[key] for row in rows]) for key in NUTRIENTS}
    portions = [row.portion_g for row in rows if row.portion_g]
    return MfdsValues(dish, tuple(row.code for row in rows), tuple(row.name for row in rows), origin, per100,
                      statistics.median(portions) if portions else None)


@dataclass
class Agreement:
    """How the food table compares with the mapped MFDS rows, per 100 g."""

    table_rows: int = 0
    mapped: int = 0
    analysed: int = 0
    rejected: list[tuple[str, str, str]] = field(default_factory=list)  # (dish, code, reason)
    errors: dict[str, list[float]] = field(default_factory=dict)  # nutrient -> relative errors
    analysed_errors: dict[str, list[float]] = field(default_factory=dict)
    far: list[tuple[str, str, float]] = field(default_factory=list)  # (dish, nutrient, project/MFDS)

    def add(self, dish: Dish, values: MfdsValues, analysed: bool, serving_g: float | None = None) -> None:
        self.mapped += 1
        self.analysed += analysed
        for key in ("kcal", "sodium_mg", "protein_g"):
            reference = values.per100[key]
            if not reference:
                continue
            ours = getattr(dish, key) / (serving_g or dish.serving_g) * 100
            error = abs(ours - reference) / reference
            self.errors.setdefault(key, []).append(error)
            if analysed:
                self.analysed_errors.setdefault(key, []).append(error)
            if error > 0.5 and key != "protein_g":
                self.far.append((dish.name, key, ours / reference))

    def summary(self) -> list[dict[str, object]]:
        lines = []
        for label, errors in (("매칭 전체", self.errors), ("분석값(외식·가정식)", self.analysed_errors)):
            kcal = errors.get("kcal", [])
            sodium = errors.get("sodium_mg", [])
            protein = errors.get("protein_g", [])
            lines.append({
                "rows": label, "dishes": len(kcal),
                "kcal_median_error": _pct(statistics.median(kcal)) if kcal else None,
                "sodium_median_error": _pct(statistics.median(sodium)) if sodium else None,
                "protein_median_error": _pct(statistics.median(protein)) if protein else None,
                "kcal_within_10": _share(kcal, 0.10), "sodium_within_15": _share(sodium, 0.15),
            })
        return lines


def _pct(value: float) -> float:
    return round(100 * value, 1)


def _share(errors: list[float], limit: float) -> float | None:
    return round(100 * sum(error <= limit for error in errors) / len(errors), 1) if errors else None


@dataclass
class ImportResult:
    values: list[MfdsValues]
    agreement: Agreement
    unknown_dishes: list[str]
    unknown_codes: list[str]


def import_mfds(rows: Sequence[MfdsRow], mapping: Sequence[MappingRow], table: FoodTable) -> ImportResult:
    """Check the mapped rows, combine them per dish and compare them with the food table."""
    by_code = {row.code: row for row in rows}
    agreement = Agreement(table_rows=len(table))
    values: list[MfdsValues] = []
    unknown_dishes: list[str] = []
    unknown_codes: list[str] = []
    for pairing in mapping:
        dish = table.get(pairing.dish)
        if dish is None:
            unknown_dishes.append(pairing.dish)
            continue
        good = []
        for code in pairing.codes:
            row = by_code.get(code)
            if row is None:
                unknown_codes.append(code)
                continue
            problems = row_problems(row) if row.origin != "2" else []
            if problems:
                agreement.rejected.append((dish.name, f"{code} {row.name}", "; ".join(problems)))
            else:
                good.append(row)
        if not good or (pairing.grams and len(good) < len(pairing.codes)):
            continue  # a plate missing one of its parts is not that plate
        combined = combine(dish.name, good, pairing.origin, pairing.grams)
        values.append(combined)
        agreement.add(dish, combined, analysed=all(row.analysed for row in good), serving_g=pairing.serving_g)
    return ImportResult(values, agreement, unknown_dishes, unknown_codes)


def write_subset(rows: Sequence[MfdsRow], values: Sequence[MfdsValues], path: Path = SUBSET_PATH) -> int:
    """The MFDS rows the mapping uses, per 100 g as published, with the citation on the first line."""
    used = {code for value in values for code in value.codes}
    chosen = [row for row in rows if row.code in used]
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(f"# 출처: {CITATION}. 값은 {RELEASE} 공개본 그대로(100 g 또는 100 ml당), 빈 칸은 미보고.\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(SUBSET_FIELDS)
        for row in sorted(chosen, key=lambda r: r.code):
            writer.writerow((row.code, row.name, row.origin_label, row.basis, row.food_weight,
                             *("" if row.nutrients[key] is None else f"{row.nutrients[key]:g}" for key in NUTRIENTS)))
    return len(chosen)


def read_subset(path: Path = SUBSET_PATH) -> list[MfdsRow]:
    """The shipped subset, read back as ``MfdsRow`` (what the product uses at run time)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(line for line in handle if not line.startswith("#"))
        return [MfdsRow(code=row["code"], name=row["name"], origin=_origin_of(row["code"]),
                        group_code=row["code"][2:4], representative=row["name"].split("_")[0],
                        basis=row["basis"], food_weight=row["food_weight"], company="",
                        nutrients={key: _number(row[key]) for key in NUTRIENTS}) for row in reader]
