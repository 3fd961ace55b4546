"""In a real browser, the features people expect from a diet app (issue 16): correcting a logged meal, the
weekly report, searching and clearing the chat and a fresh conversation view, copy buttons, sharing a plan
(text, .ics, image) and the installable app with its offline page."""

from __future__ import annotations

import struct
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from test_browser import say, sign_up

from calendar_file import parse_ics
from mechuri.knowledge import load_food_table

TABLE = load_food_table()


@pytest.fixture
def clip_page(browser):
    """A laptop-sized page that may use the clipboard (as a person's browser asks them once)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ko-KR", timezone_id="Asia/Seoul",
                                  permissions=["clipboard-read", "clipboard-write"])
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("dialog", lambda dialog: (page.errors.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def _clipboard(page) -> str:
    return page.evaluate("navigator.clipboard.readText()")


def _csrf(page) -> str:
    return page.locator('meta[name="csrf-token"]').get_attribute("content")


def _log(page, server: str, meal: str, names: list[str], back: int = 0) -> None:
    day = (datetime.now(ZoneInfo("Asia/Seoul")).date() - timedelta(days=back)).isoformat()
    response = page.request.post(server + "/api/meals", headers={"X-CSRF-Token": _csrf(page)},
                                 data={"meal": meal, "items": [{"name": n} for n in names], "date": day})
    assert response.status == 201, response.text()


def test_a_logged_meal_is_corrected_in_the_today_tab(clip_page, server):
    page = clip_page
    sign_up(page, server, "e2e_edit", "수정")
    _log(page, server, "점심", ["김치찌개"])
    page.reload()
    page.get_by_role("tab", name="오늘").click()
    row = page.locator("#today-meals li", has_text="김치찌개")
    row.wait_for()
    row.get_by_role("button", name="김치찌개 수정").click()
    form = page.get_by_role("form", name="김치찌개 수정")
    form.get_by_label("인분").fill("2")
    form.get_by_label("끼니").select_option("저녁")
    now = datetime.now(ZoneInfo("Asia/Seoul"))
    when = max(now - timedelta(minutes=5), now.replace(hour=0, minute=0))  # earlier today: never the future
    form.get_by_label("시각").fill(when.strftime("%H:%M"))
    with page.expect_response("**/api/meals/*") as edited:
        form.get_by_role("button", name="저장").click()
    assert edited.value.status == 200, edited.value.text()
    meal = edited.value.json()["meal"]
    assert meal["eaten_at"][11:16] == when.strftime("%H:%M") and meal["servings"] == 2
    page.locator("#today-meals li", has_text="저녁 · 김치찌개 ×2").wait_for()
    kcal = TABLE["김치찌개"].nutrition(2)["kcal"]
    assert f"{kcal:,.0f}kcal" in page.locator("#today-meals li").first.inner_text()
    page.locator("#today-status", has_text="고쳤어요").wait_for()

    # a refused edit says why, in the form
    page.get_by_role("button", name="김치찌개 수정").click()
    form.get_by_label("인분").fill("25")
    form.get_by_role("button", name="저장").click()
    assert "0.1–20" in form.get_by_role("alert").inner_text()
    form.get_by_role("button", name="취소").click()
    page.locator("#today-meals li", has_text="저녁 · 김치찌개 ×2").wait_for()
    assert page.errors == []


def test_the_weekly_report_draws_seven_days_and_suggests_a_dish(clip_page, server, screenshot):
    page = clip_page
    sign_up(page, server, "e2e_week", "주간")
    for back in (1, 2, 3):
        _log(page, server, "점심", ["짬뽕"], back)
        _log(page, server, "저녁", ["비빔밥"], back)
    _log(page, server, "점심", ["비빔밥"], 4)
    _log(page, server, "저녁", ["닭가슴살샐러드"], 4)
    with page.expect_response("**/api/report/week") as loaded:
        page.get_by_role("tab", name="주간").click()
    report = loaded.value.json()
    charts = page.locator("#report svg.report-chart")
    charts.first.wait_for()
    assert charts.count() == 5
    sodium = page.locator('#report svg[data-nutrient="sodium_mg"]')
    assert sodium.locator("rect.day-bar").count() == 7
    assert sodium.locator("rect.day-bar.over").count() == 3 and sodium.locator("rect.day-bar.none").count() == 3
    assert sodium.get_attribute("role") == "img" and "나트륨" in sodium.locator("title").text_content()
    facts = page.locator("#report .report-facts").inner_text()
    assert "기록한 날 4일" in facts and "가장 잘 맞춘 날" in facts and "가장 벗어난 날" in facts
    suggestion = page.locator("#report .report-suggestion").inner_text()
    assert report["suggestion"]["dish"]["name"] in suggestion and report["suggestion"]["text"] in suggestion
    screenshot(page, "report")
    page.locator("#report details summary").click()
    assert page.locator("#report details tbody tr").count() == 7

    page.set_viewport_size({"width": 390, "height": 844})  # on a phone the report is in the 내 정보 sheet
    page.get_by_role("button", name="내 정보").click()
    assert page.locator('#report svg[data-nutrient="kcal"]').bounding_box()["width"] <= 390
    page.locator("#panel").evaluate("node => { node.scrollTop = 0; }")
    screenshot(page, "report-phone")
    assert page.errors == []


def test_search_jump_new_conversation_clear_and_copy_a_reply(clip_page, server):
    page = clip_page
    sign_up(page, server, "e2e_hist", "기록")
    say(page, "나 새우 알레르기 있어")
    turn = say(page, "점심 추천해줘")

    # copy a reply
    reply = page.locator("#messages .msg.assistant").last
    reply.get_by_role("button", name="답변 복사").click()
    reply.locator(".copy-status", has_text="복사했어요").wait_for()
    assert _clipboard(page) == turn["reply"]

    # a new conversation: the page starts empty, the old messages are one click away
    page.get_by_role("button", name="새 대화 시작 (이전 대화는 남아요)").click()
    page.locator("#empty").wait_for()
    assert page.locator("#messages .msg:not([hidden])").count() == 0
    say(page, "저녁 추천해줘")
    assert page.locator("#messages .msg:not([hidden])").count() == 2
    page.reload()
    page.locator("#fresh-divider").wait_for()
    assert page.locator("#messages .msg:not([hidden])").count() == 2
    page.get_by_role("button", name="이전 대화 보기").click()
    assert page.locator("#messages .msg:not([hidden])").count() == 6

    # search (on the server) and jump to the hit
    page.reload()
    page.get_by_role("button", name="대화 검색").click()
    page.get_by_label("대화에서 찾을 말").fill("새우")
    page.get_by_role("button", name="찾기").click()
    hits = page.locator(".search-hit")
    hits.first.wait_for()
    assert "2개 찾았어요" in page.locator(".search-status").inner_text()  # the message and the reply to it
    hit = hits.filter(has_text="나 새우 알레르기 있어")
    hit.click()
    found = page.locator("#messages .msg.found")
    found.wait_for()
    assert found.inner_text().startswith("나 새우 알레르기 있어") and found.is_visible()

    # clear, after a confirmation; the allergy learned from chat is kept
    page.get_by_role("button", name="기록 지우기").click()
    page.get_by_role("button", name="취소").click()
    assert page.locator("#messages .msg").count() == 6
    page.get_by_role("button", name="기록 지우기").click()
    with page.expect_response("**/api/messages") as cleared:
        page.get_by_role("button", name="모두 지우기").click()
    assert cleared.value.json()["deleted"] == 6
    page.locator(".history-status", has_text="6개를 지웠어요").wait_for()
    assert page.locator("#messages .msg").count() == 0 and page.locator("#empty").is_visible()
    page.locator("#pref-groups .pref", has_text="새우").wait_for()
    assert page.errors == []


def test_a_new_api_token_has_a_copy_button(clip_page, server):
    page = clip_page
    sign_up(page, server, "e2e_tokencopy", "토큰")
    page.get_by_role("tab", name="프로필").click()
    page.get_by_label("토큰 이름").fill("복사 테스트")
    page.get_by_role("button", name="만들기").click()
    secret = page.locator("#token-new code").inner_text()
    page.get_by_role("button", name="토큰 복사").click()
    page.locator("#token-new .copy-status", has_text="복사했어요").wait_for()
    assert _clipboard(page) == secret and secret.startswith("mch_")


def test_a_plan_is_shared_as_text_an_ics_calendar_and_an_image(clip_page, server):
    page = clip_page
    sign_up(page, server, "e2e_share", "공유")
    page.get_by_role("tab", name="식단").click()
    page.get_by_label("일주일").check()
    with page.expect_response("**/api/plan") as planned:
        page.get_by_role("button", name="식단 짜기").click()
    plan = planned.value.json()
    tools = page.get_by_role("group", name="식단 공유")
    tools.wait_for()

    tools.get_by_role("button", name="식단을 텍스트로 복사").click()
    tools.locator(".copy-status", has_text="복사했어요").wait_for()
    text = _clipboard(page)
    assert text.startswith("메추리 일주일 식단") and "7일차" in text
    for item in plan["plan"][0]["meals"]:
        assert item["name"] in text

    with page.expect_download() as got:
        tools.get_by_role("button", name="캘린더(.ics) 받기").click()
    assert got.value.suggested_filename == f"mechuri-plan-{plan['plan'][0]['date']}.ics"
    events = parse_ics(Path(got.value.path()).read_bytes())
    assert len(events) == sum(len({item["meal"] for item in day["meals"]}) for day in plan["plan"])
    assert events[0]["SUMMARY"].startswith("아침 · " + plan["plan"][0]["meals"][0]["name"])

    with page.expect_download() as got:
        tools.get_by_role("button", name="이미지로 저장").click()
    png = Path(got.value.path()).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width == 720 and height > 1000  # seven days of meals, one line each
    tools.locator(".share-status", has_text="PNG 파일을 받았어요").wait_for()

    # a chat plan card has the same tools
    say(page, "오늘 하루 식단 짜줘")
    card = page.locator("#messages .plan-card").last
    card.get_by_role("group", name="식단 공유").get_by_role("button", name="식단을 텍스트로 복사").click()
    card.locator(".copy-status", has_text="복사했어요").wait_for()
    assert _clipboard(page).startswith("메추리 하루 식단")
    assert page.errors == []


def test_the_app_installs_a_worker_that_shows_an_offline_page_and_never_caches_data(clip_page, server):
    page = clip_page
    sign_up(page, server, "e2e_pwa", "오프")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the worker
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    manifest = page.evaluate("fetch('/manifest.webmanifest').then((r) => r.json())")
    assert manifest["start_url"] == "/chat"
    page.get_by_role("tab", name="오늘").click()  # the API is used while online …
    page.locator("#today-chart .chart-row").first.wait_for()
    cached = page.evaluate("""async () => {
      const urls = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
      }
      return urls.sort();
    }""")
    assert cached == ["/offline", "/static/app.css", "/static/dark.css", "/static/favicon.svg"]  # … and nothing of it is stored

    page.context.set_offline(True)
    page.goto(server + "/chat")
    page.get_by_role("heading", name="지금은 오프라인이에요").wait_for()
    assert page.evaluate("fetch('/api/today').then(() => 'answered', () => 'failed')") == "failed"
    page.context.set_offline(False)
    page.get_by_role("link", name="다시 시도").click()
    page.wait_for_url("**/chat")
    page.locator("#who", has_text="오프").wait_for()
    assert page.errors == []
