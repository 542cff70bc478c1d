"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for delivery tests.

It can be told to answer slowly (to be killed mid-send), to refuse for now (4xx) or for good
(5xx), and it can be stopped and started again on the same port. When slow, it takes a
message only if its client is still connected to hear the 250 reply, as a server that
accepts on its reply would.
"""

import asyncio
import email
import email.policy
import threading
import time
from dataclasses import dataclass

from aiosmtpd.controller import Controller

from tests import ports

PORTS = range(8025, 8036)  # the ports this suite may use


def free_port() -> int:
    return ports.free_port(PORTS)


@dataclass
class Received:
    recipients: list[str]
    message: email.message.EmailMessage

    @property
    def message_id(self) -> str:
        return self.message["Message-ID"]


class Handler:
    def __init__(self):
        self.received: list[Received] = []
        self.data_started = threading.Event()
        self.delay = 0.0
        self.reply = "250 Message accepted for delivery"
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        self.data_started.set()
        if self.delay:
            await asyncio.sleep(self.delay)
            if server.transport is None or server.transport.is_closing():
                return "421 Client gone"  # it never hears a 250: the message was not taken
        if self.reply.startswith("250"):
            parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
            with self.lock:
                self.received.append(Received(list(envelope.rcpt_tos), parsed))
        return self.reply


class SmtpSink:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.handler = Handler()
        self.controller: Controller | None = None

    @property
    def received(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)

    def start(self) -> "SmtpSink":
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def wait_for(self, count: int, timeout: float) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.received) < count:
            time.sleep(0.1)
        return self.received
