"""The yearly indicators: people trained by profession, awareness reach, exercises and their
RETEX, for one year only; the page, its CSV and PDF, in a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ContactFactory
from tests.training.factories import session, training
from tocsin.alerts.models import Campaign, Recipient
from tocsin.core.models import AuditEntry
from tocsin.crises.models import Crisis
from tocsin.retex.models import Review
from tocsin.training.indicators import yearly_indicators
from tocsin.training.models import Registration

YEAR = timezone.localdate().year


def trained(sess, profession, attended=True):
    contact = ContactFactory(cpts=sess.cpts, profession_label=profession)
    return Registration.objects.create(session=sess, contact=contact, name=contact.full_name,
                                       profession=profession, status="registered",
                                       attended=attended)  # fmt: skip


def year_of_activity(personas, people=2):
    afgsu = training(personas.coordinator, personas.cpts, title="AFGSU SSE")
    held = session(personas.coordinator, afgsu, date=datetime.date(YEAR, 1, 15))
    for index in range(people):
        trained(held, "Infirmier" if index % 2 else "Pharmacien")
    trained(held, "Médecin", attended=False)
    older = session(personas.coordinator, afgsu, date=datetime.date(YEAR - 1, 6, 1))
    trained(older, "Médecin")
    sent = timezone.make_aware(datetime.datetime(YEAR, 2, 1, 9))
    letter = Campaign.objects.create(
        cpts=personas.cpts, kind="newsletter", title="Lettre", body="Texte", status="sent",
        sent_at=sent, ask_availability=False, next_channel_after=None, backup_after=None,
    )  # fmt: skip
    for answer, exclusion in (("ack", ""), ("", ""), ("", "no_channel")):
        Recipient.objects.create(campaign=letter, name="X", answer=answer, exclusion=exclusion)
    Campaign.objects.create(cpts=personas.cpts, title="Alerte", body="Alerte", status="sent",
                            sent_at=sent)  # alerts are not awareness  # fmt: skip
    lifted = Crisis.objects.create(cpts=personas.cpts, title="Exercice canicule", crisis_type=2,
                                   phase="levee", is_exercise=True, started_at=sent,
                                   closed_at=sent)  # fmt: skip
    Review.objects.create(cpts=personas.cpts, crisis=lifted, status="validated")
    Crisis.objects.create(cpts=personas.cpts, title="Exercice NRBC", crisis_type=4,
                          is_exercise=True, started_at=sent)  # fmt: skip
    Crisis.objects.create(cpts=personas.cpts, title="Vraie crise", crisis_type=2,
                          started_at=sent)  # fmt: skip


def test_the_figures_of_one_year(personas):
    year_of_activity(personas)
    figures = yearly_indicators(personas.cpts, YEAR)
    assert (figures.sessions, figures.attendances, figures.people_trained) == (1, 2, 2)
    assert sorted(figures.by_profession) == [("Infirmier", 1), ("Pharmacien", 1)]
    assert figures.by_training == [("AFGSU SSE", 1, 2)]
    assert figures.campaigns == 1 and ("Lettre d'information", 1) in figures.by_kind
    assert (figures.people_reached, figures.confirmations) == (2, 1)
    assert [(c.title, status) for c, _, status, _ in figures.exercises] == [
        ("Exercice canicule", "Validé"), ("Exercice NRBC", "En cours")]  # fmt: skip
    last_year = yearly_indicators(personas.cpts, YEAR - 1)
    assert last_year.people_trained == 1 and last_year.exercises == []


def test_page_csv_and_pdf(personas, client_for):
    year_of_activity(personas)
    client = client_for(personas.referent)
    page = client.get(reverse("training:indicators"), {"annee": "abc"}).content.decode()
    assert f"Synthèse {YEAR}" in page and "Exercice canicule" in page
    csv = client.get(reverse("training:indicators_csv"), {"annee": YEAR}).content.decode()
    assert "Personnes formées par profession;Infirmier;1" in csv
    assert "Synthèse;Exercices dont le RETEX est validé;1" in csv
    pdf = client.get(reverse("training:indicators_pdf"), {"annee": YEAR})
    assert pdf.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(code="training.indicators.exported").count() == 2
    assert client_for(personas.member).get(reverse("training:indicators")).status_code == 403


@pytest.mark.parametrize("people", [2, 20])
def test_the_page_has_a_fixed_number_of_queries(
    personas, client_for, django_assert_num_queries, people
):
    year_of_activity(personas, people=people)
    client = client_for(personas.referent)
    client.get(reverse("training:indicators"))
    with django_assert_num_queries(12):
        assert client.get(reverse("training:indicators")).status_code == 200
