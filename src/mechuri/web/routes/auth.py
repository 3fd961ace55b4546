"""Sign-up, log-in, log-out and "who am I": the only routes that set or clear the session cookie."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.exc import IntegrityError

from mechuri.web import accounts
from mechuri.web import strings as S
from mechuri.web.deps import CallerDep, CurrentUser, DbSession, client_ip, now, require_json, state
from mechuri.web.errors import ApiError
from mechuri.web.openapi import errors
from mechuri.web.schemas import AuthOut, LoginIn, SignupIn, UserOut
from mechuri.web.sessions import SESSION_COOKIE, SESSION_LIFETIME, end_session, start_session

router = APIRouter(prefix="/api/auth", tags=["auth"])


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    """HttpOnly, SameSite=Lax, and Secure whenever the browser reached us over HTTPS (directly or via a
    trusted proxy's X-Forwarded-Proto, which uvicorn applies to the request's scheme)."""
    response.set_cookie(SESSION_COOKIE, token, max_age=int(SESSION_LIFETIME.total_seconds()), path="/",
                        httponly=True, samesite="lax", secure=request.url.scheme == "https")


def clear_session_cookie(request: Request, response: Response) -> None:
    """Tell the browser to forget the session cookie (log-out, a deleted account)."""
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=request.url.scheme == "https")


def user_out(user) -> UserOut:
    return UserOut(id=user.id, username=user.username, display_name=user.display_name)


@router.post("/signup", status_code=201, response_model=AuthOut, dependencies=[Depends(require_json)],
             responses=errors(409, 429, e409="이미 사용 중인 아이디예요 (`username_taken`)."))
def signup(body: SignupIn, request: Request, response: Response, session: DbSession) -> AuthOut:
    """Create an account and log it in (username 3–32 characters, password 10–128, not a common one)."""
    try:
        user = accounts.register(session, body.username, body.password, body.display_name, client_ip(request),
                                 now(), state(request).settings.signup_limit_per_ip, state(request).db)
        token, info = start_session(session, user.id, now(), credentials_version=user.credentials_version,
                                    replacing=request.cookies.get(SESSION_COOKIE))
        session.commit()  # here, not after the route: the race below must be a 409, not a 500
    except IntegrityError as exc:  # two sign-ups for one name at the same moment
        raise ApiError(409, "username_taken", S.USERNAME_TAKEN) from exc
    set_session_cookie(request, response, token)
    return AuthOut(user=user_out(user), csrf_token=info.csrf_token)


@router.post("/login", response_model=AuthOut, dependencies=[Depends(require_json)],
             responses=errors(401, 429, e401="아이디 또는 비밀번호가 맞지 않아요 (`bad_credentials`)."))
def login(body: LoginIn, request: Request, response: Response, session: DbSession) -> AuthOut:
    """Log in; a new session token is issued every time (the old cookie, if any, is ended)."""
    user = accounts.authenticate(session, body.username, body.password, client_ip(request), now(),
                                 state(request).db)  # the attempt is counted (and committed) before the check
    if user is None:
        raise ApiError(401, "bad_credentials", S.BAD_CREDENTIALS)
    # the version read with the hash just checked: if a password change commits meanwhile, this session is dead
    token, info = start_session(session, user.id, now(), credentials_version=user.credentials_version,
                                replacing=request.cookies.get(SESSION_COOKIE))
    set_session_cookie(request, response, token)
    return AuthOut(user=user_out(user), csrf_token=info.csrf_token)


@router.post("/logout", status_code=204)
def logout(request: Request, response: Response, session: DbSession, who: CallerDep) -> None:
    """End this browser's session (CSRF token required, like every state-changing request)."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        end_session(session, token)
    clear_session_cookie(request, response)


@router.get("/me", response_model=AuthOut)
def me(user: CurrentUser, who: CallerDep) -> AuthOut:
    """The logged-in user and this session's CSRF token (empty for API-token callers, who need none)."""
    return AuthOut(user=user_out(user), csrf_token=who.session.csrf_token if who.session else "")
