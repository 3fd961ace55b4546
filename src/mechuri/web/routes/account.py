"""The account itself: download everything stored about me, change my password, delete my account
(개인정보 보호법의 열람·정정·삭제). The rules live in ``web.accounts`` and ``db.userdata``."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from mechuri.db import userdata
from mechuri.web import accounts
from mechuri.web import strings as S
from mechuri.web.deps import CallerDep, DbSession, client_ip, now, state
from mechuri.web.errors import ApiError
from mechuri.web.openapi import errors
from mechuri.web.routes.auth import clear_session_cookie, set_session_cookie, user_out
from mechuri.web.schemas import AccountDeleteIn, AuthOut, ExportOut, PasswordChangeIn
from mechuri.web.sessions import SESSION_COOKIE, start_session

router = APIRouter(prefix="/api/account", tags=["account"])


def _attachment(username: str, day: str) -> str:
    """``Content-Disposition`` for the export: an ASCII name for old clients, the real one (Hangul usernames
    included) in RFC 5987's ``filename*``."""
    name = f"mechuri-{username}-{day}.json"
    return f"attachment; filename=\"mechuri-export-{day}.json\"; filename*=UTF-8''{quote(name)}"


@router.get("/export", response_model=ExportOut)
def export(session: DbSession, who: CallerDep) -> Response:
    """Everything stored about you, as one JSON file: the account (no password hash), every message with its
    turn, preferences, meals, recommendations, taste events, sessions and API tokens (dates and names,
    never their secrets), and the meal plans made in chat."""
    moment = now()
    document = userdata.export_user(session, who.user_id, moment)
    if document is None:
        raise ApiError(401, "login_required", S.LOGIN_REQUIRED)
    return JSONResponse(document, headers={
        "Content-Disposition": _attachment(document["user"]["username"], moment.strftime("%Y%m%d"))})


@router.post("/password", response_model=AuthOut, responses=errors(
    403, 409, 429, e403="지금 비밀번호가 틀렸거나(`wrong_password`), API 토큰으로 요청했거나(`session_required`), "
                        "CSRF·출처 검사에 걸렸어요.",
    e409="비밀번호가 방금 다른 곳에서 바뀌었어요 (`credentials_changed`)."))
def change_password(body: PasswordChangeIn, request: Request, response: Response, session: DbSession,
                    who: CallerDep) -> AuthOut:
    """Change your password (the current one first). Every other browser session and every API token is
    signed out; this browser gets a new session cookie and CSRF token in the answer."""
    if who.via != "session":
        raise ApiError(403, "session_required", S.SESSION_REQUIRED)
    user = accounts.load_account(session, who.user_id)
    problem = accounts.password_problem(body.new_password, user.username)
    if problem:  # the new password's rules first: a typo there costs no attempt
        raise ApiError(422, "invalid_input", problem, details={"new_password": problem})
    user = accounts.confirm_password(session, state(request).db, who.user_id, body.current_password,
                                     client_ip(request), now())
    if body.new_password == body.current_password:
        raise ApiError(422, "invalid_input", S.PASSWORD_UNCHANGED, details={"new_password": S.PASSWORD_UNCHANGED})
    accounts.set_password(session, user, body.new_password)
    token, info = start_session(session, user.id, now(), credentials_version=user.credentials_version,
                                replacing=request.cookies.get(SESSION_COOKIE))
    set_session_cookie(request, response, token)
    return AuthOut(user=user_out(user), csrf_token=info.csrf_token)


@router.delete("", status_code=204, responses=errors(
    403, 429, e403="비밀번호가 틀렸거나(`wrong_password`) CSRF·출처 검사에 걸렸어요."))
def delete_account(body: AccountDeleteIn, request: Request, response: Response, session: DbSession,
                   who: CallerDep) -> None:
    """Delete your account and everything stored about you, for good (the password again first). Download
    the export before, if you want to keep anything."""
    user = accounts.confirm_password(session, state(request).db, who.user_id, body.password, client_ip(request),
                                     now())
    userdata.delete_user(session, user.id)
    clear_session_cookie(request, response)
