"""The caller's learned taste: what mechuri has learned from their choices (visible), 👍/👎 on a card
(feedback), and forgetting it all (reset) — the web counterpart of 「내 입맛 초기화」."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from mechuri.knowledge import load_food_table
from mechuri.memory import load_taste, record_feedback, reset_taste
from mechuri.recommend.taste import TasteModel
from mechuri.web.deps import CurrentUser, DbSession
from mechuri.web.errors import ApiError
from mechuri.web.openapi import errors

router = APIRouter(prefix="/api", tags=["taste"])

_FEATURE_LABELS = {"cuisine": "음식 종류", "category": "요리", "tag": "맛·특징", "ingredient": "재료", "protein": "고기",
                   "combo": "맛과 재료"}


class TasteFeature(BaseModel):
    feature: str = Field(description="cuisine:한식, category:볶음, tag:매운, ingredient:돼지고기, protein:돼지고기, combo:매운+돼지고기 …")
    label: str = Field(description="The feature in Korean: 「맛·특징: 매운」.")
    weight: float = Field(description="Learned lift: positive = chosen more, negative = passed over.")


class TasteOut(BaseModel):
    events: int = Field(description="Feedback events learned from (choices, meals, skipped lists, 👍/👎).")
    top: list[TasteFeature]
    chosen: list[str] = Field(description="Dishes chosen or eaten, most recent last (up to 10).")


class FeedbackIn(BaseModel):
    dish: str = Field(min_length=1, max_length=64, description="A dish name of the food table.")
    value: Literal["up", "down"] = Field(description="👍 up (liked) or 👎 down (disliked).")


class TasteResetOut(BaseModel):
    deleted: int


def _out(model: TasteModel) -> TasteOut:
    top = []
    for name, weight in model.top_features(8):
        kind, _, value = name.partition(":")
        top.append(TasteFeature(feature=name, label=f"{_FEATURE_LABELS.get(kind, kind)}: {value}", weight=weight))
    return TasteOut(events=model.events, top=top, chosen=model.chosen[-10:])


@router.get("/taste", response_model=TasteOut)
def get_taste(session: DbSession, user: CurrentUser) -> TasteOut:
    """What has been learned of the caller's taste, strongest first."""
    return _out(load_taste(session, user, load_food_table()))


@router.post("/feedback", response_model=TasteOut, responses=errors(404, e404="음식 표에 없는 메뉴예요 (`not_found`)."))
def post_feedback(body: FeedbackIn, session: DbSession, user: CurrentUser) -> TasteOut:
    """👍/👎 on a recommendation card: a strong positive or negative for that dish's kind of food."""
    table = load_food_table()
    if table.get(body.dish) is None:
        raise ApiError(404, "not_found", "음식 표에 없는 메뉴예요.")
    record_feedback(session, user, [body.dish], "liked" if body.value == "up" else "disliked")
    return _out(load_taste(session, user, table))


@router.delete("/taste", response_model=TasteResetOut)
def delete_taste(session: DbSession, user: CurrentUser) -> TasteResetOut:
    """Forget the learned taste (stated preferences such as allergies stay)."""
    return TasteResetOut(deleted=reset_taste(session, user))
