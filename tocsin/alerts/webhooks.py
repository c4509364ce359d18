"""Provider callbacks: delivery receipts and inbound SMS replies.

A provider (or the relay in front of it) is configured to call
`/alertes/fournisseurs/<provider>/<TOCSIN_ALERTS_WEBHOOK_TOKEN>/remises/` with
`{"events": [{"message_id": "…", "status": "delivered|failed|bounced", "reason": "…"}]}` and
`…/reponses/` with `{"message_id": "…", "from": "+336…", "text": "1"}` (JSON, or the same
fields form-encoded). The secret in the URL is compared in constant time; without a configured
secret the callbacks do not exist. Replays are answered 200 and change nothing; malformed input
gets a 400 with a French message, never an error page.
"""

import hmac
import json

import phonenumbers
from django.conf import settings
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tocsin.alerts import services
from tocsin.core.access import public_view
from tocsin.core.errors import DomainError

MAX_BODY = 1_000_000


def _check_token(token: str):
    expected = settings.ALERTS_WEBHOOK_TOKEN
    if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        raise Http404("Adresse inconnue.")


def _payload(request) -> dict:
    if len(request.body) > MAX_BODY:
        raise DomainError("Message trop volumineux.")
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise DomainError("JSON illisible.") from exc
        if not isinstance(data, dict):
            raise DomainError("Un objet JSON est attendu.")
        return data
    return request.POST.dict()


def _refused(message: str) -> JsonResponse:
    return JsonResponse({"ok": False, "erreur": message}, status=400)


@public_view
@csrf_exempt
@require_POST
def receipts(request, provider, token):
    _check_token(token)
    try:
        data = _payload(request)
        events = data.get("events", [data])
        if not isinstance(events, list):
            raise DomainError("« events » doit être une liste.")
        new = 0
        for event in events:
            if not isinstance(event, dict) or not event.get("message_id"):
                raise DomainError("Chaque accusé doit porter un « message_id ».")
            new += services.record_receipt(
                provider, str(event["message_id"])[:200], str(event.get("status", "")),
                str(event.get("reason", ""))[:500], payload=event,
            )  # fmt: skip
    except DomainError as error:
        return _refused(error.message)
    return JsonResponse({"ok": True, "nouveaux": new, "recus": len(events)})


@public_view
@csrf_exempt
@require_POST
def inbound(request, provider, token):
    _check_token(token)
    try:
        data = _payload(request)
        message_id, sender = str(data.get("message_id", "")), str(data.get("from", ""))
        if not message_id or not sender:
            raise DomainError("« message_id » et « from » sont obligatoires.")
        result = services.record_inbound_sms(
            provider, message_id[:200], _e164(sender), str(data.get("text", ""))
        )
    except DomainError as error:
        return _refused(error.message)
    return JsonResponse({"ok": True, "resultat": result})


def _e164(number: str) -> str:
    try:
        parsed = phonenumbers.parse(number, "FR")
    except phonenumbers.NumberParseException as exc:
        raise DomainError("Numéro d'expéditeur illisible.") from exc
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
