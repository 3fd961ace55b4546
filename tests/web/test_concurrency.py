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

from mechuri.web.sessions import SESSION_COOKIE

from .live_server import live_server

PASSWORD = "right-password-42"
LOGIN_BURST = 60
SIGNUP_BURST = 40


def _fire(base: str, requests: list[tuple[str, dict, dict]]) -> list[httpx.Response]:
    """POST every (path, json, headers) at once, each on a fresh connection; their responses in order."""
    barrier = threading.Barrier(len(requests))

    def fire(request: tuple[str, dict, dict]) -> httpx.Response:
        path, body, headers = request
        with httpx.Client(base_url=base, timeout=120) as client:
            barrier.wait()
            return client.post(path, json=body, headers=headers)

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(fire, requests))


def _burst(base: str, requests: list[tuple[str, dict, dict]]) -> list[int]:
    """``_fire``'s status codes, in order."""
    return [response.status_code for response in _fire(base, requests)]


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


# -- the old password, raced ---------------------------------------------------------------------------------
CHANGERS = 4
"""Browsers changing one password at once: each loser's check is a counted failure, and the account locks at
five, so four leave room for the log-ins that check the outcome."""


def _browser(response: httpx.Response) -> dict[str, str]:
    """The headers a logged-in browser sends: its session cookie and CSRF token."""
    assert response.status_code in (200, 201), response.text
    return {"Cookie": f"{SESSION_COOKIE}={response.cookies[SESSION_COOKIE]}",
            "X-CSRF-Token": response.json()["csrf_token"]}


def _log_in(base: str, username: str, password: str, address: str) -> httpx.Response:
    with httpx.Client(base_url=base, timeout=60) as client:
        return client.post("/api/auth/login", json={"username": username, "password": password},
                           headers={"X-Forwarded-For": address})


def _signed_in(base: str, browser: dict[str, str]) -> int:
    with httpx.Client(base_url=base, timeout=60) as client:
        return client.get("/api/auth/me", headers={"Cookie": browser["Cookie"]}).status_code


def _sign_up(base: str, username: str, address: str) -> dict[str, str]:
    with httpx.Client(base_url=base, timeout=60) as client:
        return _browser(client.post("/api/auth/signup", json={"username": username, "password": PASSWORD,
                                                              "display_name": "경주"},
                                    headers={"X-Forwarded-For": address}))


def test_an_old_password_changes_the_password_once_and_no_session_outlives_the_change(db_url, tmp_path):
    """Simultaneous password changes from one old password: exactly one wins, and every session the old
    password opened — before the change or in a log-in racing it — is dead afterwards (issue 17)."""
    with live_server(tmp_path, None if db_url.startswith("sqlite") else db_url) as base:
        _sign_up(base, "changer", "10.5.0.1")
        browsers = [_browser(_log_in(base, "changer", PASSWORD, f"10.5.1.{n}")) for n in range(CHANGERS)]
        new_passwords = [f"비번바꿈-{n}-새것으로!" for n in range(CHANGERS)]
        changes = [("/api/account/password", {"current_password": PASSWORD, "new_password": new},
                    {**browser, "X-Forwarded-For": f"10.5.2.{n}"})
                   for n, (browser, new) in enumerate(zip(browsers, new_passwords, strict=True))]
        answers = _fire(base, changes)
        statuses = Counter(answer.status_code for answer in answers)
        # a loser either found its session already ended (401) or the old password already gone (403)
        assert statuses[200] == 1 and set(statuses) <= {200, 401, 403}, statuses
        won = next(n for n, answer in enumerate(answers) if answer.status_code == 200)
        assert _signed_in(base, _browser(answers[won])) == 200  # the winner's browser got a new session
        assert [_signed_in(base, browser) for browser in browsers] == [401] * CHANGERS
        assert _log_in(base, "changer", new_passwords[won], "10.5.3.1").status_code == 200
        assert _log_in(base, "changer", PASSWORD, "10.5.3.2").status_code == 401
        losers = [new for n, new in enumerate(new_passwords) if n != won]
        assert [_log_in(base, "changer", new, "10.5.3.3").status_code for new in losers] == [401] * len(losers)

        # a change racing log-ins with the old password: the log-ins may pass their check, but no session they
        # open survives the change; three rounds, each on a fresh account
        for round_ in range(3):
            name = f"racer{round_}"
            browser = _sign_up(base, name, f"10.6.{round_}.1")
            new = f"경주-끝-{round_}번째-비번"
            burst = [("/api/account/password", {"current_password": PASSWORD, "new_password": new},
                      {**browser, "X-Forwarded-For": f"10.6.{round_}.2"})]
            burst += [("/api/auth/login", {"username": name, "password": PASSWORD},
                       {"X-Forwarded-For": f"10.6.{round_}.{n + 3}"}) for n in range(3)]
            answers = _fire(base, burst)
            assert answers[0].status_code == 200, answers[0].text
            assert {answer.status_code for answer in answers[1:]} <= {200, 401}, [a.text for a in answers]
            opened = [_browser(answer) for answer in answers[1:] if answer.status_code == 200]
            assert [_signed_in(base, b) for b in opened] == [401] * len(opened), f"round {round_}"
            assert _signed_in(base, browser) == 401 and _signed_in(base, _browser(answers[0])) == 200
            assert _log_in(base, name, PASSWORD, f"10.6.{round_}.9").status_code == 401
