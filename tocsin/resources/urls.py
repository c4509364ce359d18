"""Routes of the resource inventory: the same six routes for each kind, under a French word."""

from django.urls import path

from tocsin.resources import views

app_name = "resources"


def kind_routes(prefix: str, kind: str, new: str) -> list:
    """List, create, detail, edit, delete and check routes of one kind of resource."""
    extra = {"kind": kind}
    return [
        path(f"{prefix}/", views.resource_list, extra, name=f"{kind}_list"),
        path(f"{prefix}/{new}/", views.resource_edit, extra, name=f"{kind}_create"),
        path(f"{prefix}/<int:pk>/", views.resource_detail, extra, name=f"{kind}_detail"),
        path(f"{prefix}/<int:pk>/modifier/", views.resource_edit, extra, name=f"{kind}_edit"),
        path(f"{prefix}/<int:pk>/supprimer/", views.resource_delete, extra, name=f"{kind}_delete"),
        path(f"{prefix}/<int:pk>/verifier/", views.resource_check, extra, name=f"{kind}_check"),
    ]


urlpatterns = [
    path("", views.overview, name="overview"),
    *kind_routes("locaux", "premises", "nouveau"),
    *kind_routes("materiel", "equipment", "nouveau"),
    *kind_routes("stocks", "stock", "nouveau"),
    *kind_routes("benevoles", "human", "nouveau"),
    *kind_routes("capacites", "capacity", "nouvelle"),
]
