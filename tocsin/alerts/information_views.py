"""Information pages: newsletters, information messages and invitations to a meeting, sent to the
professionals through the alerts' e-mail channel; their follow-up; and the members' archive.

A draft is prepared with the alerts' audience builder and preview (`views.edit_draft`) and leaves
through `services.send_campaign` and the `run_alerts` worker, like an alert.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tocsin.alerts import audience, provider_mail, selectors, services
from tocsin.alerts.forms import InformationForm
from tocsin.alerts.models import Campaign
from tocsin.alerts.views import DraftPages, edit_draft
from tocsin.core.access import (
    CRISIS_ROLES,
    MEMBER_ROLES,
    PILOT_ROLES,
    cpts_view,
    get_for_cpts,
    has_role,
)
from tocsin.core.feedback import run_service

INFORMATION_PAGES = DraftPages(InformationForm, "alerts/info_edit.html", "alerts:info_edit",
                               "alerts:info_send", awareness=True)  # fmt: skip
ARCHIVE_PAGE_SIZE = 20


def _information(request, pk) -> Campaign:
    """An information of the current CPTS (alerts have their own pages)."""
    return get_for_cpts(request, Campaign.objects.awareness().select_related("cpts"), pk=pk)


@cpts_view(*CRISIS_ROLES)
def information_list(request):
    context = selectors.information_list(request.cpts)
    context["reports_opens"] = provider_mail.reports_opens()
    return render(request, "alerts/info_list.html", context)


@cpts_view(*CRISIS_ROLES)
def information_new(request):
    return edit_draft(request, None, INFORMATION_PAGES)


@cpts_view(*CRISIS_ROLES)
def information_edit(request, pk):
    campaign = _information(request, pk)
    if not campaign.is_draft:
        messages.info(request, "Cette information est partie : elle ne se modifie plus.")
        return redirect("alerts:info_followup", campaign.pk)
    return edit_draft(request, campaign, INFORMATION_PAGES)


@cpts_view(*CRISIS_ROLES)
@require_POST
def information_delete(request, pk):
    campaign = _information(request, pk)
    title = run_service(request, services.delete_draft, campaign)
    if title is None:
        return redirect("alerts:info_followup", campaign.pk)
    messages.success(request, f"Brouillon « {title} » supprimé.")
    return redirect("alerts:info_list")


@cpts_view(*PILOT_ROLES)
def information_send(request, pk):
    campaign = _information(request, pk)
    if not campaign.is_draft:
        return redirect("alerts:info_followup", campaign.pk)
    if request.method == "POST":
        totals = run_service(request, services.send_campaign, campaign)
        if totals is None:
            return redirect("alerts:info_edit", campaign.pk)
        text = f"Information envoyée à {totals['reachable']} personne(s)"
        if totals["excluded"]:
            text += f", {totals['excluded']} non joignable(s) (listées dans le suivi)"
        messages.success(request, text + ".")
        return redirect("alerts:info_followup", campaign.pk)
    found = None
    if not audience.is_empty(campaign.audience):
        found = audience.preview(request.cpts, campaign.audience, health_data=False,
                                 email_only=True)  # fmt: skip
    context = {"campaign": campaign, "preview": found, "awareness": True}
    return render(request, "alerts/info_send.html", context)


@cpts_view(*CRISIS_ROLES)
def information_followup(request, pk):
    """Who was reached, the e-mails' fate, who opened them and who confirmed reading them."""
    campaign = _information(request, pk)
    if campaign.is_draft:
        return redirect("alerts:info_edit", campaign.pk)
    totals = selectors.rollcall_totals(campaign)
    tabs = selectors.FOLLOWUP_TABS
    tab = next((t for t in tabs if t.key == request.GET.get("filtre")), tabs[0])
    paginator = Paginator(selectors.followup_recipients(campaign, tab), selectors.PAGE_SIZE,
                          allow_empty_first_page=True)  # fmt: skip
    paginator.count = totals[tab.total]  # already counted: no COUNT(*) over the recipients
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "campaign": campaign,
        "totals": totals,
        "figures": selectors.email_figures(campaign),
        "reports_opens": provider_mail.reports_opens(),
        "tabs": [(t, totals[t.total]) for t in tabs],
        "tab": tab,
        "page": page,
        "rows": selectors.describe(page.object_list),
        "query": f"filtre={tab.key}" if tab.key != tabs[0].key else "",
    }
    return render(request, "alerts/info_followup.html", context)


# --- The members' archive ---


@cpts_view(*MEMBER_ROLES)
def archive(request):
    paginator = Paginator(selectors.archive(request.cpts), ARCHIVE_PAGE_SIZE)
    context = {
        "page": paginator.get_page(request.GET.get("page")),
        "query": "",
        "can_manage": has_role(request, *CRISIS_ROLES),
    }
    return render(request, "alerts/archive.html", context)


@cpts_view(*MEMBER_ROLES)
def archive_detail(request, pk):
    campaign = get_for_cpts(request, selectors.archive(request.cpts), pk=pk)
    return render(request, "alerts/archive_detail.html", {"campaign": campaign})
