"""A backup brings back a RETEX whole: its questionnaire's answers, findings, actions and the
stored report, which still matches its fingerprint."""

import hashlib
import json

import pytest
from django.core import serializers
from django.core.files.storage import default_storage

from tests.retex.factories import review_with_finding
from tests.retex.test_services import add_action
from tocsin.core.backup import restore_backup, write_backup
from tocsin.plans.enums import Section
from tocsin.retex import services
from tocsin.retex.models import Finding, ImprovementAction, Review
from tocsin.surveys.models import Answer, Question, Respondent, Survey

MODELS = [Review, Finding, ImprovementAction, Survey, Question, Respondent, Answer]


def snapshot():
    return {
        m.__name__: json.loads(serializers.serialize("json", m.objects.order_by("pk")))
        for m in MODELS
    }


@pytest.mark.django_db(transaction=True)
def test_a_retex_and_its_answers_survive_a_backup_and_restore(personas, tmp_path):
    review = review_with_finding(personas.cpts, personas.referent)
    add_action(personas.referent, review, plan_section=Section.RESPONSE, due_on="2027-01-15")
    survey = services.prepare_survey(personas.referent, review)
    respondent = Respondent.objects.create(survey=survey, name="Mairie de Pornic", kind="Mairie")
    Answer.objects.create(respondent=respondent, question=survey.questions.first(), value="oui")
    services.validate_review(personas.referent, review)
    before = snapshot()

    path = write_backup(tmp_path / "save.tar.gz")
    Review.objects.filter(pk=review.pk).update(summary="Modifié après la sauvegarde")
    Answer.objects.all().delete()
    restore_backup(path)

    assert snapshot() == before
    review.refresh_from_db()
    with default_storage.open(review.document.name, "rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == review.document_sha256
