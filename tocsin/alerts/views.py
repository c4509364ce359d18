"""Alert pages: the campaigns, a draft with its audience and live preview, sending, and the
roll-call of who answered. Views stay thin: services send, remind and close."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import CheckboxInput
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from tocsin.alerts import audience, selectors, services
from tocsin.alerts.enums import AWARENESS_KINDS, CampaignStatus
from tocsin.alerts.forms import AudienceForm, CampaignForm
from tocsin.alerts.models import Campaign
from tocsin.core.access import CRISIS_ROLES, PILOT_ROLES, cpts_view, get_for_cpts, has_role
from tocsin.core.audit import log_action
from tocsin.core.downloads import CSV, attachment
from tocsin.core.feedback import run_service
from tocsin.core.spreadsheets import french_csv
from tocsin.crises.models import Crisis
from tocsin.directory.models import Contact
from tocsin.directory.search import search
from tocsin.plans.models import Fiche

SEARCH_RESULTS = 20


def _campaign(request, pk) -> Campaign:
    """An alert of the current CPTS (informations have their own pages)."""
    return get_for_cpts(request, Campaign.objects.alerts().select_related("crisis", "cpts"), pk=pk)


@cpts_view(*CRISIS_ROLES)
def campaign_list(request):
    context = selectors.campaign_list(request.cpts)
    return render(request, "alerts/list.html", context)


# --- The draft: message, audience, preview ---


def _prefill(request) -> dict:
    """?crise= attaches the new draft to an active crisis; ?fiche= takes a fiche action's words."""
    initial = {}
    if request.GET.get("crise", "").isdigit():
        crisis = get_for_cpts(request, Crisis, pk=request.GET["crise"])
        if crisis.is_active:
            initial["crisis"] = crisis.pk
        else:
            messages.warning(request, "Cette crise est levée : l'alerte partira hors crise.")
    if request.GET.get("fiche", "").isdigit():
        fiche = Fiche.objects.filter(version__cpts=request.cpts, pk=request.GET["fiche"]).first()
        if fiche is None:
            raise Http404("Fiche introuvable dans votre plan.")
        initial.update(title=fiche.title[:160], body=fiche.messages.strip())
    return initial


def _preview(cpts, form: AudienceForm, criteria: dict, **options):
    """The audience preview, or None while no one is chosen (or the choice is invalid)."""
    if form.is_bound:
        if not form.is_valid():
            return None
        criteria = form.criteria()
    if audience.is_empty(criteria):
        return None
    return audience.preview(cpts, criteria, **options)


def _chosen_contacts(cpts, form: AudienceForm):
    """The people picked one by one, shown as ticked boxes (whatever the form's state)."""
    ids = form.data.getlist("contacts") if form.is_bound else form.initial.get("contacts", [])
    ids = [pk for pk in map(str, ids) if pk.isdigit()]
    return list(Contact.objects.for_cpts(cpts).filter(pk__in=ids).order_by("last_name", "pk"))


@dataclass(frozen=True)
class DraftPages:
    """What an alert's draft and an information's differ by: their form, page and routes."""

    form_class: type
    template: str
    edit: str
    send: str
    awareness: bool = False


ALERT_PAGES = DraftPages(CampaignForm, "alerts/edit.html", "alerts:edit", "alerts:send")


def edit_draft(request, campaign: Campaign | None, pages: DraftPages, initial=None):
    """The draft's page: the message, the audience builder and its preview; save or send."""
    data = request.POST if request.method == "POST" else None
    criteria = campaign.audience if campaign else {}
    form = pages.form_class(data, instance=campaign, initial=initial, cpts=request.cpts)
    audience_form = AudienceForm(data, initial=AudienceForm.initial_from(criteria),
                                 cpts=request.cpts)  # fmt: skip
    action = request.POST.get("action", "save")
    saving = data is not None and action in ("save", "send")
    if saving and form.is_valid() and audience_form.is_valid():
        fields = {name: form.cleaned_data[name] for name in pages.form_class.Meta.fields}
        saved = run_service(request, services.save_draft, request.cpts, campaign,
                     criteria=audience_form.criteria(), **fields)  # fmt: skip
        if saved is not None:
            messages.success(request, "Brouillon enregistré.")
            if action == "send" and has_role(request, *PILOT_ROLES):
                return redirect(pages.send, saved.pk)
            return redirect(pages.edit, saved.pk)
    chosen = _chosen_contacts(request.cpts, audience_form)
    query = request.POST.get("recherche", "").strip()
    found = None
    if query:
        contacts = Contact.objects.for_cpts(request.cpts).exclude(pk__in=[c.pk for c in chosen])
        found = search(contacts, query).queryset.select_related("commune")
        found = found.order_by("last_name", "first_name", "pk")[:SEARCH_RESULTS]
    context = {
        "campaign": campaign,
        "form": form,
        "audience": audience_form,
        "chosen": chosen,
        "query": query,
        "found": found,
        "preview": _preview(request.cpts, audience_form, criteria, **form.preview_options()),
        "awareness": pages.awareness,
        "can_send": has_role(request, *PILOT_ROLES),
    }
    return render(request, pages.template, context)


@cpts_view(*CRISIS_ROLES)
def campaign_new(request):
    return edit_draft(request, None, ALERT_PAGES, initial=_prefill(request))


@cpts_view(*CRISIS_ROLES)
def campaign_edit(request, pk):
    campaign = _campaign(request, pk)
    if not campaign.is_draft:
        messages.info(request, "Cette alerte est partie : elle ne se modifie plus.")
        return redirect("alerts:rollcall", campaign.pk)
    return edit_draft(request, campaign, ALERT_PAGES)


@cpts_view(*CRISIS_ROLES)
@require_POST
def preview(request):
    """The preview fragment for the form as it stands, saved or not (audience.js posts it)."""
    form = AudienceForm(request.POST, cpts=request.cpts)
    health_data = CheckboxInput().value_from_datadict(request.POST, {}, "has_health_data")
    # An information's form posts its kind: its audience is reached by e-mail only.
    awareness = request.POST.get("kind") in AWARENESS_KINDS
    preview = _preview(request.cpts, form, {}, health_data=health_data and not awareness,
                       email_only=awareness)  # fmt: skip
    context = {"preview": preview, "audience": form, "awareness": awareness}
    return render(request, "alerts/_preview.html", context)


@cpts_view(*CRISIS_ROLES)
@require_POST
def campaign_delete(request, pk):
    campaign = _campaign(request, pk)
    title = run_service(request, services.delete_draft, campaign)
    if title is None:
        return redirect("alerts:rollcall", campaign.pk)
    messages.success(request, f"Brouillon « {title} » supprimé.")
    return redirect("alerts:list")


# --- Sending ---


@cpts_view(*PILOT_ROLES)
def send(request, pk):
    campaign = _campaign(request, pk)
    if not campaign.is_draft:
        return redirect("alerts:rollcall", campaign.pk)
    if request.method == "POST":
        totals = run_service(request, services.send_campaign, campaign)
        if totals is None:
            return redirect("alerts:edit", campaign.pk)
        text = f"Alerte envoyée : {totals['reachable']} personne(s) en cours d'alerte"
        if totals["excluded"]:
            text += f", {totals['excluded']} non joignable(s) (listées dans l'appel)"
        messages.success(request, text + ".")
        return redirect("alerts:rollcall", campaign.pk)
    found = None
    if not audience.is_empty(campaign.audience):
        found = audience.preview(request.cpts, campaign.audience,
                                 health_data=campaign.has_health_data)  # fmt: skip
    context = {"campaign": campaign, "preview": found, "awareness": False}
    return render(request, "alerts/send.html", context)


# --- The roll-call ---


def _tab(campaign, key):
    tabs = selectors.tabs_for(campaign)
    return tabs, next((tab for tab in tabs if tab.key == key), tabs[0])


@cpts_view(*CRISIS_ROLES)
def rollcall(request, pk):
    campaign = _campaign(request, pk)
    if campaign.is_draft:
        return redirect("alerts:edit", campaign.pk)
    totals = selectors.rollcall_totals(campaign)
    tabs, tab = _tab(campaign, request.GET.get("filtre", ""))
    paginator = Paginator(selectors.recipients(campaign, tab), selectors.PAGE_SIZE,
                          allow_empty_first_page=True)  # fmt: skip
    paginator.count = totals[tab.total]  # already counted: no COUNT(*) over the recipients
    page = paginator.get_page(request.GET.get("page"))
    query = f"filtre={tab.key}" if tab.key != tabs[0].key else ""
    here = "&".join(part for part in (query, f"page={page.number}") if part)
    context = {
        "campaign": campaign,
        "totals": totals,
        "tabs": [(t, totals[t.total]) for t in tabs],
        "tab": tab,
        "page": page,
        "rows": selectors.describe(page.object_list),
        "query": query,
        "live_url": f"{request.path}?{here}&partial=1",
        "live_every": settings.CRISIS_LIVE_REFRESH_SECONDS,
        "states": selectors.delivery_states(campaign),
        "by_profession": selectors.breakdown(campaign, "profession"),
        "by_commune": selectors.breakdown(campaign, "commune"),
        "can_pilot": has_role(request, *PILOT_ROLES),
        "is_open": campaign.status == CampaignStatus.SENT,
    }
    template = "alerts/_rollcall.html" if request.GET.get("partial") else "alerts/rollcall.html"
    return render(request, template, context)


@cpts_view(*PILOT_ROLES)
@require_POST
def remind(request, pk):
    campaign = _campaign(request, pk)
    count = run_service(request, services.remind_non_responders, campaign)
    if count is not None:
        messages.success(request, f"Rappel envoyé à {count} personne(s) sans réponse.")
    return redirect("alerts:rollcall", campaign.pk)


@cpts_view(*PILOT_ROLES)
@require_POST
def close(request, pk):
    campaign = _campaign(request, pk)
    figures = run_service(request, services.close_campaign, campaign)
    if figures is not None:
        messages.success(
            request,
            f"Alerte clôturée : {figures['available']} disponible(s), {figures['unavailable']} "
            f"indisponible(s), {figures['silent']} sans réponse.",
        )
    return redirect("alerts:rollcall", campaign.pk)


CSV_HEADER = ["nom", "profession", "commune", "suppléant de", "non alerté car", "canal",
              "dernier envoi", "réponse", "disponible à partir de", "commentaire", "répondu le",
              "répondu par"]  # fmt: skip


def _csv_row(row) -> list:
    selectors.describe_one(row)
    return [
        row.name, row.profession, row.commune, row.backup_of.name if row.backup_of else "",
        row.get_exclusion_display(), row.channel_label, row.state_label,
        row.get_answer_display() if row.answer else "",
        row.available_from.strftime("%H:%M") if row.available_from else "", row.comment,
        timezone.localtime(row.answered_at).strftime("%d/%m/%Y %H:%M") if row.answered_at else "",
        row.answered_via,
    ]  # fmt: skip


@cpts_view(*CRISIS_ROLES)
@require_GET
def rollcall_csv(request, pk):
    campaign = _campaign(request, pk)
    if campaign.is_draft:
        raise Http404("Un brouillon n'a pas encore d'appel.")
    rows = selectors.recipients(campaign, selectors.TABS[0]).iterator(chunk_size=2000)
    content = french_csv(CSV_HEADER, (_csv_row(row) for row in rows)).encode()
    log_action(request.user, request.cpts, "alerts.rollcall.exported", campaign, {"format": "CSV"})
    mode = "exercice-" if campaign.is_exercise else ""
    name = f"appel-{mode}{campaign.cpts.slug}-{campaign.pk}-{timezone.localdate():%Y%m%d}.csv"
    return attachment(content, name, CSV)
