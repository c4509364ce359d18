from django.urls import path

from tocsin.territory import views

app_name = "territory"
urlpatterns = [
    path("", views.commune_list, name="commune_list"),
    path("<int:pk>/retirer/", views.commune_remove, name="commune_remove"),
    path("risques/", views.risk_list, name="risk_list"),
    path("risques/nouveau/", views.risk_edit, name="risk_create"),
    path("risques/<int:pk>/", views.risk_detail, name="risk_detail"),
    path("risques/<int:pk>/modifier/", views.risk_edit, name="risk_edit"),
    path("risques/<int:pk>/supprimer/", views.risk_delete, name="risk_delete"),
    path("risques/import-gaspar/", views.gaspar_import, name="gaspar_import"),
    path("risques/risques-sanitaires/", views.health_risks_add, name="health_risks_add"),
    path("risques/analyse/", views.risk_matrix, name="risk_matrix"),
]
