from django.urls import path

from tocsin.directory import export_views, views

app_name = "directory"
urlpatterns = [
    path("", views.contact_list, name="contact_list"),
    path("contacts/nouveau/", views.contact_edit, name="contact_create"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/modifier/", views.contact_edit, name="contact_edit"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/nouvelle/", views.organisation_edit, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/modifier/", views.organisation_edit, name="organisation_edit"),
    path("groupes/", views.group_list, name="group_list"),
    path("groupes/nouveau/", views.group_edit, name="group_create"),
    path("groupes/<int:pk>/", views.group_detail, name="group_detail"),
    path("groupes/<int:pk>/modifier/", views.group_edit, name="group_edit"),
    path(
        "contacts/<int:pk>/supprimer/",
        views.entry_delete,
        {"kind": "contact"},
        name="contact_delete",
    ),
    path(
        "organisations/<int:pk>/supprimer/",
        views.entry_delete,
        {"kind": "organisation"},
        name="organisation_delete",
    ),
    path("verifications/", views.details_review_list, name="details_review_list"),
    path("verifications/envoyer/", views.details_send, name="details_send"),
    path("verifications/<int:pk>/relire/", views.details_review, name="details_review"),
    path("mes-coordonnees/<str:token>/", views.details_answer, name="details_answer"),
    path("export/annuaire.csv", export_views.export_csv, name="export_csv"),
    path("export/annuaire.xlsx", export_views.export_xlsx, name="export_xlsx"),
    path("export/annuaire.vcf", export_views.export_vcard, name="export_vcard"),
    path("export/annuaire.pdf", export_views.export_pdf, name="export_pdf"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/appliquer/", views.import_apply, name="import_apply"),
    path("groupes/<int:pk>/supprimer/", views.entry_delete, {"kind": "group"}, name="group_delete"),
]
