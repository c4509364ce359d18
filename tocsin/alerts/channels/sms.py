"""SMS backends, chosen by `TOCSIN_SMS_BACKEND`: `file` (the default: one JSON line per SMS in
`data/sms/`), `console`, `ovh` (OVHcloud's SMS API through its official `ovh` client), or the
dotted path of any class offering the same interface.

Numbers are E.164 (« +33612345678 ») as the directory stores them.
"""

import json
import sys
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from tocsin.alerts.channels.base import ChannelBackend, Outcome, Outgoing


class SmsBackend(ChannelBackend):
    channel = "sms"


class ConsoleSms(SmsBackend):
    """Prints each SMS (development); never sends."""

    provider = "console"

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, message: Outgoing) -> Outcome:
        self.stream.write(f"SMS → {message.to} : {message.text}\n")
        self.stream.flush()
        return Outcome.sent(f"console-{uuid.uuid4().hex}")


class FileSms(SmsBackend):
    """Appends each SMS as one JSON line to `data/sms/AAAA-MM-JJ.jsonl`; never sends."""

    provider = "fichier"

    def __init__(self, directory=None):
        self.directory = Path(directory or settings.DATA_DIR / "sms")
        self.file = None

    def open(self):
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{timezone.localdate().isoformat()}.jsonl"
        self.file = path.open("a", encoding="utf-8")

    def close(self):
        if self.file is not None:
            self.file.close()
            self.file = None

    def send(self, message: Outgoing) -> Outcome:
        if self.file is None:
            self.open()
        message_id = f"fichier-{uuid.uuid4().hex}"
        line = {"id": message_id, "to": message.to, "text": message.text, "key": message.key,
                "at": timezone.now().isoformat()}  # fmt: skip
        self.file.write(json.dumps(line, ensure_ascii=False) + "\n")
        self.file.flush()
        return Outcome.sent(message_id)


class OvhSms(SmsBackend):
    """OVHcloud SMS (`POST /sms/{service}/jobs`). Replies reach us when the account's sender
    is a number that accepts answers (`TOCSIN_SMS_OVH_SENDER_FOR_RESPONSE`)."""

    provider = "ovh"

    def __init__(self):
        import ovh  # imported here: only a site that chose OVH pays for it

        self.service = settings.SMS_OVH_SERVICE
        endpoint = settings.SMS_OVH_ENDPOINT
        self.client = ovh.Client(
            endpoint="ovh-eu" if "://" in endpoint else endpoint,
            application_key=settings.SMS_OVH_APPLICATION_KEY,
            application_secret=settings.SMS_OVH_APPLICATION_SECRET,
            consumer_key=settings.SMS_OVH_CONSUMER_KEY,
            timeout=settings.SMS_TIMEOUT,
        )
        if "://" in endpoint:
            # A full URL points the client at a stand-in (tests) or a relay; the client only
            # knows region names, so its base URL is set directly.
            self.client._endpoint = endpoint.rstrip("/")
        self.supports_inbound = settings.SMS_OVH_SENDER_FOR_RESPONSE

    def send(self, message: Outgoing) -> Outcome:
        import ovh.exceptions as errors

        data = {"message": message.text, "receivers": [message.to], "noStopClause": True,
                "priority": "high", "charset": "UTF-8", "coding": "8bit"}  # fmt: skip
        if settings.SMS_SENDER:
            data["sender"] = settings.SMS_SENDER
        if self.supports_inbound:
            data["senderForResponse"] = True
        try:
            result = self.client.post(f"/sms/{self.service}/jobs", **data)
        except (errors.BadParametersError, errors.ResourceNotFoundError,
                errors.NotCredential, errors.Forbidden, errors.InvalidKey) as error:  # fmt: skip
            return Outcome.refused(f"OVH : {error}")
        except errors.APIError as error:
            return Outcome.transient(f"OVH : {error}")
        if result.get("invalidReceivers"):
            return Outcome.refused(f"Numéro refusé par OVH : {message.to}")
        ids = result.get("ids") or []
        return Outcome.sent(str(ids[0]) if ids else "")
