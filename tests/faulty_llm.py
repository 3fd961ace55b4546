"""An OpenAI-compatible server on 127.0.0.1 that misbehaves on request: the LLM tests' fake upstream, and the
chaos benchmark's (``benchmarks/chaos.py`` puts tests/ on ``sys.path`` and serves it in its own process,
so the threads and sockets it counts in the mechuri server are the server's alone). Nothing here reaches
the network.
"""

from __future__ import annotations

import json
import select
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MODES = ("ok", "slow", "fail", "fail_silent", "broken", "unfinished", "garbage", "hang", "trickle", "stall",
         "hang_headers")


class QuietServer(ThreadingHTTPServer):
    """A client that hangs up mid-answer (a cancelled turn, a killed server) is the point here, not an error."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FakeOpenAI:
    """A threaded HTTP server on 127.0.0.1 speaking /v1/chat/completions.

    ``mode`` picks the behaviour: ``ok``; ``slow`` (waits ``delay_s`` first); ``fail`` (the first
    ``failures`` requests get ``status``, then ok); ``fail_silent`` (``status``'s headers, then not a byte of
    the body they promise); ``broken`` (the stream stops midway: the chunked body is
    cut off); ``unfinished`` (the stream closes cleanly but never finishes); ``garbage`` (not SSE JSON);
    ``hang`` (headers and the role event, then silence); ``trickle`` (headers, then a keep-alive comment
    every ``delay_s`` and never a word); ``stall`` (half the reply, then silence); ``hang_headers`` (reads
    the request, sends nothing). These last until the client hangs up (or ``close``), so the server never outlives the test.
    Every request's JSON body and headers are kept in ``requests``.
    """

    def __init__(self, port: int = 0) -> None:
        self.mode = "ok"
        self.reply = "오늘 점심은 가볍게 드셔 보세요."
        self.delay_s = 0.0
        self.failures = 0
        self.status = 500
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with fake.lock:
                    fake.requests.append({"body": body, "headers": dict(self.headers), "path": self.path})
                    failing = fake.mode == "fail" and fake.failures > 0
                    if failing:
                        fake.failures -= 1
                if fake.mode == "slow":
                    time.sleep(fake.delay_s)
                if fake.mode == "hang_headers":
                    return self._until_closed(None)
                if fake.mode == "fail_silent":
                    self.send_response(fake.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", "200")
                    self.end_headers()
                    self.wfile.flush()
                    return self._until_closed(None)
                if failing:
                    return self._json(fake.status, {"error": {"message": "overloaded", "type": "server_error"}})
                if not body.get("stream"):
                    return self._json(200, {"id": "c1", "object": "chat.completion", "choices": [
                        {"index": 0, "message": {"role": "assistant", "content": fake.reply},
                         "finish_reason": "stop"}]})
                self._stream(fake.mode)

            def _until_closed(self, keepalive: bytes | None) -> None:
                """Send nothing (or ``keepalive`` every ``delay_s``) until the client hangs up or the server stops."""
                self.close_connection = True
                while not fake.stopping.is_set():
                    try:
                        readable, _, _ = select.select([self.connection], [], [], fake.delay_s or 0.1)
                        if readable and not self.connection.recv(1, socket.MSG_PEEK):
                            return  # the client closed its end
                        if keepalive is not None:
                            self._chunk(keepalive.decode())
                    except OSError:  # reset by the client
                        return

            def _json(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if status == 429:
                    self.send_header("Retry-After", "0")
                self.end_headers()
                self.wfile.write(data)

            def _chunk(self, text: str) -> None:
                data = text.encode()
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()

            def _event(self, delta: dict[str, Any], finish: str | None = None) -> None:
                event = {"object": "chat.completion.chunk",
                         "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
                self._chunk(f"data: {json.dumps(event, ensure_ascii=False)}\n\n")

            def _stream(self, mode: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self._event({"role": "assistant", "content": ""})
                if mode in ("hang", "trickle"):
                    return self._until_closed(b": keep-alive\n\n" if mode == "trickle" else None)
                words = fake.reply.split(" ")
                half = len(words) // 2
                for word in words[:half]:
                    self._event({"content": word + " "})
                if mode == "stall":
                    return self._until_closed(None)
                if mode == "broken":  # promise a chunk, send part of it, hang up
                    self.wfile.write(b"400\r\ndata: {\"choi")
                    self.wfile.flush()
                    self.close_connection = True
                    return
                if mode == "garbage":
                    self._chunk("data: <html>502 Bad Gateway</html>\n\n")
                for number, word in enumerate(words[half:], start=half):
                    self._event({"content": word + (" " if number < len(words) - 1 else "")})
                if mode != "unfinished":
                    self._event({}, "stop")
                    self._chunk("data: [DONE]\n\n")
                self._chunk("")  # the last, empty chunk

        self.server = QuietServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def set_mode(self, mode: str, delay_s: float = 0.0, failures: int = 0, status: int = 500) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.mode, self.delay_s, self.failures, self.status = mode, delay_s, failures, status

    def close(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()

