"""The Korean of logging food the table lacks (see ``custom_log``)."""

from __future__ import annotations

CUSTOM_LOGGED = "{meal}에 {name}, 말씀하신 {kcal:,.0f}kcal로 기록했어요. 다른 영양소는 알 수 없어서 열량만 합계에 넣었어요."
GIVE_KCAL = "열량을 알려 주시면 그대로 기록해 둘게요. 예: 「{name} ○○kcal」"
INTAKE_KCAL_ONLY = "{names}은(는) 열량만 기록돼 있어서 다른 영양소 합계에는 빠져 있어요."
