"""The signed, expiring one-click link each message carries: no account needed to answer.

The token is the recipient's id signed with the site's secret and a timestamp; a forged,
truncated or expired token is refused with a French message and changes nothing.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from tocsin.alerts.models import Recipient
from tocsin.core.errors import DomainError

SALT = "tocsin.alerts.answer"


def token_for(recipient_id: int) -> str:
    return signing.dumps(recipient_id, salt=SALT)


def answer_url(recipient_id: int) -> str:
    return settings.SITE_URL + reverse("alert_answer", kwargs={"token": token_for(recipient_id)})


def recipient_from_token(token: str) -> Recipient:
    validity = timedelta(hours=settings.ALERTS_ANSWER_LINK_HOURS)
    try:
        pk = signing.loads(token, salt=SALT, max_age=validity)
    except signing.SignatureExpired as exc:
        raise DomainError(
            "Ce lien a expiré. Si l'alerte est toujours en cours, appelez votre CPTS."
        ) from exc
    except signing.BadSignature as exc:
        raise DomainError(
            "Ce lien n'est pas valide. Vérifiez qu'il est complet (copiez-le en entier)."
        ) from exc
    recipient = (
        Recipient.objects.select_related("campaign__cpts", "campaign__crisis").filter(pk=pk).first()
    )
    if recipient is None:
        raise DomainError("Cette alerte n'existe plus.")
    return recipient
