"""The signed registration link of each invitation.

The token is the registration's id signed with the site's secret: no account is needed, and
a forged or truncated token is refused with a French message and changes nothing. It stays
valid as long as the session exists (the page itself says when the session is over).
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from tocsin.core.errors import DomainError
from tocsin.training.models import Registration

SALT = "tocsin.training.registration"


def token_for(registration_id: int) -> str:
    return signing.dumps(registration_id, salt=SALT)


def registration_url(registration_id: int) -> str:
    path = reverse("training:register", kwargs={"token": token_for(registration_id)})
    return settings.SITE_URL + path


def registration_from_token(token: str) -> Registration:
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature as exc:
        raise DomainError(
            "Ce lien d'inscription n'est pas valide. Vérifiez qu'il est complet (copiez-le en "
            "entier)."
        ) from exc
    found = Registration.objects.select_related("session__training", "session__cpts")
    registration = found.filter(pk=pk).first()
    if registration is None:
        raise DomainError("Cette inscription n'existe plus.")
    return registration
