"""The signed personal link of each invitation, and the open link of a survey.

The token is the respondent's id signed with the site's secret; it is valid until the survey
closes (the answer page checks the closing, so a link sent before a later closing date still
works). A forged or truncated token is refused with a French message and changes nothing.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from tocsin.core.errors import DomainError
from tocsin.surveys.models import Respondent

SALT = "tocsin.surveys.answer"


def token_for(respondent_id: int) -> str:
    return signing.dumps(respondent_id, salt=SALT)


def answer_url(respondent_id: int) -> str:
    return settings.SITE_URL + reverse("survey_answer", kwargs={"token": token_for(respondent_id)})


def open_url(survey) -> str:
    return settings.SITE_URL + reverse("survey_open", kwargs={"token": survey.public_token})


def respondent_from_token(token: str) -> Respondent:
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature as exc:
        raise DomainError(
            "Ce lien n'est pas valide. Vérifiez qu'il est complet (copiez-le en entier)."
        ) from exc
    respondent = Respondent.objects.select_related("survey__cpts").filter(pk=pk).first()
    if respondent is None:
        raise DomainError("Ce questionnaire n'existe plus.")
    return respondent
