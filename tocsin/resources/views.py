"""Resource inventory pages: overview, then list, detail, form and actions for each kind.

Each route passes its kind (`premises`, `equipment`, `stock`, `human`, `capacity`) as a URL
default, so that the five kinds share the same views.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tocsin.core.access import CRISIS_ROLES, cpts_view, get_for_cpts, has_role
from tocsin.core.enums import Role
from tocsin.resources import services
from tocsin.resources.forms import (
    CapacityForm,
    EquipmentForm,
    HumanResourceForm,
    PremisesForm,
    ResourceFilters,
    StockForm,
)
from tocsin.resources.models import Capacity, Equipment, HumanResource, Premises, Stock
from tocsin.resources.selectors import overview as overview_figures

EDITOR_ROLES = (Role.COORDINATOR, Role.REFERENT)
PAGE_SIZE = 50


@dataclass(frozen=True)
class Kind:
    model: type
    form: type
    related: tuple  # joined by lists and detail pages so that rows cost no extra query
    new_title: str
    edit_title: str


KINDS = {
    "premises": Kind(
        Premises,
        PremisesForm,
        ("commune", "owner", "contact", "keys_holder"),
        "Nouveau local",
        "Modifier le local",
    ),
    "equipment": Kind(
        Equipment,
        EquipmentForm,
        ("commune", "owner__commune", "contact"),
        "Nouveau matériel",
        "Modifier le matériel",
    ),
    "stock": Kind(
        Stock,
        StockForm,
        ("commune", "owner__commune", "contact"),
        "Nouveau stock",
        "Modifier le stock",
    ),
    "human": Kind(
        HumanResource,
        HumanResourceForm,
        ("contact__commune", "owner"),
        "Nouveau bénévole",
        "Modifier la fiche bénévole",
    ),
    "capacity": Kind(
        Capacity,
        CapacityForm,
        ("owner__commune", "contact"),
        "Nouvelle capacité",
        "Modifier la capacité",
    ),
}


@cpts_view(*CRISIS_ROLES)
def overview(request):
    context = {**overview_figures(request.cpts), "can_edit": has_role(request, *EDITOR_ROLES)}
    return render(request, "resources/overview.html", context)


@cpts_view(*CRISIS_ROLES)
def resource_list(request, kind):
    spec = KINDS[kind]
    filters = ResourceFilters(request.GET or None, cpts=request.cpts, expiring=kind == "stock")
    rows = filters.apply(spec.model.objects.for_cpts(request.cpts).with_flags())
    rows = rows.select_related(*spec.related).order_by(*spec.model._meta.ordering, "pk")
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "filters": filters,
        "query": query.urlencode(),
        "can_edit": has_role(request, *EDITOR_ROLES),
    }
    return render(request, f"resources/{kind}_list.html", context)


@cpts_view(*CRISIS_ROLES)
def resource_detail(request, kind, pk):
    spec = KINDS[kind]
    queryset = spec.model.objects.with_flags().select_related(*spec.related)
    context = {
        "resource": get_for_cpts(request, queryset, pk=pk),
        "can_edit": has_role(request, *EDITOR_ROLES),
    }
    return render(request, f"resources/{kind}_detail.html", context)


@cpts_view(*EDITOR_ROLES)
def resource_edit(request, kind, pk=None):
    spec = KINDS[kind]
    resource = get_for_cpts(request, spec.model, pk=pk) if pk else None
    form = spec.form(request.POST or None, instance=resource, cpts=request.cpts)
    if form.is_valid():
        saved = services.save_resource(request.user, form)
        messages.success(request, f"« {saved} » est enregistré.")
        return redirect(saved.get_absolute_url())
    context = {
        "form": form,
        "kind": kind,
        "title": spec.edit_title if resource else spec.new_title,
        "cancel_url": resource.get_absolute_url() if resource else _list_url(kind),
    }
    return render(request, "resources/form.html", context)


@cpts_view(*EDITOR_ROLES)
@require_POST
def resource_delete(request, kind, pk):
    resource = get_for_cpts(request, KINDS[kind].model, pk=pk)
    services.delete_resource(request.user, resource)
    messages.success(request, f"« {resource} » a été retiré du recensement.")
    return redirect(_list_url(kind))


@cpts_view(*EDITOR_ROLES)
@require_POST
def resource_check(request, kind, pk):
    resource = get_for_cpts(request, KINDS[kind].model, pk=pk)
    services.mark_checked(request.user, resource)
    messages.success(request, f"« {resource} » : vérification enregistrée aujourd'hui.")
    return redirect(_safe_next(request) or resource.get_absolute_url())


def _list_url(kind) -> str:
    return reverse(f"resources:{kind}_list")


def _safe_next(request) -> str:
    """The page the button was on (a filtered list), if it is one of ours."""
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""
