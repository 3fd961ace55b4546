"""OpenAI-compatible HTTP backend: vLLM, Ollama, llama.cpp's server, OpenAI, or another mechuri.

This is the way past one machine: serve the model with vLLM (tensor parallelism across GPUs, or several
replicas behind a load balancer) and point mechuri at it (README, "LLM writers"). The client is deliberately plain
httpx: one POST to ``/chat/completions``, a timeout, retries with exponential backoff on the failures
that a retry can fix (no connection, 429, 5xx), and a strict parse of the server-sent-event stream that
turns a stream cut off midway into a typed ``BrokenStream`` instead of a silently short reply.
Under a turn's ``TurnBudget`` every request's timeouts are cut to the time left, retries stop when it is
spent, and a ``Cancel`` shuts the socket down (waking a read blocked on a silent or trickling server), so
the call ends at the turn's deadline and its thread and connection with it.
``ENGINE`` (at the end) declares the ``openai:`` engine to ``mechuri.llm.registry``.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import httpx

from mechuri.llm.base import BackendError, BackendTimeout, BrokenStream
from mechuri.llm.budget import Cancel, TurnBudget
from mechuri.llm.prompts import Prompt, as_messages
from mechuri.llm.registry import Engine, EngineSpec, EngineSpecError

if TYPE_CHECKING:
    from mechuri.config import Settings

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_BACKOFF_S = 8.0


def chat_completions_url(base_url: str) -> str:
    """``http://host:8000`` and ``http://host:8000/v1`` both mean ``http://host:8000/v1/chat/completions``."""
    url = base_url.rstrip("/")
    if url.endswith("/chat/completions"):
        return url
    if url.endswith("/v1"):
        return url + "/chat/completions"
    return url + "/v1/chat/completions"


class ServerError(BackendError):
    """The server answered with an error status (after the retries, for those worth retrying)."""

    reason = "server_error"

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status = status


class Unreachable(BackendError):
    """No connection to the server, even after the retries."""

    reason = "unreachable"


def _error_message(response: httpx.Response) -> str:
    try:
        body = response.json()
        return str(body.get("error", {}).get("message") or body)[:300]
    except (ValueError, AttributeError):
        return response.text[:300]


def retry_after_s(response: httpx.Response) -> float | None:
    """A ``Retry-After`` header in seconds; None when absent or an HTTP date (then the caller's backoff
    stands). Shared with the Self-Instruct teacher client, which waits at least this long."""
    value = response.headers.get("retry-after")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def shut_down_socket(response: httpx.Response) -> None:
    """Shut the response's socket down from any thread: a read blocked on it returns at once (closing the
    file descriptor alone would not wake it on Linux); the reading thread then closes the response."""
    stream = response.extensions.get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


class OpenAIBackend:
    """Chat completions from an OpenAI-compatible server."""

    def __init__(self, base_url: str, model: str, *, api_key: str | None = None, timeout_s: float = 30.0,
                 connect_timeout_s: float = 5.0, retries: int = 2, backoff_s: float = 0.5, keepalive: int = 4,
                 transport: httpx.BaseTransport | None = None) -> None:
        """``keepalive``: connections kept open between calls for the next one (a model server is worth
        reusing a connection to); one per model thread (``llm_workers``) is all calls can use at once, so
        more would only be idle sockets."""
        self.url = chat_completions_url(base_url)
        self.model = model
        self.name = f"openai:{model}"
        self.retries, self.backoff_s = retries, backoff_s
        self.timeout_s, self.connect_timeout_s = timeout_s, connect_timeout_s
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(timeout=httpx.Timeout(timeout_s, connect=connect_timeout_s),
                                    headers=headers, transport=transport,
                                    limits=httpx.Limits(max_keepalive_connections=keepalive))

    def close(self) -> None:
        self._client.close()

    def _body(self, prompt: Prompt | str, max_tokens: int, temperature: float, stop: Sequence[str],
              stream: bool) -> dict[str, Any]:
        body: dict[str, Any] = {"model": self.model, "messages": as_messages(prompt), "max_tokens": max_tokens,
                                "temperature": temperature, "stream": stream}
        if stop:
            body["stop"] = list(stop)[:4]  # OpenAI accepts at most four
        return body

    def _wait(self, attempt: int, response: httpx.Response | None, budget: TurnBudget | None,
              cancel: Cancel | None) -> None:
        """Exponential backoff; a short Retry-After from the server wins; never past the turn's first-token
        deadline (then ``BackendTimeout``: a retry that cannot be waited for is not made)."""
        delay = min(self.backoff_s * 2 ** attempt, MAX_BACKOFF_S)
        told = retry_after_s(response) if response is not None else None
        if told is not None:  # a user is waiting: the server's word wins, even when shorter
            delay = min(told, MAX_BACKOFF_S)
        if budget is not None and budget.left(first_token_seen=False) <= delay:
            raise BackendTimeout(f"no time left in the turn's budget to retry {self.url}")
        if cancel is not None:
            if cancel.wait(delay):
                raise BackendTimeout(f"the call to {self.url} was cancelled at the turn's deadline")
        else:
            time.sleep(delay)

    def _timeout(self, budget: TurnBudget | None) -> httpx.Timeout:
        """The client's timeouts, cut to the time left before the first-token deadline: a server that sends
        no headers, or no first byte, cannot hold the thread past it (the read timeout holds for every read,
        so a model silent that long after its first words is cut too)."""
        if budget is None:
            return self._client.timeout
        left = budget.left(first_token_seen=False)
        if left <= 0:
            raise BackendTimeout("the turn's budget was spent before the model was asked")
        return httpx.Timeout(min(self.timeout_s, left), connect=min(self.connect_timeout_s, left))

    def _send(self, body: dict[str, Any], budget: TurnBudget | None = None,
              cancel: Cancel | None = None) -> httpx.Response:
        """The response (opened as a stream when ``body['stream']``), retried on connect errors, 429 and 5xx."""
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                request = self._client.build_request("POST", self.url, json=body, timeout=self._timeout(budget))
                response = self._client.send(request, stream=bool(body["stream"]))
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                if last:
                    raise Unreachable(f"cannot reach {self.url}: {exc}") from exc
                self._wait(attempt, None, budget, cancel)
                continue
            except httpx.TimeoutException as exc:
                raise BackendTimeout(f"{self.url} did not answer in time") from exc
            except httpx.HTTPError as exc:
                raise BackendError(f"request to {self.url} failed: {exc}") from exc
            if response.status_code < 400:
                return response
            message = self._error_of(response)
            if response.status_code in RETRY_STATUS and not last:
                self._wait(attempt, response, budget, cancel)
                continue
            raise ServerError(response.status_code, message)
        raise AssertionError("unreachable")  # pragma: no cover

    def _error_of(self, response: httpx.Response) -> str:
        """An error response's message, its body read and the response closed whatever happens, so the
        connection goes back to the pool or is closed: a body that never comes ends at the request's
        timeout (cut to the turn's budget) as ``BackendTimeout``, one cut off midway is said so."""
        try:
            response.read()
            return _error_message(response)
        except httpx.TimeoutException as exc:
            raise BackendTimeout(f"{self.url} answered HTTP {response.status_code}, then sent nothing") from exc
        except httpx.HTTPError as exc:
            return f"(the error's body broke off: {exc})"
        finally:
            response.close()

    def generate(self, prompt: Prompt | str, *, max_tokens: int = 256, temperature: float = 0.3,
                 stop: Sequence[str] = ()) -> str:
        response = self._send(self._body(prompt, max_tokens, temperature, stop, stream=False))
        try:
            return response.json()["choices"][0]["message"]["content"] or ""
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise BackendError(f"not a chat completion: {response.text[:200]}") from exc

    def stream(self, prompt: Prompt | str, *, max_tokens: int = 256, temperature: float = 0.3,
               stop: Sequence[str] = (), budget: TurnBudget | None = None,
               cancel: Cancel | None = None) -> Iterator[str]:
        """Content pieces of ``chat.completion.chunk`` events; a stream cut off before its end raises
        ``BrokenStream`` (after whatever arrived), so a caller never takes half a reply for a whole one.
        Past the ``budget``'s deadline, or once ``cancel`` fires, ``BackendTimeout`` and the socket closed."""
        response = self._send(self._body(prompt, max_tokens, temperature, stop, stream=True), budget, cancel)
        forget = cancel.on_cancel(lambda: shut_down_socket(response)) if cancel is not None else None
        finished = seen = False
        try:
            for line in response.iter_lines():
                if cancel is not None and cancel.cancelled:
                    raise BackendTimeout(f"the call to {self.url} was cancelled at the turn's deadline")
                if budget is not None and budget.left(first_token_seen=seen) <= 0:
                    raise BackendTimeout(f"{self.url} did not finish within the turn's budget")
                if not line.startswith("data:"):
                    continue  # comments, event names, blank separators
                data = line[len("data:"):].strip()
                if data == "[DONE]":
                    return
                try:
                    event = json.loads(data)
                except ValueError as exc:
                    raise BrokenStream(f"not a stream event: {data[:80]!r}") from exc
                if "error" in event:
                    raise ServerError(500, str(event["error"].get("message", event["error"]))[:300])
                for choice in event.get("choices") or []:
                    piece = (choice.get("delta") or {}).get("content")
                    if piece:
                        seen = True
                        yield piece
                    finished = finished or bool(choice.get("finish_reason"))
        except httpx.TimeoutException as exc:
            raise BackendTimeout(f"{self.url} stopped sending") from exc
        except httpx.HTTPError as exc:
            if cancel is not None and cancel.cancelled:  # our own shutdown broke the read
                raise BackendTimeout(f"the call to {self.url} was cancelled at the turn's deadline") from exc
            raise BrokenStream(f"the stream from {self.url} broke: {exc}") from exc
        finally:
            if forget is not None:
                forget()
            response.close()
        if not finished:
            raise BrokenStream(f"the stream from {self.url} ended before it finished")


# -- the engine: openai:URL#MODEL ---------------------------------------------------------------------------
def parse_spec(target: str, options: dict[str, str]) -> EngineSpec:
    url, _, model = target.partition("#")
    if not re.match(r"^https?://[^/]+", url):
        raise EngineSpecError(f"openai: {url!r} is not an http(s) URL; e.g. openai:http://127.0.0.1:8001/v1#MODEL")
    if not model:
        raise EngineSpecError(f"openai: name the model after '#', e.g. openai:{url}#Qwen/Qwen2.5-7B-Instruct")
    return EngineSpec("openai", url, model=model)


def build(spec: EngineSpec, settings: Settings) -> OpenAIBackend:
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    return OpenAIBackend(spec.target, spec.model or "", api_key=key, timeout_s=settings.openai_timeout_s,
                         retries=settings.openai_retries, keepalive=settings.llm_workers)


ENGINE = Engine(
    "openai", "openai:URL#MODEL",
    "an OpenAI-compatible server (vLLM, Ollama, llama.cpp server, OpenAI); key MECHURI_OPENAI_API_KEY",
    parse=parse_spec, build=build,
)
