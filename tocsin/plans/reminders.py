"""When the plan must be updated: yearly, 12 months after the last validated version, and
after every real crisis, PLAN_UPDATE_AFTER_CRISIS_DAYS after its levée — whichever comes first.

The dashboard shows it; `send_plan_reminders` (run daily by cron or a systemd timer) e-mails
the coordinators and référents a month before and when it is overdue, at most once a week.
An exercise's lessons go through its RETEX; only a real crisis makes the update due early.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tocsin.core.audit import log_action
from tocsin.core.enums import Role
from tocsin.core.models import AuditEntry, Membership
from tocsin.core.tasks import send_email
from tocsin.crises.models import Crisis
from tocsin.plans.models import PlanVersion

NOTICE = timedelta(days=30)
REMIND_EVERY = timedelta(days=7)


@dataclass(frozen=True)
class UpdateDue:
    due_on: date | None  # None: no validated plan yet
    last_validated: PlanVersion | None
    after_crisis: Crisis | None = None  # the lifted crisis that made it due early

    @property
    def overdue(self) -> bool:
        return self.due_on is None or self.due_on < timezone.localdate()

    @property
    def soon(self) -> bool:
        return self.due_on is not None and self.due_on - NOTICE <= timezone.localdate()

    @property
    def sentence(self) -> str:
        if self.due_on is None:
            return "La CPTS n'a pas encore de plan validé par son COPIL."
        when = self.due_on.strftime("%d/%m/%Y")
        if self.after_crisis is not None:
            lifted = timezone.localdate(self.after_crisis.closed_at).strftime("%d/%m/%Y")
            what = f"après la crise « {self.after_crisis.title} » (levée le {lifted})"
            verb = "était due" if self.overdue else "est due"
            return f"La mise à jour du plan {what} {verb} le {when}."
        if self.overdue:
            return f"La mise à jour annuelle du plan était due le {when}."
        return f"La mise à jour annuelle du plan est due le {when}."


def update_due(cpts) -> UpdateDue:
    last = PlanVersion.objects.for_cpts(cpts).published().order_by("-validated_on").first()
    if last is None or last.validated_on is None:
        return UpdateDue(None, last)
    yearly = _add_year(last.validated_on)
    crisis = (
        Crisis.objects.for_cpts(cpts)
        .real()
        .filter(closed_at__date__gte=last.validated_on)
        .order_by("closed_at")
        .first()
    )
    if crisis is not None:
        after = timezone.localdate(crisis.closed_at) + timedelta(
            days=settings.PLAN_UPDATE_AFTER_CRISIS_DAYS
        )
        if after < yearly:
            return UpdateDue(after, last, crisis)
    return UpdateDue(yearly, last)


def _add_year(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def send_reminder(cpts) -> bool:
    """E-mail the coordinators and référents if the update is near or late; True if sent."""
    due = update_due(cpts)
    if not (due.soon or due.overdue):
        return False
    recent = AuditEntry.objects.filter(
        cpts=cpts, code="plans.reminder.sent", created_at__gte=timezone.now() - REMIND_EVERY
    )
    if recent.exists():
        return False
    people = Membership.objects.filter(
        cpts=cpts, role__in=[Role.COORDINATOR, Role.REFERENT]
    ).select_related("user")
    recipients = sorted(m.user.email for m in people)
    if not recipients:
        return False
    body = (
        f"Bonjour,\n\n{due.sentence}\nL'avenant 2 de l'ACI demande une mise à jour au moins "
        "annuelle, validée par le COPIL et transmise à l'ARS, à la CPAM et à la Préfecture.\n\n"
        f"Préparer la nouvelle version : {settings.SITE_URL}{reverse('plans:home')}\n\n— Tocsin"
    )
    subject = f"{cpts} : mise à jour du plan de gestion de crise"
    with transaction.atomic():
        log_action(None, cpts, "plans.reminder.sent", cpts, {"due": due.sentence})
        transaction.on_commit(lambda: send_email.enqueue(recipients, subject, body))
    return True
