"""Pages of the continuity-of-care register. Every page that shows patients goes through
`access` (whose patients, under which right) and writes its access-log row before rendering.
"""

import datetime
import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tocsin.care import access, crypto, documents, services
from tocsin.care.access import CRISIS_VIEWER_ROLES
from tocsin.care.enums import (
    TO_CALL_OUTCOMES,
    AccessKind,
    CampaignStatus,
    DeletionCause,
    Need,
    Outcome,
)
from tocsin.care.figures import campaign_figures
from tocsin.care.forms import (
    CallCampaignForm,
    CallForm,
    ErasureForm,
    ImportForm,
    NeedsFilterForm,
    PatientForm,
    ReasonForm,
    ReassignForm,
)
from tocsin.care.models import AccessLog, Call, CallCampaign, Deletion, Patient
from tocsin.core.access import MANAGER_ROLES, MEMBER_ROLES, cpts_view
from tocsin.core.downloads import PDF, attachment, private
from tocsin.core.errors import DomainError
from tocsin.core.feedback import run_service
from tocsin.core.services import own_contact

SESSION_IMPORT = "care_import"


def care_view(*roles):
    """Every page of the register is health data: it asks for the second factor, always."""
    return cpts_view(*roles, health_data=True)


LIST_DEFERRED = ("address", "phone", "emergency_contact", "notes", "commune__boundary")


# --- My patients (treating professionals) ---


@care_view(*MEMBER_ROLES)
def patient_list(request):
    contact = own_contact(request.membership)
    # Each encrypted field costs a decryption per row: read only what the list shows.
    rows = access.own_patients(request).select_related("commune").defer(*LIST_DEFERRED)
    patients = sorted(rows, key=lambda p: p.sort_key)
    access.log_own_access(request, "Mes patients", patients)
    context = {
        "contact": contact,
        "patients": patients,
        "stale": sum(1 for p in patients if p.is_stale),
        "no_contact": services.NO_CONTACT,
        "campaigns": _my_open_campaigns(request),
    }
    return private(render(request, "care/list.html", context))


def _my_open_campaigns(request):
    calls = Call.objects.filter(caller=request.user, campaign__status=CampaignStatus.OPEN,
                                campaign__crisis__cpts=request.cpts)  # fmt: skip
    campaign_ids = calls.values("campaign_id")
    return CallCampaign.objects.filter(pk__in=campaign_ids).select_related("crisis")


@care_view(*MEMBER_ROLES)
def patient_new(request):
    return _patient_form(request, None)


@care_view(*MEMBER_ROLES)
def patient_edit(request, pk):
    return _patient_form(request, access.get_own_patient(request, pk))


def _patient_form(request, patient):
    contact = own_contact(request.membership)
    if contact is None:
        messages.error(request, services.NO_CONTACT)
        return redirect("care:list")
    form = PatientForm(request.POST or None, instance=patient, cpts=request.cpts)
    if patient is not None:
        access.log_own_access(request, f"Modification du {patient}", [patient])
    if request.method == "POST" and form.is_valid():
        saved = run_service(request, services.save_patient, form, request.membership,
                            success="Patient enregistré.")  # fmt: skip
        if saved:
            return redirect("care:detail", saved.pk)
    return private(render(request, "care/form.html", {"form": form, "patient": patient}))


@care_view(*MEMBER_ROLES)
def patient_detail(request, pk):
    patient = access.get_own_patient(request, pk)
    access.log_own_access(request, f"Fiche du {patient}", [patient])
    calls = patient.calls.select_related("campaign__crisis", "caller").order_by("-pk")[:20]
    context = {"patient": patient, "calls": calls}
    return private(render(request, "care/detail.html", context))


@care_view(*MEMBER_ROLES)
@require_POST
def patient_verify(request, pk):
    patient = access.get_own_patient(request, pk)
    run_service(request, services.verify_patient, patient,
                success="Vérification enregistrée : merci.")  # fmt: skip
    if request.POST.get("next") == "list":
        return redirect("care:list")
    return redirect("care:detail", patient.pk)


@care_view(*MEMBER_ROLES)
def patient_delete(request, pk):
    patient = access.get_own_patient(request, pk)
    if request.method != "POST":
        access.log_own_access(request, f"Suppression du {patient}", [patient])
        return private(render(request, "care/delete.html", {"patient": patient}))
    cause = (DeletionCause.REQUEST if request.POST.get("cause") == DeletionCause.REQUEST
             else DeletionCause.PROFESSIONAL)  # fmt: skip
    return _attestation(request, services.remove_patient(request.user, patient, cause))


@care_view(*MEMBER_ROLES)
def patients_pdf(request):
    patients = sorted(access.own_patients(request).select_related("commune"),
                      key=lambda p: p.sort_key)  # fmt: skip
    access.log_own_access(request, "Export PDF de mes patients", patients)
    pdf = documents.render_patient_list(request, "Mes patients suivis", patients)
    return attachment(pdf, documents.file_name("mes-patients", request.cpts), PDF)


@care_view(*MEMBER_ROLES)
def patient_import(request):
    contact = own_contact(request.membership)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.preview_import(request.cpts, contact, upload, upload.name)
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            # Kept encrypted in the session until confirmed: health data never sits in clear.
            request.session[SESSION_IMPORT] = crypto.encrypt(json.dumps(report.rows, default=str))
            return private(render(request, "care/import_preview.html", {"report": report}))
    return render(request, "care/import.html", {"form": form, "no_contact": contact is None,
                                                "message": services.NO_CONTACT})  # fmt: skip


@care_view(*MEMBER_ROLES)
@require_POST
def patient_import_confirm(request):
    token = request.session.pop(SESSION_IMPORT, "")
    if not token:
        messages.error(request, "Aucun import en attente : déposez à nouveau le fichier.")
        return redirect("care:import")
    rows = json.loads(crypto.decrypt(token))
    for row in rows:
        for key in ("birth_date", "basis_recorded_on"):
            row[key] = datetime.date.fromisoformat(row[key]) if row[key] else None
    count = run_service(request, services.import_patients, request.membership, rows)
    if count:
        messages.success(request, f"{count} patients importés dans votre registre.")
    return redirect("care:list")


# --- In a crisis: the référent and the cell ---


def _reason_or_form(request, crisis):
    """The reason given for this crisis, or the page asking for one."""
    access.check_crisis_viewer(request, crisis)
    reason = access.crisis_reason(request, crisis)
    if reason:
        return reason, None
    form = ReasonForm()
    context = {"crisis": crisis, "form": form, "next": request.get_full_path()}
    return None, render(request, "care/reason.html", context)


@care_view(*CRISIS_VIEWER_ROLES)
def crisis_reason(request, crisis):
    crisis = access.get_crisis(request, crisis)
    access.check_crisis_viewer(request, crisis)
    form = ReasonForm(request.POST or None)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("care:crisis_patients", args=[crisis.pk])
    if request.method == "POST" and form.is_valid():
        access.give_crisis_reason(request, crisis, form.text)
        return redirect(target)
    return render(request, "care/reason.html", {"crisis": crisis, "form": form, "next": target})


@care_view(*CRISIS_VIEWER_ROLES)
def crisis_patients(request, crisis):
    crisis = access.get_crisis(request, crisis)
    reason, ask = _reason_or_form(request, crisis)
    if ask:
        return ask
    filters = NeedsFilterForm(request.GET or None)
    need = _chosen_need(filters)
    patients = _exposed(request, crisis, need)
    _mark_latest_calls(crisis, patients)
    label = f"Patients exposés{' — ' + Need(need).label if need else ''}"
    access.log_access(request, AccessKind.CRISIS, label, patients, reason=reason, crisis=crisis)
    context = {
        "crisis": crisis,
        "patients": patients,
        "filters": filters,
        "need": need,
        "reason": reason,
        "campaigns": crisis.call_campaigns.all(),
        "by_need": _count_by_need(patients),
    }
    return private(render(request, "care/crisis_patients.html", context))


def _exposed(request, crisis, need, *, deferred=("emergency_contact", "notes")):
    """The exposed patients with `need` (all when empty), by commune then calling priority;
    `deferred` encrypted fields are not read (each costs a decryption per row)."""
    patients = access.crisis_patients(request, crisis).prefetch_related("professionals")
    chosen = [p for p in patients.defer(*deferred) if not need or need in p.needs]
    return sorted(chosen, key=lambda p: (p.commune.name, p.priority, p.sort_key))


def _chosen_need(filters) -> str:
    return filters.cleaned_data["need"] if filters.is_valid() else ""


def _mark_latest_calls(crisis, patients):
    """Set `patient.latest_call`: the outcome of their latest call in this crisis, if any."""
    calls = Call.objects.filter(campaign__crisis=crisis, patient__in=[p.pk for p in patients])
    latest = dict(calls.order_by("pk").values_list("patient_id", "outcome"))
    for patient in patients:
        outcome = latest.get(patient.pk)
        patient.latest_call = Outcome(outcome).label if outcome else ""


def _count_by_need(patients) -> list[tuple[str, int]]:
    return [(need.label, sum(1 for p in patients if need.value in p.needs)) for need in Need]


@care_view(*CRISIS_VIEWER_ROLES)
def crisis_patients_pdf(request, crisis):
    crisis = access.get_crisis(request, crisis)
    reason, ask = _reason_or_form(request, crisis)
    if ask:
        return ask
    patients = _exposed(request, crisis, _chosen_need(NeedsFilterForm(request.GET)), deferred=())
    _mark_latest_calls(crisis, patients)
    access.log_access(request, AccessKind.CRISIS, "Export PDF des patients exposés", patients,
                      reason=reason, crisis=crisis)  # fmt: skip
    pdf = documents.render_patient_list(request, "Patients exposés", patients, crisis=crisis)
    return attachment(pdf, documents.file_name("patients-exposes", request.cpts, crisis), PDF)


@care_view(*CRISIS_VIEWER_ROLES)
def crisis_map(request, crisis):
    crisis = access.get_crisis(request, crisis)
    reason, ask = _reason_or_form(request, crisis)
    if ask:
        return ask
    layers = [
        {"name": "communes", "label": "Communes", "url": reverse("maps:communes")},
        {"name": "patients", "label": "Patients du registre (restreint)",
         "url": reverse("care:crisis_layer", args=[crisis.pk])},
    ]  # fmt: skip
    context = {"crisis": crisis, "layers": layers, "tiles_url": settings.MAP_TILES_URL,
               "tiles_attribution": settings.MAP_TILES_ATTRIBUTION}  # fmt: skip
    return render(request, "care/crisis_map.html", context)


@care_view(*CRISIS_VIEWER_ROLES)
def crisis_layer(request, crisis):
    """Exposed patients counted per commune and need, at the commune's point: no name, no
    home, yet enough to see where the dependent people are."""
    crisis = access.get_crisis(request, crisis)
    access.check_crisis_viewer(request, crisis)
    reason = access.crisis_reason(request, crisis)
    if not reason:  # the map page asks for it; a bare request for the layer is sent there
        return redirect("care:crisis_reason", crisis.pk)
    patients = list(access.crisis_patients(request, crisis).only("pk", "commune", "needs"))
    access.log_access(request, AccessKind.CRISIS, "Carte des patients exposés", patients,
                      reason=reason, crisis=crisis)  # fmt: skip
    response = JsonResponse({"type": "FeatureCollection",
                             "features": _commune_features(patients)})  # fmt: skip
    response["Content-Type"] = "application/geo+json"
    return private(response)


def _commune_features(patients) -> list[dict]:
    by_commune = {}
    for patient in patients:
        by_commune.setdefault(patient.commune, []).append(patient)
    features = []
    for commune, group in by_commune.items():
        if commune.latitude is None:
            continue
        needs = [f"{label} : {n}" for label, n in _count_by_need(group) if n]
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [commune.longitude, commune.latitude]},
            "properties": {"layer": "patients", "name": commune.name, "count": len(group),
                           "needs": needs, "kind_label": f"{len(group)} patient(s) du registre"},
        })  # fmt: skip
    return features


@care_view(*CRISIS_VIEWER_ROLES)
def campaign_new(request, crisis):
    crisis = access.get_crisis(request, crisis)
    access.check_crisis_viewer(request, crisis)
    memberships = list(services.callers_of(request.cpts))
    initial = {"title": f"Appels de vérification — {crisis.title}"[:200]}
    form = CallCampaignForm(request.POST or None, memberships=memberships, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        campaign = run_service(
            request, services.start_call_campaign, crisis, title=data["title"],
            needs=data["needs"], callers=list(data["callers"]),
            success="Campagne d'appels lancée : chaque appelant voit sa part.",
        )  # fmt: skip
        if campaign:
            return redirect("care:campaign", campaign.pk)
    return render(request, "care/campaign_form.html", {"crisis": crisis, "form": form})


@care_view(*CRISIS_VIEWER_ROLES)
def campaign_detail(request, pk):
    campaign = access.get_campaign(request, pk)
    context = _board_context(request, campaign)
    if request.GET.get("partial"):
        return render(request, "care/_board.html", context)
    memberships = list(services.callers_of(request.cpts))
    callers = {row["caller"] for row in context["shares"]}
    context["reassign_form"] = ReassignForm(callers=callers, memberships=memberships)
    return render(request, "care/campaign.html", context)


def _board_context(request, campaign) -> dict:
    return {
        "campaign": campaign,
        "crisis": campaign.crisis,
        "figures": campaign_figures(campaign),
        "shares": services.shares(campaign),
        "live_every": settings.CRISIS_LIVE_REFRESH_SECONDS,
        "is_caller": campaign.calls.filter(caller=request.user).exists(),
    }


@care_view(*CRISIS_VIEWER_ROLES)
@require_POST
def campaign_close(request, pk):
    campaign = access.get_campaign(request, pk)
    run_service(request, services.close_call_campaign, campaign,
                success="Campagne d'appels close.")  # fmt: skip
    return redirect("care:campaign", campaign.pk)


@care_view(*CRISIS_VIEWER_ROLES)
@require_POST
def campaign_reassign(request, pk):
    campaign = access.get_campaign(request, pk)
    memberships = list(services.callers_of(request.cpts))
    callers = set(campaign.calls.values_list("caller_id", flat=True))
    form = ReassignForm(request.POST, callers=callers, memberships=memberships)
    if form.is_valid():
        count = run_service(
            request,
            services.reassign_calls,
            campaign,
            form.cleaned_data["from_user"],
            form.cleaned_data["to_user"],
        )
        if count is not None:
            messages.success(request, f"{count} appels confiés à {form.cleaned_data['to_user']}.")
    else:
        messages.error(request, "Choisissez qui passe la main et à qui.")
    return redirect("care:campaign", campaign.pk)


# --- A caller's share ---


@care_view(*MEMBER_ROLES)
def my_calls(request, pk):
    campaign = access.get_campaign(request, pk)
    calls = list(
        campaign.calls.filter(caller=request.user)
        .select_related("patient", "commune")
        .defer("commune__boundary")  # a large polygon per row, which the page never draws
        .prefetch_related("patient__professionals")
    )  # fmt: skip
    visible = campaign.is_open and campaign.crisis.is_active
    if visible:
        patients = [c.patient for c in calls if c.patient is not None]
        access.log_access(request, AccessKind.CALLS, f"Mes appels — {campaign.title}", patients,
                          reason=f"Appels de vérification : {campaign.title}",
                          crisis=campaign.crisis)  # fmt: skip
    context = {
        "campaign": campaign,
        "crisis": campaign.crisis,
        "calls": calls,
        "visible": visible,
        "form": CallForm(),
        "left": sum(1 for c in calls if c.outcome in TO_CALL_OUTCOMES),
    }
    return private(render(request, "care/my_calls.html", context))


@care_view(*MEMBER_ROLES)
@require_POST
def call_record(request, pk, call):
    campaign = access.get_campaign(request, pk)
    try:
        call = campaign.calls.select_related("commune", "patient").get(pk=call, caller=request.user)
    except (Call.DoesNotExist, ValueError) as exc:
        raise Http404("Cet appel ne vous est pas confié.") from exc
    form = CallForm(request.POST)
    if form.is_valid():
        run_service(request, services.record_call, call, form.cleaned_data["outcome"],
                    form.cleaned_data["note"], success="Appel noté.")  # fmt: skip
    else:
        messages.error(request, "Choisissez le résultat de l'appel.")
    return redirect(f"{reverse('care:my_calls', args=[campaign.pk])}#appel-{call.pk}")


# --- The coordinator: access log and deletion requests ---


@care_view(*MANAGER_ROLES)
def access_log(request):
    entries = AccessLog.objects.filter(cpts=request.cpts).select_related("crisis")
    kind = request.GET.get("kind", "")
    if kind in AccessKind.values:
        entries = entries.filter(kind=kind)
    number = request.GET.get("patient", "").strip()
    if number.isdigit():
        # The numbers are a JSON list, which SQLite cannot search: read them all, only them.
        rows = entries.values_list("pk", "patient_ids").iterator()
        entries = entries.filter(pk__in=[pk for pk, ids in rows if int(number) in ids])
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    deletions = Deletion.objects.filter(cpts=request.cpts)[:50]
    query = urlencode({key: value for key, value in (("kind", kind), ("patient", number))
                       if value})  # fmt: skip
    context = {"page": page, "kinds": AccessKind.choices, "kind": kind, "patient": number,
               "deletions": deletions, "query": query}  # fmt: skip
    return render(request, "care/access_log.html", context)


@care_view(*MANAGER_ROLES)
def erasure(request):
    """A person asks the CPTS to be removed: found by name and date of birth, shown by number
    only, deleted with an attestation."""
    form = ErasureForm(request.POST or None)
    matches = None
    if request.method == "POST" and "delete" in request.POST:
        return _erase(request)
    if request.method == "POST" and form.is_valid():
        matches = services.find_for_erasure(request.cpts, form.cleaned_data["last_name"],
                                            form.cleaned_data["birth_date"])  # fmt: skip
        access.log_access(request, AccessKind.ERASURE, "Recherche pour une demande d'effacement",
                          matches, reason="Demande d'effacement de la personne")  # fmt: skip
    return render(request, "care/erasure.html", {"form": form, "matches": matches})


def _erase(request):
    try:
        patient = Patient.objects.for_cpts(request.cpts).get(pk=request.POST["delete"])
    except (Patient.DoesNotExist, ValueError) as exc:
        raise Http404("Patient introuvable.") from exc
    return _attestation(
        request, services.remove_patient(request.user, patient, DeletionCause.REQUEST)
    )


def _attestation(request, removed):
    """The attestation downloads where the user stands; the next page they open confirms."""
    deletion, pdf = removed
    messages.success(request, f"Patient retiré du registre (référence {deletion.reference}) : "
                              "l'attestation de suppression a été téléchargée.")  # fmt: skip
    return attachment(pdf, f"attestation-suppression-{deletion.reference}.pdf", PDF)
