"""RETEX in tests, built through the services the pages use."""

from tests.crises.factories import active_crisis, plan_with_canicule
from tocsin.crises import services as crises
from tocsin.retex import services


def lifted_exercise(cpts, actor, **extra):
    """An exercise played on the canicule plan (tasks from its fiche), then lifted."""
    _, risk = plan_with_canicule(cpts, actor)
    crisis = active_crisis(cpts, actor, risk=risk, **extra)
    crises.add_entry(actor, crisis, "received", "Appel de l'ARS : vigilance orange.")
    crises.add_entry(actor, crisis, "information", "Météo consultée.")
    crises.add_entry(actor, crisis, "action", "EHPAD Les Tamaris joint.")
    crises.set_task_status(actor, crisis.tasks.first(), "done")
    crises.close_crisis(actor, crisis, "Exercice joué ; alerte reçue et traitée.")
    return crisis


def review_with_finding(cpts, actor, **extra):
    review = services.start_review(actor, lifted_exercise(cpts, actor, **extra))
    services.add_finding(actor, review, polarity="negative", theme="alert",
                         text="Les EHPAD ont été prévenus tard.")  # fmt: skip
    return review
