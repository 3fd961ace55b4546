"""Input hygiene shared by every request model: no control characters in text, ids within the database's range.

PostgreSQL refuses a NUL byte in text outright (the insert fails), and other control characters (bell,
escape, DEL …) only ever arrive from scripts probing the API, never from a person; lone UTF-16 surrogates
cannot be encoded for either database. They are refused at validation with a 422 and one Korean message,
before anything is looked up or stored. Text a person writes over several lines (a chat message) keeps
its tabs and newlines; every other field is one line.

Ids are ``integer`` columns: 32 bits on PostgreSQL (SQLite's 64 bits are wider), so an id in a path or a
query is validated to 1‥2³¹−1, and a larger one is a 422 instead of an overflow deep in the driver.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BaseModel, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from mechuri.web import strings as S

ID_MAX = 2**31 - 1
"""The largest id any table can hold on every supported database (PostgreSQL ``integer``)."""

CONTROL_ERROR = "control_character"
"""The pydantic error type of a refused control character (``errors`` answers it with its own message)."""

MULTILINE_FIELDS = frozenset({"message", "content"})
"""Fields whose text may span lines: chat messages (ours and the OpenAI-compatible ``content``)."""

_ONE_LINE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def has_control_characters(value: Any, *, multiline: bool = False) -> bool:
    """Whether ``value`` (a string, or lists and dicts of them, keys included) holds a refused character."""
    if isinstance(value, str):
        return (_MULTILINE if multiline else _ONE_LINE).search(value) is not None
    if isinstance(value, (list, tuple)):
        return any(has_control_characters(item, multiline=multiline) for item in value)
    if isinstance(value, dict):
        return any(has_control_characters(key) or has_control_characters(item, multiline=multiline)
                   for key, item in value.items())
    return False


class CleanText(BaseModel):
    """A request model whose every field refuses control characters (see the module's docstring)."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        if has_control_characters(value, multiline=info.field_name in MULTILINE_FIELDS):
            raise PydanticCustomError(CONTROL_ERROR, S.CONTROL_CHARACTERS)
        return value


IdPath = Annotated[int, Path(ge=1, le=ID_MAX, description="An id (1–2,147,483,647).")]
"""A route's ``{id}`` path parameter, within the database's integer range."""
IdQuery = Annotated[int | None, Query(ge=1, le=ID_MAX)]
"""An optional id in the query string (``before_id``)."""
