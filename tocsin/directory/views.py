"""Directory pages: contacts, organisations and groups, for the crisis team."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, ProtectedError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tocsin.core.access import CRISIS_ROLES, cpts_view, get_for_cpts, has_role, public_view
from tocsin.core.enums import Role
from tocsin.core.errors import DomainError
from tocsin.directory import freshness, imports, services
from tocsin.directory.enums import DetailsRequestStatus, ImportStatus, OrganisationKind
from tocsin.directory.forms import (
    ContactForm,
    ContactSelfForm,
    GroupForm,
    ImportForm,
    MappingForm,
    OrganisationForm,
)
from tocsin.directory.importers.base import FatalImportError
from tocsin.directory.mapping import guess_mapping
from tocsin.directory.models import Contact, DetailsRequest, Group, ImportRun, Organisation
from tocsin.directory.search import search
from tocsin.directory.selectors import group_members, profession_choices
from tocsin.territory.selectors import territory_communes

EDITOR_ROLES = (Role.COORDINATOR, Role.REFERENT)
PAGE_SIZE = 50


class ContactFilters(forms.Form):
    q = forms.CharField(label="Rechercher", required=False, max_length=200)
    profession = forms.ChoiceField(label="Profession", required=False)
    commune = forms.ChoiceField(label="Commune", required=False)
    volunteer = forms.BooleanField(label="Volontaires seulement", required=False)
    stale = forms.BooleanField(label="À vérifier (plus de 12 mois)", required=False)

    def __init__(self, *args, cpts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profession"].choices = [("", "Toutes")] + profession_choices(cpts)
        communes = territory_communes(cpts).values_list("insee_code", "name")
        self.fields["commune"].choices = [("", "Toutes")] + list(communes)


class OrganisationFilters(forms.Form):
    q = forms.CharField(label="Rechercher", required=False, max_length=200)
    kind = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Tous")] + OrganisationKind.choices
    )
    commune = forms.ChoiceField(label="Commune", required=False)
    stale = forms.BooleanField(label="À vérifier (plus de 12 mois)", required=False)

    def __init__(self, *args, cpts, **kwargs):
        super().__init__(*args, **kwargs)
        communes = territory_communes(cpts).values_list("insee_code", "name")
        self.fields["commune"].choices = [("", "Toutes")] + list(communes)


@cpts_view(*CRISIS_ROLES)
def contact_list(request):
    filters = ContactFilters(request.GET or None, cpts=request.cpts)
    contacts = Contact.objects.for_cpts(request.cpts)
    data = filters.cleaned_data if filters.is_valid() else {}
    if data.get("profession"):
        contacts = contacts.filter(profession_code=data["profession"])
    if data.get("commune"):
        contacts = contacts.filter(commune__insee_code=data["commune"])
    if data.get("volunteer"):
        contacts = contacts.filter(is_volunteer=True)
    if data.get("stale"):
        contacts = contacts.stale()
    result = search(contacts, data.get("q", ""))
    rows = result.queryset.select_related("commune").prefetch_related("organisations")
    return _list_page(request, "directory/contact_list.html", rows, filters, result)


@cpts_view(*CRISIS_ROLES)
def organisation_list(request):
    filters = OrganisationFilters(request.GET or None, cpts=request.cpts)
    organisations = Organisation.objects.for_cpts(request.cpts)
    data = filters.cleaned_data if filters.is_valid() else {}
    if data.get("kind"):
        organisations = organisations.filter(kind=data["kind"])
    if data.get("commune"):
        organisations = organisations.filter(commune__insee_code=data["commune"])
    if data.get("stale"):
        organisations = organisations.stale()
    result = search(organisations, data.get("q", ""))
    rows = result.queryset.select_related("commune")
    return _list_page(request, "directory/organisation_list.html", rows, filters, result)


def _list_page(request, template, rows, filters, result):
    page = Paginator(rows.order_by(*rows.model._meta.ordering, "pk"), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page.get_page(request.GET.get("page")),
        "filters": filters,
        "corrected": result.corrected,
        "query": query.urlencode(),
        "can_edit": has_role(request, *EDITOR_ROLES),
    }
    return render(request, template, context)


@cpts_view(*CRISIS_ROLES)
def contact_detail(request, pk):
    contact = get_for_cpts(request, Contact.objects.select_related("commune", "backup"), pk=pk)
    context = {
        "contact": contact,
        "organisations": contact.organisations.all(),
        "groups": contact.groups.all(),
        "can_edit": has_role(request, *EDITOR_ROLES),
    }
    return render(request, "directory/contact_detail.html", context)


@cpts_view(*CRISIS_ROLES)
def organisation_detail(request, pk):
    organisation = get_for_cpts(request, Organisation.objects.select_related("commune"), pk=pk)
    context = {
        "organisation": organisation,
        "contacts": organisation.contacts.order_by("last_name", "first_name"),
        "can_edit": has_role(request, *EDITOR_ROLES),
    }
    return render(request, "directory/organisation_detail.html", context)


@cpts_view(*CRISIS_ROLES)
def group_list(request):
    groups = Group.objects.for_cpts(request.cpts)
    context = {"groups": groups, "can_edit": has_role(request, *EDITOR_ROLES)}
    return render(request, "directory/group_list.html", context)


@cpts_view(*CRISIS_ROLES)
def group_detail(request, pk):
    group = get_for_cpts(request, Group.objects.select_related("deputy"), pk=pk)
    members = group_members(group).select_related("commune").order_by("last_name", "first_name")
    context = {
        "group": group,
        "members": members,
        "can_edit": has_role(request, *EDITOR_ROLES),
    }
    return render(request, "directory/group_detail.html", context)


@cpts_view(*EDITOR_ROLES)
def contact_edit(request, pk=None):
    contact = get_for_cpts(request, Contact, pk=pk) if pk else None
    return _edit(request, ContactForm, contact, services.save_contact, "contact")


@cpts_view(*EDITOR_ROLES)
def organisation_edit(request, pk=None):
    organisation = get_for_cpts(request, Organisation, pk=pk) if pk else None
    return _edit(
        request, OrganisationForm, organisation, services.save_organisation, "organisation"
    )


@cpts_view(*EDITOR_ROLES)
def group_edit(request, pk=None):
    group = get_for_cpts(request, Group, pk=pk) if pk else None
    return _edit(request, GroupForm, group, services.save_group, "group")


TITLES = {
    "contact": ("Nouveau contact", "Modifier le contact"),
    "organisation": ("Nouvelle organisation", "Modifier l'organisation"),
    "group": ("Nouveau groupe", "Modifier le groupe"),
}


def _edit(request, form_class, instance, save, kind):
    form = form_class(request.POST or None, instance=instance, cpts=request.cpts)
    if form.is_valid():
        saved = save(request.user, form)
        messages.success(request, f"« {saved} » est enregistré.")
        return redirect(f"directory:{kind}_detail", pk=saved.pk)
    title = TITLES[kind][instance is not None]
    context = {"form": form, "title": title, "cancel_url": _cancel_url(kind, instance)}
    return render(request, "directory/form.html", context)


def _cancel_url(kind, instance):
    if instance is not None:
        return reverse(f"directory:{kind}_detail", kwargs={"pk": instance.pk})
    return reverse(f"directory:{kind}_list")


@cpts_view(*EDITOR_ROLES)
@require_POST
def entry_delete(request, kind, pk):
    model = {"contact": Contact, "organisation": Organisation, "group": Group}[kind]
    entry = get_for_cpts(request, model, pk=pk)
    try:
        services.delete_entry(request.user, entry, kind)
    except ProtectedError as error:
        users = ", ".join(sorted({str(row) for row in error.protected_objects})[:5])
        messages.error(
            request, f"« {entry} » est encore utilisé par : {users}. Retirez-le d'abord."
        )
        return redirect(f"directory:{kind}_detail", pk=entry.pk)
    messages.success(request, f"« {entry} » a été supprimé de l'annuaire.")
    return redirect(f"directory:{kind}_list")


@cpts_view(*EDITOR_ROLES)
def import_list(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if form.is_valid():
        run = imports.start_import(
            request.user, request.cpts, form.cleaned_data["kind"], form.cleaned_data["file"]
        )
        return redirect("directory:import_detail", pk=run.pk)
    runs = ImportRun.objects.for_cpts(request.cpts).select_related("created_by")[:30]
    return render(request, "directory/import_list.html", {"form": form, "runs": runs})


@cpts_view(*EDITOR_ROLES)
def import_detail(request, pk):
    run = get_for_cpts(request, ImportRun, pk=pk)
    context = {"run": run, "mapping_form": None}
    if run.status == ImportStatus.MAPPING:
        try:
            headers = imports.file_headers(run)
        except FatalImportError as error:
            messages.error(request, error.message)
            headers = []
        form = MappingForm(
            request.POST or None, headers=headers, initial_mapping=guess_mapping(headers)
        )
        if headers and form.is_valid():
            imports.set_mapping(request.user, run, form.mapping)
            return redirect("directory:import_detail", pk=run.pk)
        context["mapping_form"] = form if headers else None
    return render(request, "directory/import_detail.html", context)


@cpts_view(*EDITOR_ROLES)
@require_POST
def import_apply(request, pk):
    run = get_for_cpts(request, ImportRun, pk=pk)
    try:
        imports.confirm_import(request.user, run)
    except FatalImportError as error:
        messages.error(request, error.message)
    return redirect("directory:import_detail", pk=run.pk)


@cpts_view(*EDITOR_ROLES)
@require_POST
def details_send(request):
    recent = DetailsRequest.objects.for_cpts(request.cpts).filter(
        status=DetailsRequestStatus.SENT, sent_at__gte=timezone.now() - freshness.LINK_VALIDITY
    )
    contacts = (
        Contact.objects.for_cpts(request.cpts)
        .stale()
        .exclude(pk__in=recent.values("contact_id"))
        .order_by("last_name", "first_name")
    )
    sent, unreachable = freshness.send_details_requests(request.user, request.cpts, list(contacts))
    messages.success(request, f"{len(sent)} demande(s) de vérification envoyée(s) par e-mail.")
    if unreachable:
        names = ", ".join(c.full_name for c in unreachable[:20])
        more = f" et {len(unreachable) - 20} autre(s)" if len(unreachable) > 20 else ""
        messages.warning(request, f"Sans adresse e-mail, à appeler : {names}{more}.")
    return redirect("directory:details_review_list")


@public_view
def details_answer(request, token):
    try:
        details_request = freshness.request_from_token(token)
    except DomainError as error:
        return render(request, "directory/details_answer.html", {"error": error.message})
    contact = Contact.objects.get(pk=details_request.contact_id)  # a copy the form may alter
    form = ContactSelfForm(request.POST or None, instance=contact)
    context = {"details_request": details_request, "form": form, "error": ""}
    if details_request.is_open and form.is_valid():
        corrected = freshness.answer_details_request(details_request, form)
        context["answered"] = "corrected" if corrected else "confirmed"
    elif not details_request.is_open:
        context["error"] = "Vous avez déjà répondu à cette demande. Merci !"
    return render(request, "directory/details_answer.html", context)


@cpts_view(*EDITOR_ROLES)
def details_review_list(request):
    requests = DetailsRequest.objects.for_cpts(request.cpts).select_related("contact")
    pending = [
        (r, _proposed_changes(r)) for r in requests.filter(status=DetailsRequestStatus.CORRECTED)
    ]
    counts = dict(
        requests.values_list("status").annotate(n=Count("id")).order_by().values_list("status", "n")
    )
    context = {
        "pending": pending,
        "counts": [(label, counts.get(value, 0)) for value, label in DetailsRequestStatus.choices],
        "stale_count": Contact.objects.for_cpts(request.cpts).stale().count(),
    }
    return render(request, "directory/details_review.html", context)


def _proposed_changes(details_request):
    contact = details_request.contact
    rows = []
    for name, new in details_request.proposed.items():
        label = Contact._meta.get_field(name).verbose_name
        old = getattr(contact, name)
        rows.append((label, _shown(old), _shown(new)))
    return rows


def _shown(value) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return ", ".join(value) or "—"
    return str(value) if value else "—"


@cpts_view(*EDITOR_ROLES)
@require_POST
def details_review(request, pk):
    details_request = get_for_cpts(request, DetailsRequest.objects.select_related("contact"), pk=pk)
    accept = "accept" in request.POST
    try:
        freshness.review_corrections(request.user, details_request, accept)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        verb = "appliquées" if accept else "refusées"
        messages.success(request, f"Corrections de {details_request.contact} {verb}.")
    return redirect("directory:details_review_list")
