"""A real SMTP server on loopback (aiosmtpd) for the tests that send e-mail.

`Inbox.replies` lets a test make the server refuse chosen addresses: map an address to a list
of SMTP replies used one per attempt (« 451 … » temporary, « 550 … » permanent); the last one
repeats.
"""

import socket
import time

from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self):
        self.messages = []
        self.replies = {}

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        planned = self.replies.get(address)
        if planned:
            reply = planned.pop(0) if len(planned) > 1 else planned[0]
            if not reply.startswith("250"):
                return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd hook name
        self.messages.append(envelope)
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 5.0):
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages

    def texts(self) -> list[str]:
        return [m.content.decode("utf-8", "replace") for m in self.messages]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(inbox: Inbox) -> tuple[Controller, int]:
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, port
