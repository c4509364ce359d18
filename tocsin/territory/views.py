"""Territory pages: the communes of the CPTS with their population and mairie contacts."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tocsin.core.access import MANAGER_ROLES, cpts_view, get_for_cpts, has_role
from tocsin.core.enums import Role
from tocsin.core.errors import DomainError
from tocsin.territory import services
from tocsin.territory.forms import AddCommunesForm
from tocsin.territory.models import TerritoryCommune
from tocsin.territory.selectors import territory_summary


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
