"""In a real browser, the 계정 tab: download my data, change my password (this tab stays logged in, with
the new CSRF token), and delete my account after confirming — every field reached by its label."""

from __future__ import annotations

import json
from pathlib import Path

from test_browser import PASSWORD, say, sign_up

NEW_PASSWORD = "bossam-on-fridays"


def test_the_account_tab_exports_changes_the_password_and_deletes(page, server, screenshot):
    sign_up(page, server, "e2e_account", "계정")
    say(page, "새우 알레르기 있어")
    page.get_by_role("tab", name="계정").click()

    with page.expect_download() as download:
        page.get_by_role("link", name="내 데이터 내려받기 (JSON)").click()
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert exported["user"]["username"] == "e2e_account"
    assert any(row["value"] == "새우" for row in exported["tables"]["user_preferences"])

    form = page.locator("#password-form")
    form.get_by_label("지금 비밀번호").fill("not-my-password")
    form.get_by_label("새 비밀번호", exact=True).fill(NEW_PASSWORD)
    form.get_by_label("새 비밀번호 확인").fill(NEW_PASSWORD)
    form.get_by_role("button", name="비밀번호 바꾸기").click()
    assert form.get_by_role("alert").inner_text() == "지금 비밀번호가 맞지 않아요."
    assert page.evaluate("document.activeElement.name") == "current_password"  # focus on the field to fix
    form.get_by_label("지금 비밀번호").fill(PASSWORD)
    form.get_by_role("button", name="비밀번호 바꾸기").click()
    form.get_by_role("status").filter(has_text="비밀번호를 바꿨어요").wait_for()
    screenshot(page, "account")

    say(page, "점심 추천해줘")  # still logged in here, and the new CSRF token is the one sent

    delete = page.locator("#delete-form")
    delete.get_by_label("비밀번호 확인").fill(NEW_PASSWORD)
    delete.get_by_role("button", name="계정 삭제").click()
    assert "확인란" in delete.get_by_role("alert").inner_text()
    delete.get_by_label("모든 데이터가 지워지는 것을 이해했어요").check()
    delete.get_by_role("button", name="계정 삭제").click()
    page.wait_for_url(server + "/")
    form = page.locator("#login-form")
    form.get_by_label("아이디").fill("e2e_account")
    form.get_by_label("비밀번호").fill(NEW_PASSWORD)
    form.get_by_role("button", name="로그인").click()
    assert form.get_by_role("alert").inner_text() == "아이디 또는 비밀번호가 맞지 않아요."
    assert not page.dialogs
