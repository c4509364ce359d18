"""How complete a plan version is against the national template: a score and a to-do list.

Each check is one requirement of the template (référent named, cell place, a fiche action per
major risk, the five crisis types covered…) with the page where it is fixed.
"""

from dataclasses import dataclass

from django.urls import reverse

from tocsin.plans.enums import CellFunction, FicheKind, FicheRole, Section
from tocsin.territory.enums import CrisisType
from tocsin.territory.models import Risk
from tocsin.training.selectors import is_up_to_date, required_training_statuses

SECTIONS_TO_WRITE = [
    Section.CONTINUITY,
    Section.COMMUNICATION,
    Section.TRAINING,
    Section.PILOTING,
    Section.RETEX,
]


@dataclass(frozen=True)
class Check:
    label: str
    done: bool
    url: str


@dataclass(frozen=True)
class Completeness:
    checks: list[Check]

    @property
    def score(self) -> int:
        return round(100 * sum(c.done for c in self.checks) / len(self.checks))

    @property
    def todo(self) -> list[Check]:
        return [c for c in self.checks if not c.done]


def check_version(version) -> Completeness:
    return Completeness(
        _organisation(version)
        + _required_trainings(version)
        + _cell(version)
        + _fiches(version)
        + _sections(version)
    )


def _url(name, version, **extra):
    return reverse(f"plans:{name}", kwargs={"number": version.number, **extra})


def _organisation(version) -> list[Check]:
    url = _url("organisation_edit", version)
    return [
        Check("Référent SSE désigné", version.referent_id is not None, url),
        Check("Rôle du référent décrit", bool(version.referent_role.strip()), url),
        Check("Formations du référent renseignées", bool(version.referent_training.strip()), url),
        Check("Suppléant désigné", version.deputy_id is not None, url),
        Check("Lieu de réunion de la cellule", bool(version.cell_place.strip()), url),
        Check("Lieu de repli de la cellule", bool(version.cell_fallback_place.strip()), url),
        Check("Procédure d'activation", bool(version.activation_procedure.strip()), url),
        Check("Chaîne d'alerte", bool(version.alert_chain.strip()), url),
    ]


def _required_trainings(version) -> list[Check]:
    """Only when the catalogue flags trainings as required of the référent and the suppléant."""
    people = {"référent": version.referent_id, "suppléant": version.deputy_id}
    statuses = required_training_statuses(version.cpts, list(people.values()))
    if not any(statuses.values()):
        return []
    url = reverse("training:home")
    done = {label: pk is not None and is_up_to_date(statuses[pk]) for label, pk in people.items()}
    return [Check(f"Formations exigées du {label} à jour", done[label], url) for label in people]


def _cell(version) -> list[Check]:
    functions = {m.function for m in version.cell_members.all()}
    url = _url("cell_edit", version)
    return [
        Check(f"Cellule : fonction « {label} » attribuée", value in functions, url)
        for value, label in CellFunction.choices
    ]


def _fiches(version) -> list[Check]:
    fiches = list(version.fiches.all())
    roles = {f.role for f in fiches if f.kind == FicheKind.REFLEXE}
    covered = {f.risk_id for f in fiches if f.kind == FicheKind.ACTION}
    checks = [
        Check(f"Fiche réflexe « {label} »", value in roles, _url("fiche_list", version))
        for value, label in FicheRole.choices
    ]
    risks = list(Risk.objects.for_cpts(version.cpts).major())
    add_url = _url("fiches_add_missing", version)
    checks += [
        Check(f"Fiche action pour le risque « {r} »", r.pk in covered, add_url) for r in risks
    ]
    types = {r.crisis_type for r in risks if r.pk in covered}
    register = reverse("territory:risk_list")
    checks += [
        Check(f"Type de crise {value} couvert : {label}", value in types, register)
        for value, label in CrisisType.choices
    ]
    return checks


def _sections(version) -> list[Check]:
    bodies = {s.key: s.body for s in version.sections.all()}
    return [
        Check(
            f"Section « {Section(key).label} » rédigée",
            bool(bodies.get(key, "").strip()),
            _url("section_edit", version, key=key),
        )
        for key in SECTIONS_TO_WRITE
    ]
