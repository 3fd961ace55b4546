"""The learned taste over HTTP: 👍/👎 on a card, what was learned, and forgetting it — only one's own."""

from __future__ import annotations


def test_thumbs_teach_the_taste_and_reset_forgets_it(minji, junho):
    assert minji.get("/api/taste").json() == {"events": 0, "top": [], "chosen": []}
    liked = minji.post("/api/feedback", {"dish": "제육볶음", "value": "up"})
    assert liked.status_code == 200
    body = liked.json()
    assert body["events"] == 1 and body["chosen"] == ["제육볶음"]
    assert any(item["feature"] == "tag:매운" and item["weight"] > 0 for item in body["top"])
    assert all(":" in item["label"] for item in body["top"])
    minji.post("/api/feedback", {"dish": "짬뽕", "value": "down"})
    assert minji.get("/api/taste").json()["events"] == 2
    assert junho.get("/api/taste").json()["events"] == 0  # nobody else's
    assert minji.delete("/api/taste").json() == {"deleted": 2}
    assert minji.get("/api/taste").json()["events"] == 0


def test_feedback_is_checked(minji, visitor):
    assert minji.post("/api/feedback", {"dish": "우주선스테이크", "value": "up"}).status_code == 404
    assert minji.post("/api/feedback", {"dish": "제육볶음", "value": "meh"}).status_code == 422
    assert visitor.get("/api/taste").status_code == 401
    assert minji.post("/api/feedback", {"dish": "제육볶음", "value": "up"}, headers={"X-CSRF-Token": "x"}
                      ).status_code == 403
