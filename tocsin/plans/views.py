"""Crisis plan pages: the living plan, its versions, sections, cell, fiches, COPIL, sending."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tocsin.core.access import CRISIS_ROLES, MEMBER_ROLES, cpts_view, get_for_cpts, has_role
from tocsin.core.audit import log_action
from tocsin.core.enums import Role
from tocsin.core.errors import DomainError
from tocsin.plans import diff, services
from tocsin.plans.completeness import check_version
from tocsin.plans.enums import FicheKind, FicheRole, Section
from tocsin.plans.forms import (
    CellForm,
    FicheForm,
    OrganisationForm,
    SectionForm,
    SummaryForm,
    TransmissionForm,
    ValidationForm,
)
from tocsin.plans.models import Fiche, PlanSection, PlanVersion, Transmission
from tocsin.plans.selectors import version_for_page
from tocsin.retex.selectors import actions_by_section

EDITOR_ROLES = (Role.COORDINATOR, Role.REFERENT)
# What every member professional reads of the plan in force: not the territory diagnosis (it
# names vulnerable places and people), the reporting to the ARS, nor the annexes (directory).
PUBLIC_SECTIONS = (Section.IDENTITY, Section.ORGANISATION, Section.RESPONSE, Section.CONTINUITY,
                   Section.COMMUNICATION, Section.TRAINING, Section.RETEX)  # fmt: skip


def _version(request, number):
    try:
        return version_for_page(request.cpts, number)
    except PlanVersion.DoesNotExist as exc:
        raise Http404("Version introuvable.") from exc


def _act(request, operation, *args, success=""):
    """Run a service; a DomainError becomes a message. Returns True on success."""
    try:
        operation(request.user, *args)
    except DomainError as error:
        messages.error(request, error.message)
        return False
    if success:
        messages.success(request, success)
    return True


@cpts_view(*CRISIS_ROLES)
def plan_home(request):
    versions = PlanVersion.objects.for_cpts(request.cpts)
    current = services.open_version(request.cpts)
    context = {
        "versions": versions,
        "current": current,
        "completeness": check_version(current) if current else None,
        "can_edit": has_role(request, *EDITOR_ROLES),
    }
    return render(request, "plans/home.html", context)


@cpts_view(*EDITOR_ROLES)
@require_POST
def version_start(request):
    try:
        version = services.start_plan(request.user, request.cpts)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("plans:home")
    messages.success(request, f"Version {version.number} ouverte en rédaction.")
    return redirect("plans:version_detail", number=version.number)


@cpts_view(*CRISIS_ROLES)
def version_detail(request, number):
    version = _version(request, number)
    can_edit = has_role(request, *EDITOR_ROLES)
    fiches = list(version.fiches.all())
    sections = sorted(version.sections.all(), key=lambda s: s.position)
    # RETEX improvement actions carried into this version, shown on the section they change.
    improvements = actions_by_section(version)
    for section in sections:
        section.improvements = improvements.get(section.key, [])
    context = {
        "version": version,
        "sections": sections,
        "reflexes": [f for f in fiches if f.kind == FicheKind.REFLEXE],
        "actions": [f for f in fiches if f.kind == FicheKind.ACTION],
        "completeness": check_version(version) if version.is_editable else None,
        "can_edit": can_edit,
        "summary_form": SummaryForm(instance=version) if can_edit else None,
        "validation_form": ValidationForm() if can_edit else None,
        "transmission_form": TransmissionForm() if can_edit else None,
        "others": PlanVersion.objects.for_cpts(request.cpts).exclude(pk=version.pk),
    }
    return render(request, "plans/version_detail.html", context)


@cpts_view(*MEMBER_ROLES)
def member_plan(request):
    """The plan in force as a member professional reads it: its public sections and the
    fiches réflexe written for their profession."""
    version = PlanVersion.objects.for_cpts(request.cpts).published().order_by("-number").first()
    context = {"version": version, "sections": [], "fiches": []}
    if version is not None:
        profession = request.user.profession
        context["sections"] = version.sections.filter(key__in=PUBLIC_SECTIONS)
        reflexes = version.fiches.filter(kind=FicheKind.REFLEXE, role=FicheRole.PROFESSIONAL)
        context["fiches"] = [f for f in reflexes if f.concerns(profession)]
    return render(request, "plans/member_plan.html", context)


@cpts_view(*EDITOR_ROLES)
def section_edit(request, number, key):
    version = get_for_cpts(request, PlanVersion, number=number)
    if key not in Section.values:
        raise Http404("Section inconnue.")
    section = PlanSection.objects.get(version=version, key=key)
    form = SectionForm(request.POST or None, initial={"body": section.body})
    if form.is_valid() and _act(request, services.save_section, section, form.cleaned_data["body"]):
        return redirect("plans:version_detail", number=number)
    context = {"form": form, "version": version, "title": section.get_key_display(),
               "improvements": actions_by_section(version).get(key, [])}  # fmt: skip
    return render(request, "plans/form.html", context)


@cpts_view(*EDITOR_ROLES)
def organisation_edit(request, number):
    version = get_for_cpts(request, PlanVersion, number=number)
    form = OrganisationForm(request.POST or None, instance=version)
    if form.is_valid() and _act(request, services.save_version_form, form):
        return redirect("plans:version_detail", number=number)
    context = {"form": form, "version": version, "title": "Organisation de la gestion de crise"}
    return render(request, "plans/form.html", context)


@cpts_view(*EDITOR_ROLES)
@require_POST
def summary_edit(request, number):
    version = get_for_cpts(request, PlanVersion, number=number)
    form = SummaryForm(request.POST, instance=version)
    if form.is_valid():
        _act(request, services.save_version_form, form, "plans.summary.updated")
    return redirect("plans:version_detail", number=number)


@cpts_view(*EDITOR_ROLES)
def cell_edit(request, number):
    version = get_for_cpts(request, PlanVersion, number=number)
    form = CellForm(request.POST or None, version=version)
    if form.is_valid() and _act(request, services.set_cell_members, version, form.members()):
        return redirect("plans:version_detail", number=number)
    context = {"form": form, "version": version, "title": "Cellule de crise"}
    return render(request, "plans/form.html", context)


@cpts_view(*CRISIS_ROLES)
def fiche_list(request, number):
    return redirect(f"{_detail_url(number)}#fiches")


def _detail_url(number):
    return reverse("plans:version_detail", kwargs={"number": number})


@cpts_view(*EDITOR_ROLES)
def fiche_edit(request, number, pk=None):
    version = get_for_cpts(request, PlanVersion, number=number)
    fiche = Fiche.objects.filter(version=version, pk=pk).first() if pk else Fiche(version=version)
    if fiche is None:
        raise Http404("Fiche introuvable.")
    form = FicheForm(request.POST or None, instance=fiche)
    if form.is_valid() and _act(request, services.save_fiche, form):
        return redirect(f"{_detail_url(number)}#fiches")
    title = f"Fiche « {fiche.title} »" if pk else "Nouvelle fiche"
    return render(request, "plans/form.html", {"form": form, "version": version, "title": title})


@cpts_view(*EDITOR_ROLES)
@require_POST
def fiche_delete(request, number, pk):
    version = get_for_cpts(request, PlanVersion, number=number)
    fiche = Fiche.objects.filter(version=version, pk=pk).first()
    if fiche is None:
        raise Http404("Fiche introuvable.")
    _act(request, services.delete_fiche, fiche, success=f"Fiche « {fiche.title} » supprimée.")
    return redirect(f"{_detail_url(number)}#fiches")


@cpts_view(*EDITOR_ROLES)
@require_POST
def fiches_add_missing(request, number):
    version = get_for_cpts(request, PlanVersion, number=number)
    try:
        count = services.add_missing_action_fiches(request.user, version)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{count} fiche(s) action ajoutée(s) à partir des modèles.")
    return redirect(f"{_detail_url(number)}#fiches")


@cpts_view(*EDITOR_ROLES)
@require_POST
def version_submit(request, number):
    version = get_for_cpts(request, PlanVersion, number=number)
    _act(request, services.submit_version, version, success="Version soumise au COPIL.")
    return redirect("plans:version_detail", number=number)


@cpts_view(*EDITOR_ROLES)
@require_POST
def version_reopen(request, number):
    version = get_for_cpts(request, PlanVersion, number=number)
    _act(request, services.reopen_version, version, success="Version remise en rédaction.")
    return redirect("plans:version_detail", number=number)


@cpts_view(*EDITOR_ROLES)
@require_POST
def version_validate(request, number):
    version = get_for_cpts(request, PlanVersion, number=number)
    form = ValidationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez la date du COPIL qui a validé cette version.")
    else:
        data = form.cleaned_data
        done = "Validation du COPIL enregistrée. Cette version ne changera plus."
        _act(request, services.validate_version, version, data["copil_date"], data["note"],
             success=done)  # fmt: skip
    return redirect("plans:version_detail", number=number)


@cpts_view(*EDITOR_ROLES)
@require_POST
def version_transmit(request, number):
    version = get_for_cpts(request, PlanVersion, number=number)
    form = TransmissionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez au moins une autorité destinataire.")
    else:
        _act(request, services.transmit_version, version, form.cleaned_data["recipients"],
             success="Version transmise ; les autorités ont reçu un e-mail.")  # fmt: skip
    return redirect("plans:version_detail", number=number)


@cpts_view(*CRISIS_ROLES)
def version_diff(request):
    versions = PlanVersion.objects.for_cpts(request.cpts)
    numbers = [v.number for v in versions]
    old_number, new_number = _diff_numbers(request, numbers)
    changes = None
    if old_number and new_number:
        old, new = _version(request, old_number), _version(request, new_number)
        changes = diff.compare(old, new)
    context = {"numbers": numbers, "old": old_number, "new": new_number, "changes": changes}
    return render(request, "plans/diff.html", context)


def _diff_numbers(request, numbers):
    try:
        old = int(request.GET.get("a", ""))
        new = int(request.GET.get("b", ""))
    except ValueError:
        ordered = sorted(numbers)
        return (ordered[-2], ordered[-1]) if len(ordered) >= 2 else (None, None)
    if old not in numbers or new not in numbers:
        raise Http404("Version introuvable.")
    return old, new


@cpts_view(Role.AUTHORITY)
def authority_list(request):
    transmissions = (
        Transmission.objects.filter(
            version__cpts=request.cpts, recipient=request.membership.authority_body
        )
        .select_related("version", "acknowledged_by")
        .order_by("-sent_at")
    )
    log_action(request.user, request.cpts, "plans.transmissions.viewed", request.cpts)
    return render(request, "plans/authority_list.html", {"transmissions": transmissions})


@cpts_view(Role.AUTHORITY)
@require_POST
def authority_acknowledge(request, pk):
    transmission = _authority_transmission(request, pk)
    _act(request, services.acknowledge_transmission, transmission,
         success="Réception confirmée. Merci.")  # fmt: skip
    return redirect("plans:authority_list")


def _authority_transmission(request, pk):
    """Only what was transmitted to this authority body, for the current CPTS."""
    found = Transmission.objects.select_related("version__cpts").filter(
        pk=pk, version__cpts=request.cpts, recipient=request.membership.authority_body
    )
    transmission = found.first()
    if transmission is None:
        raise Http404("Transmission introuvable.")
    return transmission
