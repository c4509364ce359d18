"""Who may see which patients of the register, and the log row every such page writes.

Three rights, no other: a treating professional sees the patients their directory entry
follows; the référent and the cell members see, during an active crisis or exercise and after
giving a reason, the patients of the communes its risk exposes; a caller sees their share of
an open call campaign. Nobody else — not the coordinator, not the authorities.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from tocsin.care.enums import AccessKind
from tocsin.care.models import AccessLog, CallCampaign, Patient
from tocsin.core.access import get_for_cpts
from tocsin.core.enums import Role
from tocsin.core.services import own_contact
from tocsin.crises.models import Crisis
from tocsin.territory.models import TerritoryCommune

CRISIS_VIEWER_ROLES = frozenset({Role.REFERENT, Role.CELL_MEMBER})
OWN_REASON = "Suivi de mes patients (professionnel traitant)"
SESSION_REASONS = "care_crisis_reasons"


def own_patients(request):
    """The patients the current member's directory entry follows (none without an entry)."""
    contact = own_contact(request.membership)
    return Patient.objects.for_cpts(request.cpts).followed_by(contact)


def get_own_patient(request, pk) -> Patient:
    try:
        return own_patients(request).prefetch_related("professionals").get(pk=pk)
    except (Patient.DoesNotExist, ValueError) as exc:
        raise Http404("Ce patient ne fait pas partie de vos patients.") from exc


def get_crisis(request, pk) -> Crisis:
    return get_for_cpts(request, Crisis.objects.select_related("risk"), pk=pk)


def exposed_commune_ids(crisis) -> list[int]:
    """The communes the crisis's risk exposes; the whole territory when it names no risk."""
    if crisis.risk_id is not None:
        return list(crisis.risk.communes.values_list("pk", flat=True))
    rows = TerritoryCommune.objects.for_cpts(crisis.cpts)
    return list(rows.values_list("commune_id", flat=True))


def check_crisis_viewer(request, crisis):
    if request.membership.role not in CRISIS_VIEWER_ROLES:
        raise PermissionDenied("Seuls le référent et la cellule de crise voient les patients.")
    if not crisis.is_active:
        raise PermissionDenied("Cette crise est levée : ses patients ne sont plus accessibles.")


def crisis_patients(request, crisis):
    """The registered patients exposed to an active crisis, for the référent and the cell."""
    check_crisis_viewer(request, crisis)
    patients = Patient.objects.for_cpts(request.cpts).in_communes(exposed_commune_ids(crisis))
    # A commune's boundary is a large polygon: no page of patients draws it.
    return patients.select_related("commune").defer("commune__boundary")


def get_campaign(request, pk) -> CallCampaign:
    try:
        campaigns = CallCampaign.objects.for_cpts(request.cpts).select_related("crisis")
        return campaigns.get(pk=pk)
    except (CallCampaign.DoesNotExist, ValueError) as exc:
        raise Http404("Campagne d'appels introuvable.") from exc


# --- Reasons and the access log ---


def crisis_reason(request, crisis) -> str:
    """The reason this user gave for this crisis, while it lasts; "" once expired."""
    given = request.session.get(SESSION_REASONS, {}).get(str(crisis.pk))
    if not given:
        return ""
    since = datetime.datetime.fromisoformat(given["at"])
    lasts = datetime.timedelta(minutes=settings.CARE_REASON_MINUTES)
    return given["reason"] if timezone.now() - since < lasts else ""


def give_crisis_reason(request, crisis, reason: str):
    reasons = request.session.get(SESSION_REASONS, {})
    reasons[str(crisis.pk)] = {"reason": reason[:300], "at": timezone.now().isoformat()}
    request.session[SESSION_REASONS] = reasons


def log_access(request, kind, page, patients, *, reason, crisis=None) -> AccessLog:
    """Record that this page showed these patients (numbers only) to the current user."""
    return AccessLog.objects.create(
        cpts=request.cpts, user=request.user, user_label=str(request.user)[:200], kind=kind,
        reason=reason, crisis=crisis, page=page[:200],
        patient_ids=sorted(p.pk for p in patients),
    )  # fmt: skip


def log_own_access(request, page, patients) -> AccessLog:
    return log_access(request, AccessKind.OWN, page, patients, reason=OWN_REASON)
