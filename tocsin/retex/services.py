"""Operations of the RETEX. Each checks the review's state, saves in a transaction and writes
the audit trail. A validated review never changes (its report is stored once); its improvement
actions are still followed until done, and those that change the plan go into its next version.
"""

import datetime
import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tocsin.core.audit import log_action
from tocsin.core.authorities import email_authority_members
from tocsin.core.errors import DomainError
from tocsin.crises.enums import EntryKind
from tocsin.plans import services as plans
from tocsin.plans.enums import PlanStatus
from tocsin.retex import documents
from tocsin.retex.enums import ActionStatus, ReviewStatus
from tocsin.retex.figures import key_figures
from tocsin.retex.models import Finding, ImprovementAction, Review, ReviewTransmission
from tocsin.surveys.starter import create_retex_survey

# What the timeline keeps of the main courante: what was decided and what came in and went out.
TIMELINE_KINDS = (EntryKind.DECISION, EntryKind.RECEIVED, EntryKind.SENT)
TIMELINE_MAX_LINES = 300
SURVEY_OPEN_DAYS = 21


def timeline_from_logbook(crisis) -> str:
    """One line per decision and message, plus the actions the cell wrote by hand."""
    entries = crisis.entries.filter(kind__in=TIMELINE_KINDS) | crisis.entries.filter(
        kind=EntryKind.ACTION, automatic=False
    )
    lines = [
        f"{timezone.localtime(e.at):%d/%m %H:%M} — {e.get_kind_display()} — {e.text}"
        for e in entries.order_by("seq")[:TIMELINE_MAX_LINES]
    ]
    return "\n".join(line.replace("\n", " ") for line in lines)


def start_review(actor, crisis) -> Review:
    """The RETEX of a lifted crisis or exercise, prefilled from its closing and its logbook."""
    if crisis.is_active:
        raise DomainError("Levez d'abord la crise : le RETEX se fait une fois la crise terminée.")
    if Review.objects.filter(crisis=crisis).exists():
        raise DomainError("Le RETEX de cette crise est déjà ouvert.")
    with transaction.atomic():
        review = Review.objects.create(
            cpts=crisis.cpts, crisis=crisis, summary=crisis.closing_summary,
            timeline=timeline_from_logbook(crisis), created_by=actor,
        )  # fmt: skip
        log_action(actor, crisis.cpts, "retex.review.started", review)
    return review


def _check_editable(review):
    if not review.is_editable:
        raise DomainError("Ce RETEX est validé : il ne se modifie plus.")


def save_review(actor, form) -> Review:
    _check_editable(form.instance)
    with transaction.atomic():
        review = form.save()
        log_action(actor, review.cpts, "retex.review.saved", review, {"fields": form.changed_data})
    return review


def prepare_survey(actor, review):
    """The starter RETEX questionnaire, attached to the review, ready to send."""
    _check_editable(review)
    if review.survey_id:
        raise DomainError("Ce RETEX a déjà son questionnaire.")
    crisis = review.crisis
    with transaction.atomic():
        review.survey = create_retex_survey(
            actor, review.cpts, title=f"RETEX — {crisis.title}", is_exercise=crisis.is_exercise,
            closes_at=_in_three_weeks(),
        )  # fmt: skip
        review.save(update_fields=["survey"])
        log_action(actor, review.cpts, "retex.review.survey", review)
    return review.survey


def _in_three_weeks():
    """The RETEX questionnaire's default closing: three weeks, at 18:00, before the cold review."""
    day = timezone.localdate() + datetime.timedelta(days=SURVEY_OPEN_DAYS)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(18, 0)))


# --- Findings and improvement actions ---


def add_finding(actor, review, *, polarity, theme, text) -> Finding:
    _check_editable(review)
    if not text.strip():
        raise DomainError("Décrivez le constat.")
    with transaction.atomic():
        finding = Finding.objects.create(review=review, polarity=polarity, theme=theme,
                                         text=text.strip())  # fmt: skip
        log_action(actor, review.cpts, "retex.finding.added", review,
                   {"polarity": finding.get_polarity_display()})  # fmt: skip
    return finding


def delete_finding(actor, finding):
    review = finding.review
    _check_editable(review)
    with transaction.atomic():
        log_action(actor, review.cpts, "retex.finding.deleted", review, {"text": finding.text})
        finding.delete()


def add_action(actor, review, form) -> ImprovementAction:
    """An action of the review's plan; added while the review is written."""
    _check_editable(review)
    action = form.save(commit=False)
    action.cpts, action.review, action.created_by = review.cpts, review, actor
    with transaction.atomic():
        action.save()
        log_action(actor, review.cpts, "retex.action.added", review, {"action": str(action)})
    return action


def update_action(actor, form) -> ImprovementAction:
    """Owner, due date, section: followed after validation too, since the work goes on."""
    action = form.instance
    if action.plan_version_id and "plan_section" in form.changed_data:
        raise DomainError(
            "Cette action est déjà reprise dans une version du plan : sa section ne change plus."
        )
    with transaction.atomic():
        action = form.save()
        log_action(actor, action.cpts, "retex.action.updated", action.review,
                   {"action": str(action), "fields": form.changed_data})  # fmt: skip
    return action


def set_action_status(actor, action, status):
    if status not in ActionStatus.values:
        raise DomainError("État inconnu.")
    if status == action.status:
        raise DomainError("L'action est déjà dans cet état.")
    before = action.get_status_display()
    with transaction.atomic():
        action.status = status
        action.done_on = timezone.localdate() if status == ActionStatus.DONE else None
        action.save(update_fields=["status", "done_on"])
        log_action(actor, action.cpts, "retex.action.status", action.review,
                   {"action": str(action), "before": before,
                    "after": action.get_status_display()})  # fmt: skip


# --- Report and sending ---


def validate_review(actor, review):
    """Freeze the review: its figures are stored and its report rendered once, with its hash."""
    _check_editable(review)
    if not review.summary.strip():
        raise DomainError("Rédigez la synthèse avant de valider le RETEX.")
    if not review.findings.exists():
        raise DomainError("Notez au moins un constat avant de valider le RETEX.")
    review.figures = key_figures(review.crisis)
    review.validated_at, review.validated_by = timezone.now(), actor
    review.status = ReviewStatus.VALIDATED
    pdf = documents.render_report_pdf(review)
    with transaction.atomic():
        review.document_sha256 = hashlib.sha256(pdf).hexdigest()
        review.document.save(documents.document_name(review), ContentFile(pdf), save=False)
        review.save()
        log_action(actor, review.cpts, "retex.review.validated", review)
    return review


def transmit_review(actor, review, recipients: list[str]) -> list[str]:
    """Make the validated report available to the chosen authorities and e-mail them."""
    if review.status == ReviewStatus.DRAFT:
        raise DomainError("Validez d'abord le RETEX : son rapport est alors figé.")
    already = set(review.transmissions.values_list("recipient", flat=True))
    new = [r for r in recipients if r not in already]
    if not new:
        raise DomainError("Ce RETEX a déjà été transmis à ces autorités.")
    with transaction.atomic():
        ReviewTransmission.objects.bulk_create(
            ReviewTransmission(review=review, recipient=r, sent_by=actor) for r in new
        )
        review.status = ReviewStatus.TRANSMITTED
        review.save(update_fields=["status"])
        log_action(actor, review.cpts, "retex.review.transmitted", review,
                   {"recipients": ", ".join(sorted(new))})  # fmt: skip
        _notify_authorities(review, new)
    return new


def _notify_authorities(review, recipients):
    url = settings.SITE_URL + reverse("retex:authority_list")
    prefix = "[EXERCICE] " if review.crisis.is_exercise else ""
    subject = f"{prefix}{review.cpts} : retour d'expérience — {review.crisis.title}"
    email_authority_members(review.cpts, recipients, subject, "retex/emails/transmitted.txt",
                            {"review": review, "url": url})  # fmt: skip


def acknowledge_transmission(actor, transmission):
    if transmission.acknowledged_at:
        raise DomainError("La réception de ce RETEX est déjà confirmée.")
    with transaction.atomic():
        transmission.acknowledged_at, transmission.acknowledged_by = timezone.now(), actor
        transmission.save(update_fields=["acknowledged_at", "acknowledged_by"])
        review = transmission.review
        recipient = transmission.get_recipient_display()
        log_action(
            actor, review.cpts, "retex.review.acknowledged", review, {"recipient": recipient}
        )


# --- Closing the loop ---


def start_plan_update(actor, review):
    """The next plan draft (or the draft being written), carrying the review's open actions
    that change a plan section; its change summary lists them."""
    version = plans.open_version(review.cpts)
    if version is not None and version.status != PlanStatus.DRAFT:
        raise DomainError(
            "La version du plan en cours est soumise au COPIL : remettez-la en brouillon "
            "pour y reprendre les actions du RETEX."
        )
    actions = list(
        review.actions.open().filter(plan_version__isnull=True).exclude(plan_section="")
        .select_related("owner").order_by("plan_section", "pk")
    )  # fmt: skip
    with transaction.atomic():
        version = version or plans.start_plan(actor, review.cpts)
        for action in actions:
            action.plan_version = version
        ImprovementAction.objects.bulk_update(actions, ["plan_version"])
        if actions:
            version.change_summary = _with_actions(version.change_summary, review, actions)
            version.save(update_fields=["change_summary"])
        log_action(actor, review.cpts, "retex.plan.update_started", review,
                   {"count": len(actions), "number": version.number})  # fmt: skip
    return version, len(actions)


def _with_actions(summary: str, review, actions) -> str:
    lines = [f"Actions d'amélioration issues du {review} :"]
    for action in actions:
        owner = f" (responsable : {action.owner})" if action.owner_id else ""
        due = f", échéance {action.due_on:%d/%m/%Y}" if action.due_on else ""
        lines.append(f"- {action.get_plan_section_display()} : {action.description}{owner}{due}")
    return "\n".join(filter(None, [summary.strip(), "\n".join(lines)]))
