"""Territory pages: the communes of the CPTS with their population and mairie contacts, and
the risk register with its GASPAR import and the risk × resource analysis."""

from django.contrib import messages
from django.db.models import ProtectedError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tocsin.core.access import CRISIS_ROLES, MANAGER_ROLES, cpts_view, get_for_cpts, has_role
from tocsin.core.enums import Role
from tocsin.core.errors import DomainError
from tocsin.territory import risks, services
from tocsin.territory.forms import AddCommunesForm, GasparUploadForm, RiskForm
from tocsin.territory.models import Risk, TerritoryCommune
from tocsin.territory.selectors import territory_summary

RISK_EDITOR_ROLES = (Role.COORDINATOR, Role.REFERENT)


@cpts_view()
def commune_list(request):
    form = AddCommunesForm(request.POST or None)
    if request.method == "POST" and has_role(request, *MANAGER_ROLES) and form.is_valid():
        try:
            added = services.add_communes(request.user, request.cpts, form.cleaned_data["codes"])
        except DomainError as error:
            form.add_error("codes", error.message)
        else:
            messages.success(request, f"{len(added)} commune(s) ajoutée(s) au territoire.")
            return redirect("territory:commune_list")
    rows = TerritoryCommune.objects.for_cpts(request.cpts).select_related("commune")
    context = {
        "rows": rows.order_by("commune__name"),
        "summary": territory_summary(request.cpts),
        "form": form if has_role(request, Role.COORDINATOR) else None,
    }
    return render(request, "territory/commune_list.html", context)


@cpts_view(*MANAGER_ROLES)
@require_POST
def commune_remove(request, pk):
    row = get_for_cpts(request, TerritoryCommune.objects.select_related("commune"), pk=pk)
    services.remove_commune(request.user, request.cpts, row)
    messages.success(request, f"{row.commune.name} a été retirée du territoire.")
    return redirect("territory:commune_list")


@cpts_view(*CRISIS_ROLES)
def risk_list(request):
    context = {
        "crisis_types": risks.register(request.cpts),
        "can_edit": has_role(request, *RISK_EDITOR_ROLES),
    }
    return render(request, "territory/risk_list.html", context)


@cpts_view(*CRISIS_ROLES)
def risk_detail(request, pk):
    risk = get_for_cpts(request, Risk, pk=pk)
    (found,) = risks.exposure(request.cpts, [risk])
    context = {"found": found, "can_edit": has_role(request, *RISK_EDITOR_ROLES)}
    return render(request, "territory/risk_detail.html", context)


@cpts_view(*RISK_EDITOR_ROLES)
def risk_edit(request, pk=None):
    risk = get_for_cpts(request, Risk, pk=pk) if pk else None
    form = RiskForm(request.POST or None, instance=risk, cpts=request.cpts)
    if form.is_valid():
        saved = risks.save_risk(request.user, form)
        messages.success(request, f"Le risque « {saved} » est enregistré.")
        return redirect("territory:risk_detail", pk=saved.pk)
    cancel = reverse("territory:risk_detail", kwargs={"pk": pk}) if pk else None
    context = {
        "form": form,
        "title": "Modifier le risque" if risk else "Nouveau risque",
        "cancel_url": cancel or reverse("territory:risk_list"),
    }
    return render(request, "territory/risk_form.html", context)


@cpts_view(*RISK_EDITOR_ROLES)
@require_POST
def risk_delete(request, pk):
    risk = get_for_cpts(request, Risk, pk=pk)
    try:
        risks.delete_risk(request.user, risk)
    except ProtectedError as error:
        users = ", ".join(sorted({str(row) for row in error.protected_objects})[:5])
        messages.error(request, f"« {risk} » est encore utilisé par : {users}. Retirez-le d'abord.")
        return redirect("territory:risk_detail", pk=risk.pk)
    messages.success(request, f"Le risque « {risk} » a été retiré du registre.")
    return redirect("territory:risk_list")


@cpts_view(*RISK_EDITOR_ROLES)
def gaspar_import(request):
    form = GasparUploadForm(request.POST or None, request.FILES or None)
    report = None
    if form.is_valid():
        try:
            report = risks.import_gaspar(request.user, request.cpts, form.cleaned_data["file"])
        except DomainError as error:
            form.add_error("file", error.message)
    context = {"form": form, "report": report, "max_rejected": risks.MAX_REJECTED}
    return render(request, "territory/gaspar_import.html", context)


@cpts_view(*RISK_EDITOR_ROLES)
@require_POST
def health_risks_add(request):
    created = risks.add_health_risks(request.user, request.cpts)
    if created:
        messages.success(request, f"{created} risque(s) sanitaire(s) ajouté(s) au registre.")
    else:
        messages.success(
            request,
            "Les risques sanitaires de départ sont déjà dans le registre ; ils couvrent toutes "
            "les communes du territoire.",
        )
    return redirect("territory:risk_list")


@cpts_view(*CRISIS_ROLES)
def risk_matrix(request):
    major = Risk.objects.for_cpts(request.cpts).major().order_by("crisis_type", "name", "pk")
    context = {
        "rows": risks.exposure(request.cpts, major),
        "limits": risks.LIMITS,
        "can_edit": has_role(request, *RISK_EDITOR_ROLES),
    }
    return render(request, "territory/risk_matrix.html", context)
