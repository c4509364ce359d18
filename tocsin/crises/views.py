"""Crisis pages: activation, the live dashboard, the cell, the main courante, the task board,
the points de situation and the closure. Views stay thin: services do the work."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from tocsin.alerts.enums import CampaignStatus
from tocsin.core.access import CRISIS_ROLES, PILOT_ROLES, cpts_view, get_for_cpts, has_role
from tocsin.core.audit import log_action
from tocsin.core.enums import Role
from tocsin.core.errors import DomainError
from tocsin.core.feedback import run_service
from tocsin.crises import figures, reports, selectors, services
from tocsin.crises.enums import EntryKind, ReportStatus, TaskStatus
from tocsin.crises.forms import (
    ACTIVE_CHOICES,
    ActivationForm,
    CloseForm,
    EntryForm,
    PhaseForm,
    ReportForm,
    SendForm,
    TaskAddForm,
    TaskEditForm,
)
from tocsin.crises.models import CellSeat, Crisis, SituationReport, Task
from tocsin.directory.models import Contact
from tocsin.directory.search import search
from tocsin.plans.enums import CellFunction
from tocsin.watch.models import Signal

LOG_PAGE_SIZE = 50


def crisis_or_404(request, pk) -> Crisis:
    try:
        return selectors.crisis_for_page(request.cpts, pk)
    except Crisis.DoesNotExist as exc:
        raise Http404("Crise introuvable.") from exc


def _in_crisis(queryset, crisis, **lookup):
    """A row of `crisis`, itself loaded within the current CPTS: never another tenant's row."""
    try:
        return queryset.get(crisis=crisis, **lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404("Introuvable dans cette crise.") from exc


def _page(request, crisis, template, **context):
    context.update(crisis=crisis, can_pilot=has_role(request, *PILOT_ROLES))
    return render(request, template, context)


@cpts_view(*CRISIS_ROLES)
def crisis_list(request):
    crises = Crisis.objects.for_cpts(request.cpts).select_related("risk")
    context = {
        "active": [c for c in crises if c.is_active],
        "closed": [c for c in crises if not c.is_active],
        "can_pilot": has_role(request, *PILOT_ROLES),
    }
    return render(request, "crises/list.html", context)


@cpts_view(*PILOT_ROLES)
def activate(request):
    signal = None
    if request.GET.get("signal", "").isdigit():
        signal = get_for_cpts(request, Signal, pk=request.GET["signal"])
    form = ActivationForm(request.POST or None, cpts=request.cpts, signal=signal)
    if request.method == "POST" and form.is_valid():
        crisis = run_service(request, services.activate_crisis, request.cpts, signal=signal,
                      **form.cleaned_data)  # fmt: skip
        if crisis:
            messages.success(request, f"Crise activée : {crisis}. La main courante est ouverte.")
            return redirect("crises:dashboard", crisis.pk)
    context = {"form": form, "signal": signal, "plan": services.applied_plan(request.cpts)}
    return render(request, "crises/activate.html", context)


@cpts_view(*CRISIS_ROLES)
def dashboard(request, pk):
    crisis = crisis_or_404(request, pk)
    live = selectors.live_html(crisis)
    if request.GET.get("partial"):
        status = render_to_string("crises/_live_status.html", {"crisis": crisis})
        return HttpResponse(status + live)
    drafts = crisis.alert_campaigns.filter(status=CampaignStatus.DRAFT) if crisis.is_active else []
    # A scripted exercise has its animation console (the exercises app hangs it on the crisis).
    play = getattr(crisis, "exercise_play", None) if crisis.is_exercise else None
    return _page(request, crisis, "crises/dashboard.html", kinds=EntryKind.choices,
                 phases=ACTIVE_CHOICES, live_html=live, alert_drafts=drafts, play=play,
                 live_every=settings.CRISIS_LIVE_REFRESH_SECONDS)  # fmt: skip


@cpts_view(*PILOT_ROLES)
@require_POST
def phase(request, pk):
    crisis = crisis_or_404(request, pk)
    form = PhaseForm(request.POST)
    if form.is_valid():
        run_service(request, services.change_phase, crisis, form.cleaned_data["phase"],
             success="Phase changée ; elle est inscrite à la main courante.")  # fmt: skip
    return redirect("crises:dashboard", crisis.pk)


@cpts_view(*PILOT_ROLES)
def close(request, pk):
    crisis = crisis_or_404(request, pk)
    if not crisis.is_active:
        return redirect("crises:evidence", crisis.pk)
    form = CloseForm(request.POST or None)
    summary = form.cleaned_data["summary"] if form.is_bound and form.is_valid() else None
    if summary and run_service(request, services.close_crisis, crisis, summary):
        messages.success(request, "Crise levée. Le bilan est prêt à exporter.")
        return redirect("crises:evidence", crisis.pk)
    counts = selectors.task_counts(crisis)
    return _page(request, crisis, "crises/close.html", form=form, counts=counts)


# --- The cell ---


@cpts_view(*CRISIS_ROLES)
def cell(request, pk):
    crisis = crisis_or_404(request, pk)
    seats = crisis.seats.select_related("contact")
    query = request.GET.get("q", "").strip()
    found = None
    if query and crisis.is_active:
        contacts = Contact.objects.filter(cpts=request.cpts)
        found = search(contacts, query).queryset.order_by("last_name", "first_name")[:20]
    return _page(request, crisis, "crises/cell.html", seats=seats, query=query, found=found,
                 functions=CellFunction.choices)  # fmt: skip


def _seat(request, crisis, seat_pk) -> CellSeat:
    return _in_crisis(CellSeat.objects.select_related("crisis", "contact"), crisis, pk=seat_pk)


@cpts_view(*CRISIS_ROLES)
@require_POST
def seat_join(request, pk, seat):
    crisis = crisis_or_404(request, pk)
    run_service(request, services.join_cell, _seat(request, crisis, seat))
    return redirect("crises:cell", crisis.pk)


@cpts_view(*CRISIS_ROLES)
@require_POST
def seat_leave(request, pk, seat):
    crisis = crisis_or_404(request, pk)
    run_service(request, services.leave_cell, _seat(request, crisis, seat))
    return redirect("crises:cell", crisis.pk)


@cpts_view(*CRISIS_ROLES)
@require_POST
def cell_add(request, pk):
    crisis = crisis_or_404(request, pk)
    function = request.POST.get("function", "")
    if function not in CellFunction.values or not request.POST.get("contact", "").isdigit():
        messages.error(request, "Choisissez une personne et sa fonction.")
        return redirect("crises:cell", crisis.pk)
    contact = get_for_cpts(request, Contact, pk=request.POST["contact"])
    run_service(request, services.add_to_cell, crisis, contact, function,
         success=f"{contact} rejoint la cellule.")  # fmt: skip
    return redirect("crises:cell", crisis.pk)


# --- The main courante ---


@cpts_view(*CRISIS_ROLES)
def log(request, pk):
    crisis = crisis_or_404(request, pk)
    form = EntryForm(request.POST or None, initial={"corrects": request.GET.get("corrige")})
    if request.method == "POST" and form.is_valid():
        corrects = None
        if form.cleaned_data["corrects"]:
            corrects = crisis.entries.filter(seq=form.cleaned_data["corrects"]).first()
            if corrects is None:
                form.add_error("corrects", "Cette entrée n'existe pas dans la main courante.")
        if not form.errors:
            entry = run_service(request, services.add_entry, crisis, form.cleaned_data["kind"],
                         form.cleaned_data["text"], corrects=corrects)  # fmt: skip
            if entry:
                messages.success(request, f"Entrée n° {entry.seq} enregistrée.")
                return redirect(request.POST.get("next") or reverse("crises:log", args=[pk]))
    entries = crisis.entries.select_related("corrects").order_by("-seq")
    kind = request.GET.get("nature", "")
    if kind in EntryKind.values:
        entries = entries.filter(kind=kind)
    text = request.GET.get("q", "").strip()
    if text:
        entries = entries.filter(text__icontains=text)
    paginator = Paginator(entries, LOG_PAGE_SIZE, allow_empty_first_page=True)
    if not (kind or text):
        paginator.count = crisis.log_length  # append-only: no COUNT(*) over the whole log
    page = paginator.get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in (("nature", kind), ("q", text)) if v)
    return _page(request, crisis, "crises/log.html", form=form, page=page, kinds=EntryKind.choices,
                 kind=kind, text=text, query=query,
                 integrity=selectors.integrity(crisis))  # fmt: skip


@cpts_view(*CRISIS_ROLES)
@require_POST
def log_verify(request, pk):
    crisis = crisis_or_404(request, pk)
    result = selectors.integrity(crisis, fresh=True)
    log_action(request.user, request.cpts, "crises.logbook.verified", crisis,
               {"result": result.sentence})  # fmt: skip
    (messages.success if result.ok else messages.error)(request, result.sentence)
    return redirect("crises:log", crisis.pk)


# --- Tasks ---


@cpts_view(*CRISIS_ROLES)
def tasks(request, pk):
    crisis = crisis_or_404(request, pk)
    form = TaskAddForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request, services.add_task, crisis, **form.cleaned_data, success="Tâche ajoutée."
        )
    ):
        return redirect("crises:tasks", crisis.pk)
    rows = crisis.tasks.select_related("assignee", "fiche").order_by("due_at", "position", "pk")
    counts = selectors.task_counts(crisis)
    columns = [
        {"status": status, "label": label, "count": counts[status],
         "tasks": rows.filter(status=status)[: selectors.BOARD_LIMIT]}
        for status, label in TaskStatus.choices
    ]  # fmt: skip
    return _page(request, crisis, "crises/tasks.html", form=form, columns=columns,
                 statuses=TaskStatus.choices)  # fmt: skip


def _task(request, crisis, task_pk) -> Task:
    return _in_crisis(Task.objects.select_related("crisis", "assignee"), crisis, pk=task_pk)


@cpts_view(*CRISIS_ROLES)
@require_POST
def task_status(request, pk, task):
    crisis = crisis_or_404(request, pk)
    task = _task(request, crisis, task)
    run_service(request, services.set_task_status, task, request.POST.get("status", ""))
    return redirect(request.POST.get("next") or reverse("crises:tasks", args=[crisis.pk]))


@cpts_view(*CRISIS_ROLES)
def task_edit(request, pk, task):
    crisis = crisis_or_404(request, pk)
    task = _task(request, crisis, task)
    initial = {"function": task.function, "assignee": task.assignee, "due_at": task.due_at}
    form = TaskEditForm(request.POST or None, crisis=crisis, initial=initial)
    saved = (
        form.is_bound
        and form.is_valid()
        and run_service(
            request, services.update_task, task, **form.cleaned_data, success="Tâche modifiée."
        )
    )
    if saved:
        return redirect("crises:tasks", crisis.pk)
    return _page(request, crisis, "crises/task_edit.html", form=form, task=task)


# --- Points de situation ---


@cpts_view(*CRISIS_ROLES)
def reports_list(request, pk):
    crisis = crisis_or_404(request, pk)
    rows = crisis.reports.prefetch_related("sends")
    return _page(request, crisis, "crises/reports.html", reports=rows)


@cpts_view(*CRISIS_ROLES)
@require_POST
def report_prepare(request, pk):
    crisis = crisis_or_404(request, pk)
    report = run_service(request, reports.prepare_report, crisis)
    if report:
        return redirect("crises:report_detail", crisis.pk, report.number)
    return redirect("crises:reports", crisis.pk)


def report_or_404(request, crisis, number) -> SituationReport:
    return _in_crisis(SituationReport.objects.select_related("crisis"), crisis, number=number)


@cpts_view(*CRISIS_ROLES)
def report_detail(request, pk, number):
    crisis = crisis_or_404(request, pk)
    report = report_or_404(request, crisis, number)
    editable = report.status == ReportStatus.DRAFT
    form = ReportForm(request.POST or None, instance=report) if editable else None
    if (
        request.method == "POST"
        and form is not None
        and form.is_valid()
        and run_service(
            request, reports.save_report, form, success="Point de situation enregistré."
        )
    ):
        return redirect("crises:report_detail", crisis.pk, report.number)
    return _page(request, crisis, "crises/report.html", report=report, form=form,
                 sends=report.sends.all())  # fmt: skip


@cpts_view(*PILOT_ROLES)
@require_POST
def report_validate(request, pk, number):
    crisis = crisis_or_404(request, pk)
    report = report_or_404(request, crisis, number)
    if run_service(request, reports.validate_report, report, success="Point de situation validé."):
        return redirect("crises:report_send", crisis.pk, report.number)
    return redirect("crises:report_detail", crisis.pk, report.number)


@cpts_view(*PILOT_ROLES)
def report_send(request, pk, number):
    crisis = crisis_or_404(request, pk)
    report = report_or_404(request, crisis, number)
    recipients = reports.authority_recipients(request.cpts)
    form = SendForm(request.POST or None, recipients=recipients)
    if request.method == "POST" and form.is_valid():
        try:
            addresses = form.cleaned_data["authorities"] + reports.parse_addresses(
                form.cleaned_data["others"]
            )
            count = reports.send_report(request.user, report, addresses)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Point de situation envoyé à {count} destinataire(s).")
            return redirect("crises:report_detail", crisis.pk, report.number)
    return _page(request, crisis, "crises/report_send.html", report=report, form=form,
                 sends=report.sends.all())  # fmt: skip


# --- Closure ---


@cpts_view(*CRISIS_ROLES)
def evidence(request, pk):
    crisis = crisis_or_404(request, pk)
    # The RETEX app hangs its review on the crisis; a missing one reads as None.
    review = getattr(crisis, "review", None)
    return _page(request, crisis, "crises/evidence.html", evidence=figures.evidence(crisis),
                 counts=selectors.task_counts(crisis), review=review)  # fmt: skip


# --- What the authorities received ---


@cpts_view(Role.AUTHORITY)
def authority_reports(request):
    """The points de situation sent by the CPTS, for its ARS, Préfecture and CPAM members."""
    sent = (
        SituationReport.objects.filter(crisis__cpts=request.cpts, status=ReportStatus.SENT)
        .select_related("crisis")
        .order_by("-crisis__started_at", "-number")
    )
    return render(request, "crises/authority_reports.html", {"reports": sent})
