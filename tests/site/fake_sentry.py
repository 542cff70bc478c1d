"""A stand-in for Sentry's ingest endpoint on this machine: it keeps every envelope posted to
it, so tests can read the events the SDK really sends."""

import gzip
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import brotli

from tests import ports

# The ports this suite's own web servers use.
PORTS = range(8300, 8400)


def free_port() -> int:
    return ports.free_port(PORTS)


def decoded(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        return brotli.decompress(body)
    return body


def envelope_events(envelope: bytes) -> list[dict]:
    """The error events in an envelope: a header line, then items, each a header line and a
    payload (of the header's `length`, or up to the next newline)."""
    _, _, rest = envelope.partition(b"\n")
    events = []
    while rest.strip():
        header_line, _, rest = rest.partition(b"\n")
        header = json.loads(header_line)
        if "length" in header:
            payload, rest = rest[: header["length"]], rest[header["length"] :].removeprefix(b"\n")
        else:
            payload, _, rest = rest.partition(b"\n")
        if header.get("type") == "event":
            events.append(json.loads(payload))
    return events


class FakeSentry:
    def __init__(self):
        self.port = free_port()
        self.bodies: list[bytes] = []
        self.events: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                body = decoded(body, self.headers.get("Content-Encoding", ""))
                fake.bodies.append(body)
                fake.events.extend(envelope_events(body))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def dsn(self) -> str:
        return f"http://publickey@127.0.0.1:{self.port}/1"

    def wait_for_event(self, exception_type: str, request_id: str, timeout: float = 60) -> dict:
        """The first event of the request whose exception is of the named type."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in list(self.events):
                types = [value["type"] for value in event.get("exception", {}).get("values", [])]
                tagged = event.get("tags", {}).get("request_id")
                if exception_type in types and tagged == request_id:
                    return event
            time.sleep(0.2)
        raise AssertionError(f"no {exception_type} event of {request_id}; got {self.events!r}")

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
