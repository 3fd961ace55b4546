"""``mechuri food …`` and ``mechuri targets``: look dishes up and show nutrition targets."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from mechuri import units
from mechuri.cli.output import console, print_json
from mechuri.knowledge import default_lookup
from mechuri.knowledge.checks import check_dishes
from mechuri.knowledge.foods import FOODS_DIR, Dish, FoodTable, FoodTableError, load_food_table
from mechuri.knowledge.korean import particle
from mechuri.knowledge.mfds import (
    CITATION,
    MAPPING_PATH,
    SUBSET_PATH,
    MfdsError,
    import_mfds,
    propose_mapping,
    read_mapping,
    read_mfds_csv,
    row_problems,
    write_mapping,
    write_subset,
)
from mechuri.knowledge.mfds_apply import apply_values, estimated_share
from mechuri.knowledge.targets import age_from_birth_year, compute_targets
from mechuri.knowledge.vocab import NUTRIENT_FIELDS, NUTRIENT_LABELS, NUTRIENT_UNITS

food_app = typer.Typer(help="음식 표 조회: 검색, 영양 정보, 데이터 점검.", no_args_is_help=True)


def _format_amount(field: str, value: float) -> str:
    number = f"{value:,.0f}" if field in ("kcal", "sodium_mg") else f"{value:,.1f}"
    return f"{number} {NUTRIENT_UNITS[field]}"


@food_app.command("search")
def search(query: Annotated[str, typer.Argument(help="음식 이름, 카테고리, 태그 (예: 치킨, 국물, 중식)")],
           limit: Annotated[int, typer.Option(min=1, max=200, help="최대 개수")] = 20,
           as_json: Annotated[bool, typer.Option("--json", help="JSON 한 줄로 출력")] = False) -> None:
    """음식 검색 (이름·별칭·카테고리·태그, 오타 허용)."""
    dishes = default_lookup().search(query, limit=limit)
    if as_json:
        print_json([dish.to_dict() for dish in dishes])
        return
    if not dishes:
        console.print(f"'{query}'에 해당하는 음식을 찾지 못했어요.")
        raise typer.Exit(1)
    table = Table(title=f"'{query}' 검색 결과 {len(dishes)}개")
    for column in ("이름", "분류", "1회 제공량", "열량", "탄수화물", "단백질", "지방", "나트륨"):
        table.add_column(column, justify="left" if column in ("이름", "분류") else "right")
    for dish in dishes:
        table.add_row(dish.name, f"{dish.cuisine}·{dish.category}", f"{dish.serving_g:.0f} g",
                      *(_format_amount(f, getattr(dish, f)) for f in
                        ("kcal", "carbohydrate_g", "protein_g", "fat_g", "sodium_mg")))
    console.print(table)


def _print_dish(dish: Dish) -> None:
    table = Table(title=f"{dish.name} — 1인분 {dish.serving_g:.0f} g 기준", show_header=False)
    table.add_column("항목")
    table.add_column("값")
    for field in NUTRIENT_FIELDS:
        table.add_row(NUTRIENT_LABELS[field], _format_amount(field, getattr(dish, field)))
    table.add_row("분류", f"{dish.cuisine} · {dish.category}")
    table.add_row("어울리는 끼니", ", ".join(dish.meals))
    table.add_row("특징", ", ".join(dish.tags) or "-")
    table.add_row("주재료", ", ".join(dish.ingredients))
    table.add_row("알레르기 유발", ", ".join(dish.allergens) or "표시 대상 없음")
    if dish.aliases:
        table.add_row("다른 이름", ", ".join(dish.aliases))
    table.add_row("출처", dish.source + (" (추정치)" if dish.estimated else ""))
    console.print(table)


@food_app.command("show")
def show(name: Annotated[str, typer.Argument(help="음식 이름 (오타·띄어쓰기 허용)")],
         as_json: Annotated[bool, typer.Option("--json", help="JSON 한 줄로 출력")] = False) -> None:
    """한 음식의 1인분 영양 정보."""
    result = default_lookup().resolve(name)
    if as_json:
        print_json({"query": name, "found": result.found, "match": result.match,
                    "dish": result.dish.to_dict() if result.dish else None,
                    "suggestions": list(result.suggestions)})
        if not result.found:
            raise typer.Exit(1)
        return
    if result.dish is None:
        hint = f" 혹시 {', '.join(result.suggestions)} 중에 있을까요?" if result.suggestions else ""
        console.print(f"'{name}'{particle(name, '은/는')} 음식 표에 없어요.{hint}")
        raise typer.Exit(1)
    if result.match == "fuzzy":
        console.print(f"'{name}' → '{result.dish.name}'{particle(result.dish.name, '으로/로')} 찾았어요.")
    _print_dish(result.dish)


@food_app.command("check")
def check(folder: Annotated[Path, typer.Option(help="CSV 조각이 든 폴더")] = FOODS_DIR) -> None:
    """음식 표 데이터 점검 (열량 계산, 범위, 어휘, 알레르기, 중복)."""
    try:
        table = FoodTable.from_dir(folder)
    except FoodTableError as exc:
        console.print(f"읽을 수 없어요: {exc}")
        raise typer.Exit(2) from exc
    problems = check_dishes(table)
    for problem in problems:
        typer.echo(str(problem))
    console.print(f"{len(table)}개 음식, 문제 {len(problems)}건")
    if problems:
        raise typer.Exit(1)


@food_app.command("import-mfds")
def import_mfds_command(
    csv_path: Annotated[Path, typer.Argument(help="식약처 음식 DB CSV (공개본 그대로, 한국어 또는 english|한국어 헤더)",
                                             exists=True, dir_okay=False)],
    mapping: Annotated[Path, typer.Option(help="검토된 대응표 (요리 → 식품코드)")] = MAPPING_PATH,
    out: Annotated[Path, typer.Option(help="제품에 넣을 100 g당 값 (인용 포함)")] = SUBSET_PATH,
    propose: Annotated[Path | None, typer.Option(help="대응표에 없는 요리의 후보를 이 파일에 (검토용)")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="파일을 쓰지 않고 수치만")] = False,
    apply: Annotated[bool, typer.Option("--apply", help="대응된 요리의 음식 표 값을 식약처 값으로 바꿔 씀 (1회 제공량 유지)")] = False,
    foods: Annotated[Path, typer.Option(help="음식 표 CSV 조각 폴더 (--apply가 고쳐 씀)")] = FOODS_DIR,
    as_json: Annotated[bool, typer.Option("--json", help="JSON 한 줄로 출력")] = False,
) -> None:
    """식약처 음식 DB를 읽어 대응표의 요리 값을 점검·추출하고 음식 표와의 일치도를 보고."""
    try:
        rows = read_mfds_csv(csv_path)
    except MfdsError as exc:
        console.print(f"읽을 수 없어요: {exc}")
        raise typer.Exit(2) from exc
    table = load_food_table() if foods == FOODS_DIR else FoodTable.from_dir(foods)
    pairings = read_mapping(mapping)
    result = import_mfds(rows, pairings, table)
    failing = sum(1 for row in rows if row.origin != "2" and row_problems(row))
    written = 0 if dry_run else write_subset(rows, result.values, out)
    applied = apply_values(result.values, pairings, foods, write=apply and not dry_run)
    proposals = []
    if propose is not None:
        proposals = propose_mapping(table, rows, skip={pairing.dish for pairing in pairings})
        write_mapping(proposals, propose)
    summary = result.agreement.summary()
    if as_json:
        print_json({"rows": len(rows), "rows_failing_checks": failing, "mapped": len(result.values),
                    "table_rows": len(table), "subset_rows": written, "summary": summary,
                    "rejected": [list(item) for item in result.agreement.rejected],
                    "unknown_dishes": result.unknown_dishes, "unknown_codes": result.unknown_codes,
                    "proposed": len(proposals), "citation": CITATION, "applied": apply and not dry_run,
                    "mfds_based": len(applied.applied) + applied.already, "estimated": applied.estimated,
                    "estimated_share": estimated_share(applied.rows, applied.estimated),
                    "kept_estimates": [list(item) for item in applied.kept],
                    "dropped_tags": [list(item) for item in applied.dropped_tags]})
        return
    console.print(f"{csv_path.name}: {len(rows):,}행 (비브랜드 중 점검 탈락 {failing}행)")
    console.print(f"대응표 {len(pairings)}개 → 값 {len(result.values)}개 / 음식 표 {len(table)}개 "
                  f"({100 * len(result.values) / len(table):.0f} %)")
    report = Table(title="음식 표 vs 식약처 (100 g당)")
    for column in ("행", "요리", "열량 오차 중앙값", "나트륨 오차 중앙값", "단백질 오차 중앙값",
                   "열량 10 % 이내", "나트륨 15 % 이내"):
        report.add_column(column, justify="left" if column == "행" else "right")
    for line in summary:
        report.add_row(str(line["rows"]), str(line["dishes"]), *(f"{line[key]} %" for key in (
            "kcal_median_error", "sodium_median_error", "protein_median_error", "kcal_within_10",
            "sodium_within_15")))
    console.print(report)
    for dish, code, reason in result.agreement.rejected:
        typer.echo(f"탈락: {dish} ← {code}: {reason}")
    for name in result.unknown_dishes:
        typer.echo(f"대응표의 요리가 음식 표에 없음: {name}")
    for code in result.unknown_codes:
        typer.echo(f"대응표의 식품코드가 파일에 없음: {code}")
    for dish, why in applied.kept:
        typer.echo(f"추정값 유지: {dish}: {why}")
    verb = "바꿈" if apply and not dry_run else "바꿀 수 있음 (--apply로 기록)"
    console.print(f"음식 표 {applied.rows}행 중 식약처 값 {len(applied.applied) + applied.already}행 {verb}, "
                  f"추정 {applied.estimated}행 ({estimated_share(applied.rows, applied.estimated)} %)"
                  + (f", 태그 {len(applied.dropped_tags)}개 해제" if applied.dropped_tags else ""))
    if not dry_run:
        console.print(f"{out}: {written}행 기록 (출처: {CITATION})")
    if propose is not None:
        console.print(f"{propose}: 후보 {len(proposals)}개 (검토 후 대응표에 옮기세요)")
    if result.unknown_dishes or result.unknown_codes:
        raise typer.Exit(1)


def targets_command(
    sex: Annotated[str, typer.Option("--sex", help="M 또는 F")],
    age: Annotated[int | None, typer.Option(help="만 나이")] = None,
    birth_year: Annotated[int | None, typer.Option(help="출생 연도 (나이 대신)")] = None,
    height: Annotated[float | None, typer.Option(help="키 (cm)")] = None,
    weight: Annotated[float | None, typer.Option(help="몸무게 (kg)")] = None,
    activity: Annotated[str | None, typer.Option(help="sedentary | low | active | very_active")] = None,
    goal: Annotated[str, typer.Option(help="maintain | diet | bulk")] = "maintain",
    as_json: Annotated[bool, typer.Option("--json", help="JSON 한 줄로 출력")] = False,
) -> None:
    """2020 한국인 영양소 섭취기준에 따른 하루 영양 목표."""
    if age is None and birth_year is None:
        raise typer.BadParameter("--age 또는 --birth-year 중 하나가 필요해요.")
    if age is None and birth_year is not None:
        age = age_from_birth_year(birth_year, date.today())
    try:
        targets = compute_targets(sex.upper(), age, height_cm=height, weight_kg=weight,  # type: ignore[arg-type]
                                  activity=activity, goal=goal)  # type: ignore[arg-type]
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    if as_json:
        print_json(asdict(targets))
        return
    table = Table(title=f"하루 영양 목표 — {targets.basis}", show_header=False)
    table.add_column("항목")
    table.add_column("목표")
    # written as the web page and the replies write them (mechuri.units): 「2,000kcal」, 「275–325g」
    table.add_row("열량", units.amount(targets.kcal, "kcal"))
    table.add_row("탄수화물", units.amount_range(targets.carbohydrate_g.min, targets.carbohydrate_g.max, "g"))
    table.add_row("단백질", units.amount_range(targets.protein_g.min, targets.protein_g.max, "g"))
    table.add_row("지방", units.amount_range(targets.fat_g.min, targets.fat_g.max, "g"))
    table.add_row("나트륨", f"{units.amount(targets.sodium_mg_max, 'mg')} 이하")
    table.add_row("첨가당", f"{units.band_end(targets.added_sugar_max_g, 'g')} 미만")
    table.add_row("포화지방", f"{units.band_end(targets.saturated_fat_max_g, 'g')} 미만")
    table.add_row("식이섬유", units.band_end(targets.fiber_g, "g"))
    console.print(table)
