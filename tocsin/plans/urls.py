from django.urls import path

from tocsin.plans import document_views, views

app_name = "plans"
urlpatterns = [
    path("", views.plan_home, name="home"),
    path("en-vigueur/", views.member_plan, name="member_plan"),
    path("nouvelle-version/", views.version_start, name="version_start"),
    path("comparer/", views.version_diff, name="version_diff"),
    path("classeur-de-crise.pdf", document_views.crisis_kit, name="crisis_kit"),
    path("transmis/", views.authority_list, name="authority_list"),
    path("transmis/<int:pk>/plan.pdf", document_views.authority_pdf, name="authority_pdf"),
    path(
        "transmis/<int:pk>/accuser-reception/",
        views.authority_acknowledge,
        name="authority_acknowledge",
    ),
    path("v<int:number>/", views.version_detail, name="version_detail"),
    path("v<int:number>/plan.pdf", document_views.version_pdf, name="version_pdf"),
    path("v<int:number>/plan.docx", document_views.version_docx, name="version_docx"),
    path("v<int:number>/organisation/", views.organisation_edit, name="organisation_edit"),
    path("v<int:number>/cellule/", views.cell_edit, name="cell_edit"),
    path("v<int:number>/resume/", views.summary_edit, name="summary_edit"),
    path("v<int:number>/sections/<str:key>/", views.section_edit, name="section_edit"),
    path("v<int:number>/fiches/", views.fiche_list, name="fiche_list"),
    path("v<int:number>/fiches/nouvelle/", views.fiche_edit, name="fiche_create"),
    path("v<int:number>/fiches/<int:pk>/", views.fiche_edit, name="fiche_edit"),
    path("v<int:number>/fiches/<int:pk>/supprimer/", views.fiche_delete, name="fiche_delete"),
    path(
        "v<int:number>/fiches/modeles/",
        views.fiches_add_missing,
        name="fiches_add_missing",
    ),
    path("v<int:number>/soumettre/", views.version_submit, name="version_submit"),
    path("v<int:number>/reprendre/", views.version_reopen, name="version_reopen"),
    path("v<int:number>/valider/", views.version_validate, name="version_validate"),
    path("v<int:number>/transmettre/", views.version_transmit, name="version_transmit"),
]
