"""Keeping the directory fresh: each contact confirms or corrects their own entry.

A contact receives a signed link (no account needed). Confirming stamps the entry as
verified today; corrections are kept aside until a coordinator or référent applies them,
because the directory is what the crisis cell will dial.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from tocsin.core.audit import log_action
from tocsin.core.errors import DomainError
from tocsin.core.tasks import send_email
from tocsin.directory.enums import DetailsRequestStatus
from tocsin.directory.models import DetailsRequest
from tocsin.directory.services import refresh_search_text

SALT = "tocsin.directory.details-request"
LINK_VALIDITY = timedelta(days=30)
SELF_EDITABLE = [
    "first_name", "last_name", "job_title", "mobile_phone", "work_phone", "email",
    "mssante_email", "skills", "is_volunteer", "consents_to_alerts", "preferred_channels",
]  # fmt: skip


def answer_url(details_request) -> str:
    token = signing.dumps(details_request.pk, salt=SALT)
    return settings.SITE_URL + reverse("directory:details_answer", kwargs={"token": token})


def request_from_token(token: str) -> DetailsRequest:
    try:
        pk = signing.loads(token, salt=SALT, max_age=LINK_VALIDITY)
    except signing.SignatureExpired as exc:
        raise DomainError("Ce lien a expiré. Demandez-en un nouveau à votre CPTS.") from exc
    except signing.BadSignature as exc:
        raise DomainError("Ce lien n'est pas valide. Vérifiez qu'il est complet.") from exc
    found = DetailsRequest.objects.select_related("contact", "cpts").filter(pk=pk).first()
    if found is None:
        raise DomainError("Cette demande n'existe plus.")
    return found


def send_details_requests(actor, cpts, contacts) -> tuple[list, list]:
    """One request per reachable contact; returns (sent, without e-mail) so none is dropped."""
    reachable = [c for c in contacts if c.email]
    unreachable = [c for c in contacts if not c.email]
    with transaction.atomic():
        requests = [DetailsRequest.objects.create(cpts=cpts, contact=c) for c in reachable]
        for details_request in requests:
            _queue_mail(details_request)
        data = {"sent": len(requests), "unreachable": len(unreachable)}
        log_action(actor, cpts, "directory.details.requested", cpts, data)
    return reachable, unreachable


def _queue_mail(details_request):
    context = {"request": details_request, "url": answer_url(details_request)}
    body = render_to_string("directory/emails/details_request.txt", context)
    subject = f"{details_request.cpts} : merci de vérifier vos coordonnées"
    to = [details_request.contact.email]
    transaction.on_commit(lambda: send_email.enqueue(to, subject, body))


def answer_details_request(details_request, form) -> bool:
    """Record the contact's answer; returns True if there are corrections to review."""
    if not details_request.is_open:
        raise DomainError("Vous avez déjà répondu à cette demande. Merci !")
    contact = details_request.contact
    proposed = {
        name: _plain(form.cleaned_data[name])
        for name in SELF_EDITABLE
        if _plain(form.cleaned_data[name]) != _plain(getattr(contact, name))
    }
    with transaction.atomic():
        details_request.answered_at = timezone.now()
        if proposed:
            details_request.status = DetailsRequestStatus.CORRECTED
            details_request.proposed = proposed
        else:
            details_request.status = DetailsRequestStatus.CONFIRMED
            contact.verified_on = timezone.localdate()
            contact.save(update_fields=["verified_on", "updated_at"])
        details_request.save(update_fields=["status", "proposed", "answered_at"])
        code = "corrected" if proposed else "confirmed"
        log_action(
            None,
            details_request.cpts,
            f"directory.details.{code}",
            contact,
            {"fields": sorted(proposed)},
            actor_label=contact.full_name,
        )
    return bool(proposed)


def review_corrections(actor, details_request, accept: bool) -> None:
    if details_request.status != DetailsRequestStatus.CORRECTED:
        raise DomainError("Ces corrections ont déjà été traitées.")
    contact = details_request.contact
    with transaction.atomic():
        if accept:
            for name, value in details_request.proposed.items():
                setattr(contact, name, value)
            contact.verified_on = timezone.localdate()
            contact.save()
            refresh_search_text(contact)
        details_request.status = (
            DetailsRequestStatus.APPLIED if accept else DetailsRequestStatus.REJECTED
        )
        details_request.reviewed_by = actor
        details_request.reviewed_at = timezone.now()
        details_request.save(update_fields=["status", "reviewed_by", "reviewed_at"])
        code = "applied" if accept else "rejected"
        log_action(actor, details_request.cpts, f"directory.details.{code}", contact)


def _plain(value):
    """Comparable, JSON-ready form of a contact field value."""
    if hasattr(value, "as_e164"):
        return value.as_e164
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return sorted(value)
    return value
