"""A local SMTP server for the alert benchmarks: it accepts every message and logs its arrival.

It runs as a process of its own (`python bench/_smtp_sink.py LOG`), so that its CPU does not
share a GIL with the sender being measured. Each accepted message appends one line to LOG:
`<time.monotonic()> <size in bytes> <X-Tocsin-Delivery header, or ->`. On Linux
time.monotonic() reads the system-wide CLOCK_MONOTONIC, so a benchmark can compare the arrival
times with its own clock. The loopback port, chosen by the system, is the first line of stdout.

`Sink` starts that process from a benchmark and reads the log back as it grows. No Django here.
"""

import asyncio
import contextlib
import ctypes
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from aiosmtpd.smtp import SMTP

KEY_HEADER = re.compile(rb"^X-Tocsin-Delivery:[ \t]*(\S+)", re.MULTILINE | re.IGNORECASE)


def die_with_us() -> None:
    """In a child, on Linux: receive SIGTERM if the benchmark dies without cleaning up."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Sink:
    """The SMTP server process, seen from the benchmark."""

    def __init__(self, log_path: Path):
        log_path.touch()
        self.process = subprocess.Popen(  # noqa: S603 — our own command line
            [sys.executable, __file__, str(log_path)],
            stdout=subprocess.PIPE, text=True, start_new_session=True, preexec_fn=die_with_us,
        )  # fmt: skip
        self.port = int(self.process.stdout.readline())
        self.log = log_path.open(encoding="ascii")
        self.pending = ""
        self.arrivals: list[tuple[float, int, str]] = []  # (monotonic time, bytes, key)

    def poll(self) -> list[tuple[float, int, str]]:
        """Every message accepted so far, oldest first."""
        self.pending += self.log.read()
        *lines, self.pending = self.pending.split("\n")
        for line in lines:
            at, size, key = line.split(" ")
            self.arrivals.append((float(at), int(size), key))
        return self.arrivals

    def wait_for(self, count: int, timeout: float, interval: float = 0.05) -> bool:
        """Whether `count` messages arrived within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while len(self.poll()) < count:
            if time.monotonic() > deadline or self.process.poll() is not None:
                return False
            time.sleep(interval)
        return True

    def stop(self) -> None:
        self.log.close()
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class Recorder:
    """aiosmtpd handler: one log line per accepted message, written through at once."""

    def __init__(self, log):
        self.log = log

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd hook name
        content = envelope.content
        found = KEY_HEADER.search(content, 0, content.find(b"\r\n\r\n"))
        key = found.group(1).decode("ascii", "replace") if found else "-"
        self.log.write(f"{time.monotonic():.6f} {len(content)} {key}\n")
        self.log.flush()
        return "250 OK"


async def serve(log_path: str) -> None:
    loop = asyncio.get_running_loop()
    stopped = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stopped.set)
    with open(log_path, "a", encoding="ascii") as log:
        recorder = Recorder(log)
        # A fixed hostname: by default aiosmtpd looks up the machine's FQDN per connection.
        server = await loop.create_server(
            lambda: SMTP(recorder, hostname="bench-sink.localhost"), "127.0.0.1", 0
        )
        print(server.sockets[0].getsockname()[1], flush=True)
        await stopped.wait()
        server.close()


if __name__ == "__main__":
    asyncio.run(serve(sys.argv[1]))
