"""« Merci de vérifier vos coordonnées »: signed links, confirmation, reviewed corrections."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import ContactFactory
from tocsin.core.models import AuditEntry
from tocsin.directory.enums import DetailsRequestStatus
from tocsin.directory.models import DetailsRequest


@pytest.fixture
def stale(personas):
    old = timezone.localdate() - timedelta(days=400)
    reachable = ContactFactory(cpts=personas.cpts, last_name="Ancien", verified_on=old)
    silent = ContactFactory(cpts=personas.cpts, last_name="Sansmail", email="", verified_on=None)
    ContactFactory(cpts=personas.cpts, last_name="Recent", verified_on=timezone.localdate())
    return reachable, silent


def send(personas, client_for, capture):
    client = client_for(personas.coordinator)
    with capture(execute=True):
        response = client.post(reverse("directory:details_send"), follow=True)
    return response.content.decode()


def link_in(message) -> str:
    return re.search(r"https?://\S+/mes-coordonnees/\S+/", message.body).group(0)


def test_stale_contacts_get_a_link_and_those_without_email_are_listed(
    personas, stale, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    html = send(personas, client_for, django_capture_on_commit_callbacks)
    # The personas' own contact already has an open request: it is not asked twice.
    assert [m.to for m in mailoutbox] == [[stale[0].email]]
    assert "Sans adresse e-mail, à appeler : Camille Sansmail" in html
    # A second click within 30 days does not send the same request again.
    mailoutbox.clear()
    send(personas, client_for, django_capture_on_commit_callbacks)
    assert mailoutbox == []


def test_confirming_stamps_the_entry_as_verified(
    personas, stale, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    send(personas, client_for, django_capture_on_commit_callbacks)
    message = next(m for m in mailoutbox if m.to == [stale[0].email])
    url = link_in(message)
    public = Client()
    page = public.get(url).content.decode()
    assert 'value="Ancien"' in page
    form = {"first_name": "Camille", "last_name": "Ancien", "mobile_phone": "06 12 34 56 78",
            "email": stale[0].email}  # fmt: skip
    html = public.post(url, form).content.decode()
    assert "vos coordonnées sont confirmées" in html
    stale[0].refresh_from_db()
    assert stale[0].verified_on == timezone.localdate()
    assert "Vous avez déjà répondu" in public.post(url, form).content.decode()


def test_corrections_wait_for_review_then_apply(
    personas, stale, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    send(personas, client_for, django_capture_on_commit_callbacks)
    url = link_in(next(m for m in mailoutbox if m.to == [stale[0].email]))
    form = {"first_name": "Camille", "last_name": "Ancien", "mobile_phone": "07 81 23 45 67",
            "email": stale[0].email, "is_volunteer": "on"}  # fmt: skip
    assert "transmises à la coordination" in Client().post(url, form).content.decode()
    stale[0].refresh_from_db()
    assert stale[0].mobile_phone.as_e164 == "+33612345678"  # nothing applied yet

    reviewer = client_for(personas.referent)
    page = reviewer.get(reverse("directory:details_review_list")).content.decode()
    assert "+33781234567" in page and "Volontaire pour les missions de crise" in page
    pending = DetailsRequest.objects.get(status=DetailsRequestStatus.CORRECTED)
    reviewer.post(reverse("directory:details_review", kwargs={"pk": pending.pk}), {"accept": "1"})
    stale[0].refresh_from_db()
    assert stale[0].mobile_phone.as_e164 == "+33781234567"
    assert stale[0].is_volunteer
    codes = set(AuditEntry.objects.values_list("code", flat=True))
    assert {"directory.details.corrected", "directory.details.applied"} <= codes


def test_a_tampered_or_expired_link_explains_itself(personas, stale, settings):
    client = Client()
    html = client.get(reverse("directory:details_answer", kwargs={"token": "abc:def"}))
    assert "Ce lien n&#x27;est pas valide" in html.content.decode()
