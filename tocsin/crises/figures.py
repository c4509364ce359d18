"""The figures of a crisis: per period for the points de situation, and in total for the
evidence the ACI financing asks for once the crisis is lifted.

Resources engaged start at 0 and are completed by the cell. The patients contacted, needing
help, not reached and signalled come from the call campaigns (tocsin.care), counts only, as
they stand at the end of the period. The alerts of the period (campaigns sent, people
alerted, answers) are read from the alert rows.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from tocsin.alerts.enums import AVAILABLE_ANSWERS, DeliveryReason
from tocsin.alerts.models import Delivery, Recipient
from tocsin.care.figures import call_figures
from tocsin.crises.enums import OPEN_TASK_STATUSES, EntryKind, TaskStatus
from tocsin.directory.models import Contact


def mobilised_contacts(crisis, start=None, end=None) -> set[int]:
    """Contacts who sat in the cell or carried a task during [start, end]."""
    seats = crisis.seats.filter(joined_at__isnull=False)
    tasks = crisis.tasks.filter(assignee__isnull=False, status__in=[TaskStatus.DOING,
                                                                    TaskStatus.DONE])  # fmt: skip
    if end is not None:
        seats = seats.filter(joined_at__lte=end)
    if start is not None:
        seats = seats.filter(Q(left_at__isnull=True) | Q(left_at__gte=start))
    return set(seats.values_list("contact_id", flat=True)) | set(
        tasks.values_list("assignee_id", flat=True)
    )


def period_figures(crisis, start, end) -> dict:
    tasks = crisis.tasks.aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_TASK_STATUSES)),
        done=Count("pk", filter=Q(status=TaskStatus.DONE, done_at__gte=start, done_at__lte=end)),
    )
    return {
        "professionals_mobilised": len(mobilised_contacts(crisis, start, end)),
        "tasks_open": tasks["open"],
        "tasks_done": tasks["done"],
        **alert_figures(crisis, start, end),
        **patient_figures(crisis),
    }


def patient_figures(crisis) -> dict:
    """Where the calls to the registered patients stand (every campaign of the crisis)."""
    calls = call_figures(crisis)
    return {
        "patients_contacted": calls["patients_reached"],
        "patients_needing_help": calls["patients_needing_help"],
        "patients_not_reached": calls["patients_not_reached"],
        "patients_escalated": calls["patients_escalated"],
    }


def alert_figures(crisis, start, end) -> dict:
    """What the crisis's alerts did during [start, end], for its points de situation.

    People alerted count each first message queued in the period, backups included; answers,
    each person's latest answer given in the period.
    """
    period = (start, end)
    first_messages = Delivery.objects.filter(
        campaign__crisis=crisis, queued_at__range=period,
        reason__in=[DeliveryReason.INITIAL, DeliveryReason.BACKUP],
    )  # fmt: skip
    answered = Q(answered_at__range=period)
    answers = Recipient.objects.filter(campaign__crisis=crisis).aggregate(
        alert_answers=Count("pk", filter=answered),
        people_available=Count("pk", filter=answered
                               & Q(answer__in=AVAILABLE_ANSWERS)),
    )  # fmt: skip
    return {
        "alerts_sent": crisis.alert_campaigns.filter(sent_at__range=period).count(),
        "people_alerted": first_messages.count(),
        **answers,
    }


@dataclass(frozen=True)
class Evidence:
    """What the CPTS reports for its ACI financing about one crisis or exercise."""

    participants: int
    cell_members: int
    actions: int
    decisions: int
    tasks_done: int
    entries: int
    reports_sent: int

    ROWS = (
        ("participants", "Professionnels ayant pris part à la gestion"),
        ("cell_members", "Membres présents en cellule de crise"),
        ("actions", "Actions menées (tâches faites et actions consignées)"),
        ("decisions", "Décisions consignées"),
        ("tasks_done", "Tâches faites"),
        ("entries", "Entrées de main courante"),
        ("reports_sent", "Points de situation envoyés"),
    )

    def rows(self):
        return [(label, getattr(self, name)) for name, label in self.ROWS]


def evidence(crisis) -> Evidence:
    entries = crisis.entries.aggregate(
        total=Count("pk"),
        actions=Count("pk", filter=Q(kind=EntryKind.ACTION, automatic=False)),
        decisions=Count("pk", filter=Q(kind=EntryKind.DECISION)),
        authors=Count("author", distinct=True),
    )
    tasks_done = crisis.tasks.filter(status=TaskStatus.DONE).count()
    cell = set(crisis.seats.filter(joined_at__isnull=False).values_list("contact_id", flat=True))
    contacts = mobilised_contacts(crisis)
    # Logbook authors are users; the ones not already counted through their contact card add up.
    authors = set(crisis.entries.exclude(author=None).values_list("author__email", flat=True))
    known = set(
        Contact.objects.filter(pk__in=contacts).exclude(email="").values_list("email", flat=True)
    )
    return Evidence(
        participants=len(contacts) + len({a.lower() for a in authors} - {k.lower() for k in known}),
        cell_members=len(cell),
        actions=tasks_done + entries["actions"],
        decisions=entries["decisions"],
        tasks_done=tasks_done,
        entries=entries["total"],
        reports_sent=crisis.reports.filter(sends__isnull=False).distinct().count(),
    )
