"""The caller's own data: preferences, profile, today's meals and API tokens.

Every query is scoped to the authenticated caller's user id; an id that belongs to someone else is
answered exactly like one that does not exist (404), so ids reveal nothing.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from mechuri.db import crud
from mechuri.knowledge import load_food_table
from mechuri.knowledge.lookup import default_lookup
from mechuri.memory import day_summary
from mechuri.web import apitokens, meals, preferences, profile
from mechuri.web import strings as S
from mechuri.web.deps import CallerDep, CurrentUser, DbSession, now, state
from mechuri.web.errors import ApiError
from mechuri.web.hygiene import IdPath
from mechuri.web.openapi import errors
from mechuri.web.schemas import (
    MealEditedOut,
    MealEditIn,
    MealLogIn,
    MealsLoggedOut,
    PreferencePut,
    PreferencesOut,
    ProfileIn,
    ProfileOut,
    TodayOut,
    TokenCreated,
    TokenIn,
    TokenOut,
    TokensOut,
)

router = APIRouter(prefix="/api", tags=["me"])


@router.get("/preferences", response_model=PreferencesOut)
def get_preferences(session: DbSession, user: CurrentUser) -> PreferencesOut:
    """Likes, dislikes, allergies, diets and goal, learned from chat or added here."""
    return preferences.listing(session, user)


@router.put("/preferences", response_model=PreferencesOut, responses=errors(
    404, 409, e404="고칠 항목(id)이 없어요 (`not_found`).", e409="이미 같은 항목이 있어요 (`preference_exists`)."))
def put_preference(body: PreferencePut, session: DbSession, user: CurrentUser) -> PreferencesOut:
    """``{kind, value}`` adds one (chat's rules apply: a like drops the dislike); ``{id, kind?, value?}`` edits."""
    changes = preferences.put(session, user, body)
    return preferences.listing(session, user, changes)


@router.delete("/preferences/{preference_id}", response_model=PreferencesOut)
def delete_preference(preference_id: IdPath, session: DbSession, user: CurrentUser) -> PreferencesOut:
    """Forget one preference."""
    changes = preferences.remove(session, user, preference_id)
    return preferences.listing(session, user, changes)


@router.get("/profile", response_model=ProfileOut)
def get_profile(request: Request, session: DbSession, user: CurrentUser) -> ProfileOut:
    """The body profile and the personal daily targets computed from it."""
    return profile.profile_out(user, profile.local_today(now(), state(request).settings.timezone), session)


@router.put("/profile", response_model=ProfileOut)
def put_profile(body: ProfileIn, request: Request, session: DbSession, user: CurrentUser) -> ProfileOut:
    """Replace the profile (null clears a field); invalid fields are reported one by one in ``details``."""
    today = profile.local_today(now(), state(request).settings.timezone)
    profile.save_profile(session, user, body, today)
    return profile.profile_out(user, today, session)


@router.get("/today", response_model=TodayOut)
def get_today(request: Request, session: DbSession, user: CurrentUser) -> TodayOut:
    """Today's meals (in the app's timezone, Asia/Seoul by default), their totals and the targets."""
    timezone = state(request).settings.timezone
    return profile.today_out(day_summary(session, user, now(), timezone), timezone, session, user)


@router.post("/meals", status_code=201, response_model=MealsLoggedOut)
def post_meal(body: MealLogIn, request: Request, session: DbSession, user: CurrentUser) -> MealsLoggedOut:
    """Log one meal eaten (「이 식단 기록하기」): dish names and servings; the nutrition stored is the food
    table's, never the client's. Returns the rows stored and today as ``GET /api/today`` shows it."""
    timezone = state(request).settings.timezone
    moment = now()
    rows = meals.log_meal(session, user, body, default_lookup(), moment, timezone)
    today = profile.today_out(day_summary(session, user, moment, timezone), timezone, session, user)
    return MealsLoggedOut(logged=[profile.meal_out(row, timezone) for row in rows], today=today)


@router.delete("/today/meals/{meal_id}", response_model=TodayOut)
def delete_meal(meal_id: IdPath, request: Request, session: DbSession, user: CurrentUser) -> TodayOut:
    """Remove a meal logged by mistake."""
    timezone = state(request).settings.timezone
    try:
        crud.delete_meal(session, user, meal_id)
    except crud.NotFoundError as exc:
        raise ApiError(404, "not_found", S.NOT_FOUND) from exc
    return profile.today_out(day_summary(session, user, now(), timezone), timezone, session, user)


@router.patch("/meals/{meal_id}", response_model=MealEditedOut)
def patch_meal(meal_id: IdPath, body: MealEditIn, request: Request, session: DbSession,
               user: CurrentUser) -> MealEditedOut:
    """Correct a logged meal: ``servings`` (the food table's numbers are recomputed), ``meal`` and
    ``eaten_at`` (the last 7 days, not the future). Another user's id is a 404."""
    timezone = state(request).settings.timezone
    moment = now()
    row = meals.edit_meal(session, user, meal_id, body, load_food_table(), moment, timezone)
    today = profile.today_out(day_summary(session, user, moment, timezone), timezone, session, user)
    return MealEditedOut(meal=profile.meal_out(row, timezone), today=today)


def _token_out(row) -> TokenOut:
    return TokenOut(id=row.id, name=row.name, prefix=row.prefix, created_at=row.created_at,
                    last_used_at=row.last_used_at)


@router.get("/tokens", response_model=TokensOut)
def get_tokens(session: DbSession, who: CallerDep) -> TokensOut:
    """The caller's API tokens (never their secrets)."""
    return TokensOut(tokens=[_token_out(row) for row in apitokens.list_tokens(session, who.user_id)])


@router.post("/tokens", status_code=201, response_model=TokenCreated,
             responses=errors(409, e409="토큰이 이미 최대 개수예요 (`token_limit`)."))
def post_token(body: TokenIn, session: DbSession, who: CallerDep) -> TokenCreated:
    """A new API token for /v1/chat/completions; the secret is in this response only."""
    name = body.name.strip()
    if not 1 <= len(name) <= 64:
        raise ApiError(422, "invalid_input", S.TOKEN_NAME_RULE)
    try:
        secret, row = apitokens.create_token(session, who.user_id, name, now(),
                                              credentials_version=who.credentials_version)
    except OverflowError as exc:
        raise ApiError(409, "token_limit", S.TOKEN_LIMIT.format(limit=apitokens.MAX_TOKENS_PER_USER)) from exc
    return TokenCreated(**_token_out(row).model_dump(), token=secret)


@router.delete("/tokens/{token_id}", status_code=204)
def delete_token(token_id: IdPath, session: DbSession, who: CallerDep) -> None:
    """Revoke one of the caller's tokens."""
    try:
        apitokens.revoke_token(session, who.user_id, token_id)
    except crud.NotFoundError as exc:
        raise ApiError(404, "not_found", S.NOT_FOUND) from exc
