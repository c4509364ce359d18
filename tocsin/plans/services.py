"""Operations on the crisis plan. Each checks the version's state, saves in a transaction and
writes the audit trail; a validated version is never modified."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tocsin.core.audit import log_action
from tocsin.core.authorities import email_authority_members
from tocsin.core.errors import DomainError
from tocsin.plans import starter
from tocsin.plans.enums import FicheKind, PlanStatus, Section
from tocsin.plans.models import OPEN_STATUSES, CellMember, Fiche, PlanSection, PlanVersion
from tocsin.territory.models import Risk
from tocsin.territory.selectors import territory_summary

COPIED_FIELDS = [
    "referent", "referent_role", "referent_training", "deputy", "deputy_role",
    "deputy_training", "cell_place", "cell_fallback_place", "activation_procedure",
    "alert_chain",
]  # fmt: skip
FICHE_FIELDS = [
    "kind", "title", "role", "risk", "alert_level", "trigger", "checklist", "who",
    "resources", "contacts", "messages", "professions", "position",
]  # fmt: skip


def open_version(cpts):
    return PlanVersion.objects.for_cpts(cpts).filter(status__in=OPEN_STATUSES).first()


def start_plan(actor, cpts) -> PlanVersion:
    """Version 1 from the starter content, or the next version as a copy of the last one."""
    if open_version(cpts):
        raise DomainError("Une version du plan est déjà en cours de rédaction.")
    last = PlanVersion.objects.for_cpts(cpts).published().first()
    with transaction.atomic():
        version = _copy(last, actor) if last else _from_starter(cpts, actor)
        log_action(actor, cpts, "plans.version.created", version, {"number": version.number})
    return version


def _from_starter(cpts, actor) -> PlanVersion:
    version = PlanVersion.objects.create(cpts=cpts, number=1, created_by=actor)
    summary = territory_summary(cpts)
    values = {
        "cpts": cpts.name,
        "communes": summary["communes"],
        "population": f"{summary['population']:,}".replace(",", "\u202f"),
    }
    PlanSection.objects.bulk_create(
        PlanSection(version=version, key=key, body=starter.SECTIONS[key].format(**values))
        for key in Section.values
    )
    Fiche.objects.bulk_create(
        Fiche(version=version, kind=FicheKind.REFLEXE, role=role, title=title,
              checklist="\n".join(steps), position=index)
        for index, (role, title, steps) in enumerate(starter.FICHES_REFLEXE)
    )  # fmt: skip
    _add_action_fiches(version, Risk.objects.for_cpts(cpts).major())
    return version


def _copy(last, actor) -> PlanVersion:
    version = PlanVersion.objects.create(
        cpts=last.cpts,
        number=last.number + 1,
        based_on=last,
        created_by=actor,
        **{name: getattr(last, name) for name in COPIED_FIELDS},
    )
    PlanSection.objects.bulk_create(
        PlanSection(version=version, key=s.key, body=s.body) for s in last.sections.all()
    )
    CellMember.objects.bulk_create(
        CellMember(version=version, function=m.function, contact_id=m.contact_id,
                   is_backup=m.is_backup)
        for m in last.cell_members.all()
    )  # fmt: skip
    Fiche.objects.bulk_create(
        Fiche(version=version, **{name: getattr(f, name) for name in FICHE_FIELDS})
        for f in last.fiches.all()
    )
    return version


def add_missing_action_fiches(actor, version) -> int:
    """Starter fiches action for every major risk that has none yet."""
    _check_editable(version)
    covered = version.fiches.filter(kind=FicheKind.ACTION).values("risk_id")
    risks = Risk.objects.for_cpts(version.cpts).major().exclude(pk__in=covered)
    with transaction.atomic():
        count = _add_action_fiches(version, risks)
        if count:
            log_action(actor, version.cpts, "plans.fiches.added", version, {"count": count})
    return count


def _add_action_fiches(version, risks) -> int:
    fiches = [
        Fiche(version=version, kind=FicheKind.ACTION, risk=risk, position=index, **values)
        for index, risk in enumerate(risks)
        for values in starter.fiches_action_for(risk)
    ]
    Fiche.objects.bulk_create(fiches)
    return len(fiches)


def save_section(actor, section, body: str):
    _check_editable(section.version)
    with transaction.atomic():
        section.body = body
        section.save(update_fields=["body"])
        log_action(actor, section.version.cpts, "plans.section.updated", section.version,
                   {"section": section.get_key_display()})  # fmt: skip


def save_version_form(actor, form, code="plans.organisation.updated"):
    """Save a ModelForm bound to the version (organisation, change summary)."""
    _check_editable(form.instance)
    with transaction.atomic():
        version = form.save()
        log_action(actor, version.cpts, code, version, {"fields": form.changed_data})
    return version


def save_fiche(actor, form):
    version = form.instance.version
    _check_editable(version)
    with transaction.atomic():
        fiche = form.save()
        log_action(actor, version.cpts, "plans.fiche.saved", version, {"fiche": fiche.title})
    return fiche


def delete_fiche(actor, fiche):
    _check_editable(fiche.version)
    with transaction.atomic():
        log_action(actor, fiche.version.cpts, "plans.fiche.deleted", fiche.version,
                   {"fiche": fiche.title})  # fmt: skip
        fiche.delete()


def set_cell_members(actor, version, members: list[tuple[str, object, bool]]):
    """Replace the crisis cell roster with (function, contact, is_backup) rows."""
    _check_editable(version)
    with transaction.atomic():
        version.cell_members.all().delete()
        CellMember.objects.bulk_create(
            CellMember(version=version, function=f, contact=c, is_backup=b) for f, c, b in members
        )
        log_action(actor, version.cpts, "plans.cell.updated", version, {"members": len(members)})


def submit_version(actor, version):
    _check_editable(version)
    with transaction.atomic():
        version.status = PlanStatus.SUBMITTED
        version.submitted_at = timezone.now()
        version.save(update_fields=["status", "submitted_at"])
        log_action(actor, version.cpts, "plans.version.submitted", version)


def reopen_version(actor, version):
    """Back to draft when the COPIL asks for changes."""
    if version.status != PlanStatus.SUBMITTED:
        raise DomainError("Seule une version soumise au COPIL peut revenir en brouillon.")
    with transaction.atomic():
        version.status = PlanStatus.DRAFT
        version.save(update_fields=["status"])
        log_action(actor, version.cpts, "plans.version.reopened", version)


def validate_version(actor, version, copil_date, note: str):
    if version.status != PlanStatus.SUBMITTED:
        raise DomainError("Soumettez d'abord cette version au COPIL.")
    if not version.change_summary.strip():
        raise DomainError("Résumez les changements de cette version avant de la valider.")
    with transaction.atomic():
        version.status = PlanStatus.VALIDATED
        version.validated_on = copil_date
        version.validation_note = note
        version.validated_by = actor
        version.save(update_fields=["status", "validated_on", "validation_note", "validated_by"])
        log_action(actor, version.cpts, "plans.version.validated", version,
                   {"copil": copil_date.isoformat()})  # fmt: skip


def transmit_version(actor, version, recipients: list[str]):
    """Make a validated version available to the chosen authorities and e-mail them."""
    from tocsin.plans.models import Transmission

    if not version.is_published:
        raise DomainError("Seule une version validée par le COPIL peut être transmise.")
    already = set(version.transmissions.values_list("recipient", flat=True))
    new = [r for r in recipients if r not in already]
    if not new:
        raise DomainError("Cette version a déjà été transmise à ces autorités.")
    with transaction.atomic():
        for recipient in new:
            Transmission.objects.create(version=version, recipient=recipient, sent_by=actor)
        version.status = PlanStatus.TRANSMITTED
        version.save(update_fields=["status"])
        log_action(actor, version.cpts, "plans.version.transmitted", version,
                   {"recipients": ", ".join(sorted(new))})  # fmt: skip
        _notify_authorities(version, new)
    return new


def _notify_authorities(version, recipients):
    url = settings.SITE_URL + reverse("plans:authority_list")
    subject = f"{version.cpts} : plan de gestion de crise, version {version.number}"
    email_authority_members(version.cpts, recipients, subject, "plans/emails/transmitted.txt",
                            {"version": version, "url": url})  # fmt: skip


def acknowledge_transmission(actor, transmission):
    if transmission.acknowledged_at:
        raise DomainError("La réception de cette version est déjà confirmée.")
    with transaction.atomic():
        transmission.acknowledged_at = timezone.now()
        transmission.acknowledged_by = actor
        transmission.save(update_fields=["acknowledged_at", "acknowledged_by"])
        recipient = transmission.get_recipient_display()
        log_action(actor, transmission.version.cpts, "plans.version.acknowledged",
                   transmission.version, {"recipient": recipient})  # fmt: skip


def _check_editable(version):
    if not version.is_editable:
        raise DomainError(
            "Cette version n'est plus modifiable (soumise ou validée). "
            "Créez une nouvelle version pour la faire évoluer."
        )
