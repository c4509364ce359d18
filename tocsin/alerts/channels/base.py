"""What every channel backend offers the delivery engine.

A backend sends one message at a time and says how it went; the engine records the outcome
right after each send, so that a crash loses at most the message in flight. `open` and `close`
let a backend keep one connection for a whole batch (SMTP), which is where its speed comes from.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Outgoing:
    to: str
    subject: str
    text: str
    html: str = ""
    key: str = ""  # the delivery's idempotency key, passed on where a provider accepts one


@dataclass(frozen=True)
class Outcome:
    ok: bool
    provider_message_id: str = ""
    error: str = ""
    # A permanent error (bad address, refused by the provider) is never retried.
    permanent: bool = False

    @classmethod
    def sent(cls, provider_message_id=""):
        return cls(True, provider_message_id)

    @classmethod
    def transient(cls, error):
        return cls(False, error=str(error)[:500])

    @classmethod
    def refused(cls, error):
        return cls(False, error=str(error)[:500], permanent=True)


class ChannelBackend:
    channel = ""
    provider = ""
    # Whether recipients can answer by replying "1" / "2" to the message itself.
    supports_inbound = False

    def open(self):
        """Prepare for a batch (connect). Raising here fails the batch as transient."""

    def close(self):
        """End the batch; never raises."""

    def send(self, message: Outgoing) -> Outcome:
        raise NotImplementedError
