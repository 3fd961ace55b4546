"""Rate limits that hold under concurrency: bursts fired at a real server with two workers (issue 17, item 1).

Each request is its own connection from its own thread, released at the same instant, so the two worker
processes and their threads all race for the same account (or address). The limits are counted before a
password is checked, atomically, so a burst checks no more guesses than the limit allows.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx

from .live_server import live_server

PASSWORD = "right-password-42"
LOGIN_BURST = 60
SIGNUP_BURST = 40


def _burst(base: str, requests: list[tuple[str, dict, dict]]) -> list[int]:
    """POST every (path, json, headers) at once, each on a fresh connection; their status codes in order."""
    barrier = threading.Barrier(len(requests))

    def fire(request: tuple[str, dict, dict]) -> int:
        path, body, headers = request
        with httpx.Client(base_url=base, timeout=120) as client:
            barrier.wait()
            return client.post(path, json=body, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(fire, requests))


def _wrong_guess_burst(base: str, username: str, prefix: str, *, right_last: bool) -> Counter:
    with httpx.Client(base_url=base, timeout=60) as client:
        made = client.post("/api/auth/signup", json={"username": username, "password": PASSWORD,
                                                     "display_name": "표적"}, headers={"X-Forwarded-For": "10.9.9.9"})
        assert made.status_code == 201, made.text
    guesses = [("/api/auth/login", {"username": username, "password": f"wrong-guess-{n:03d}"},
                {"X-Forwarded-For": f"{prefix}.{n // 250}.{n % 250 + 1}"}) for n in range(LOGIN_BURST - 1)]
    last = PASSWORD if right_last else "wrong-guess-last"
    guesses.append(("/api/auth/login", {"username": username, "password": last}, {"X-Forwarded-For": f"{prefix}.255.1"}))
    return Counter(_burst(base, guesses))


def test_bursts_check_at_most_five_guesses_and_create_at_most_ten_accounts(db_url, tmp_path):
    """One server per database (starting two workers is the slow part), three bursts at it."""
    with live_server(tmp_path, None if db_url.startswith("sqlite") else db_url) as base:
        wrong = _wrong_guess_burst(base, "target", "10.0", right_last=False)
        assert wrong[401] <= 5 and wrong[401] + wrong[429] == LOGIN_BURST, wrong  # 401: a guess was checked
        # once locked, the right password is refused (429 with a wait), from any address
        with httpx.Client(base_url=base, timeout=60) as client:
            right = client.post("/api/auth/login", json={"username": "target", "password": PASSWORD},
                                headers={"X-Forwarded-For": "10.8.8.8"})
        assert right.status_code == 429 and int(right.headers["Retry-After"]) > 0, right.text

        # the right password sent last in the burst: at most five passwords checked, it included
        mixed = _wrong_guess_burst(base, "target2", "10.1", right_last=True)
        assert mixed[401] + mixed[200] <= 5, mixed
        assert mixed[401] + mixed[429] + mixed[200] == LOGIN_BURST, mixed

        signups = [("/api/auth/signup", {"username": f"burst{n:02d}", "password": PASSWORD,
                                         "display_name": "버스트"}, {"X-Forwarded-For": "10.7.7.7"})
                   for n in range(SIGNUP_BURST)]
        made = Counter(_burst(base, signups))
        print(f"\n{db_url.split(':')[0]}: wrong burst {dict(wrong)}, right-last burst {dict(mixed)}, "
              f"sign-up burst {dict(made)}")
        assert 1 <= made[201] <= 10, made
        assert made[201] + made[429] == SIGNUP_BURST, made
