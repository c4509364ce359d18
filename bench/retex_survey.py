"""The questionnaire and RETEX pages as the answers pile up, as `make bench` runs them.

The demo exercise is lifted and its RETEX opened with the starter questionnaire; 300, then
3,000 respondents send an answer to each of its 12 questions (36,000 answers). At each size the
results page, the RETEX page, the CSV export and the RETEX report (PDF, as validation renders
it) are timed, and one respondent's « Envoyer mes réponses » through the answer page; each as a
ratio to the login page (no CPTS data) measured in the same run. Queries are counted too: they
must not grow with the respondents; the time may, as the answers are counted in Python.
Run alone: .venv/bin/python bench/retex_survey.py
"""

import datetime
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import _measure as measure  # noqa: E402
from bench._django_env import start  # noqa: E402

WORK = start("tocsin-bench-retex-", ALLOWED_HOSTS="testserver")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from tests.conftest import login  # noqa: E402
from tocsin.core.demo import DEMO_DOMAIN, load_demo  # noqa: E402
from tocsin.core.models import User  # noqa: E402
from tocsin.crises import services as crises  # noqa: E402
from tocsin.crises.models import Crisis  # noqa: E402
from tocsin.retex import documents, services  # noqa: E402
from tocsin.surveys import links  # noqa: E402
from tocsin.surveys.enums import QuestionKind, SurveyStatus, Via  # noqa: E402
from tocsin.surveys.models import Answer, Respondent  # noqa: E402

RUNS = 15
SIZES = (300, 3_000)


def median_ms(action, runs=RUNS) -> float:
    return measure.median_ms(action, runs)


def value_for(question, rng):
    match question.kind:
        case QuestionKind.SINGLE:
            return rng.choice(question.choices)
        case QuestionKind.MULTIPLE:
            return rng.sample(question.choices, rng.randint(1, 3))
        case QuestionKind.SCALE:
            return rng.randint(1, 5)
        case QuestionKind.YES_NO:
            return rng.choice(["oui", "non"])
        case QuestionKind.NUMBER:
            return rng.randint(0, 40)
    return rng.choice(["Prévenir les mairies plus tôt.", "Rien à signaler.", "Plus d'EPI."])


def add_respondents(survey, count, rng):
    """`count` invited respondents who sent an answer to every question (bulk, as fixtures)."""
    now = timezone.now()
    first = Respondent.objects.filter(survey=survey).count()
    kinds = ["Mairie", "Infirmier", "Médecin", "Pharmacien", "EHPAD"]
    Respondent.objects.bulk_create(
        Respondent(survey=survey, name=f"Répondant {i}", email=f"r{i}@{DEMO_DOMAIN}",
                   kind=kinds[i % len(kinds)], via=Via.INVITATION, invited_at=now,
                   saved_at=now, submitted_at=now)
        for i in range(first, first + count)
    )  # fmt: skip
    questions = list(survey.questions.all())
    new = Respondent.objects.filter(survey=survey).order_by("pk")[first:]
    Answer.objects.bulk_create(
        (Answer(respondent=r, question=q, value=value_for(q, rng)) for r in new for q in questions),
        batch_size=2_000,
    )


def setup():
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    cpts = load_demo(exercise=True)["cpts"]
    referent = User.objects.get(email=f"referent@{DEMO_DOMAIN}")
    crisis = Crisis.objects.get(cpts=cpts)
    crises.close_crisis(referent, crisis, "Exercice joué.")
    review = services.start_review(referent, crisis)
    services.add_finding(referent, review, polarity="negative", theme="alert",
                         text="Les mairies ont été prévenues tard.")  # fmt: skip
    survey = services.prepare_survey(referent, review)
    survey.status, survey.opened_at = SurveyStatus.OPEN, timezone.now()
    survey.closes_at = timezone.now() + datetime.timedelta(days=7)
    survey.save()
    return referent, review, survey


def answer_action(survey, respondent):
    """One respondent sending every answer through the public page (as a phone would)."""
    client = Client()
    url = f"/q/{links.token_for(respondent.pk)}/"
    data = {"action": "send"}
    for question in survey.questions.all():
        field = f"q{question.pk}"
        match question.kind:
            case QuestionKind.MULTIPLE:
                data[field] = question.choices[:2]
            case QuestionKind.SCALE:
                data[field] = "4"
            case QuestionKind.YES_NO:
                data[field] = "oui"
            case QuestionKind.NUMBER:
                data[field] = "3"
            case _:
                data[field] = "Prévenir les mairies plus tôt."

    def action():
        response = client.post(url, data)
        assert response.status_code == 200 and "Merci" in response.content.decode(), url

    return action


def main():
    referent, review, survey = setup()
    client = login(Client(), referent)
    baseline = median_ms(measure.get(Client(), "/connexion/"))
    print(f"référence : page de connexion {baseline:.2f} ms (médiane de {RUNS})")
    rng = random.Random(2026)
    pages = {
        "résultats": f"/questionnaires/{survey.pk}/resultats/",
        "page du RETEX": f"/retex/{review.pk}/",
        "export CSV": f"/questionnaires/{survey.pk}/reponses.csv",
    }
    for size in SIZES:
        add_respondents(survey, size - survey.respondents.count(), rng)
        label = f"{size:,} réponses".replace(",", "\u202f")
        for name, url in pages.items():
            ms = median_ms(measure.get(client, url))
            with CaptureQueriesContext(connection) as queries:
                measure.get(client, url)()
            print(f"{label:<16} {name:<18} {ms:8.2f} ms  ×{ms / baseline:6.2f}  "
                  f"{len(queries):2d} requêtes")  # fmt: skip
        pdf_ms = median_ms(lambda: documents.render_report_pdf(review), runs=3)
        print(f"{label:<16} {'rapport PDF':<18} {pdf_ms:8.2f} ms  ×{pdf_ms / baseline:6.2f}")
        respondent = survey.respondents.first()
        send_ms = median_ms(answer_action(survey, respondent))
        print(
            f"{label:<16} {'envoi des réponses':<18} {send_ms:8.2f} ms  ×{send_ms / baseline:6.2f}"
        )


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
