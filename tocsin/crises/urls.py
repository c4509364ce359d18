from django.urls import path

from tocsin.crises import document_views, views

app_name = "crises"
urlpatterns = [
    path("", views.crisis_list, name="list"),
    path("activer/", views.activate, name="activate"),
    path("recus/", views.authority_reports, name="authority_reports"),
    path(
        "recus/<int:pk>/point.pdf", document_views.authority_report_pdf, name="authority_report_pdf"
    ),
    path("<int:pk>/", views.dashboard, name="dashboard"),
    path("<int:pk>/phase/", views.phase, name="phase"),
    path("<int:pk>/lever/", views.close, name="close"),
    path("<int:pk>/bilan/", views.evidence, name="evidence"),
    path("<int:pk>/bilan.csv", document_views.evidence_csv, name="evidence_csv"),
    path("<int:pk>/bilan.pdf", document_views.evidence_pdf, name="evidence_pdf"),
    path("<int:pk>/cellule/", views.cell, name="cell"),
    path("<int:pk>/cellule/ajouter/", views.cell_add, name="cell_add"),
    path("<int:pk>/cellule/<int:seat>/arrivee/", views.seat_join, name="seat_join"),
    path("<int:pk>/cellule/<int:seat>/depart/", views.seat_leave, name="seat_leave"),
    path("<int:pk>/main-courante/", views.log, name="log"),
    path("<int:pk>/main-courante/verifier/", views.log_verify, name="log_verify"),
    path("<int:pk>/main-courante.csv", document_views.log_csv, name="log_csv"),
    path("<int:pk>/main-courante.pdf", document_views.log_pdf, name="log_pdf"),
    path("<int:pk>/taches/", views.tasks, name="tasks"),
    path("<int:pk>/taches/<int:task>/", views.task_edit, name="task_edit"),
    path("<int:pk>/taches/<int:task>/etat/", views.task_status, name="task_status"),
    path("<int:pk>/points/", views.reports_list, name="reports"),
    path("<int:pk>/points/nouveau/", views.report_prepare, name="report_prepare"),
    path("<int:pk>/points/<int:number>/", views.report_detail, name="report_detail"),
    path("<int:pk>/points/<int:number>/valider/", views.report_validate, name="report_validate"),
    path("<int:pk>/points/<int:number>/envoyer/", views.report_send, name="report_send"),
    path("<int:pk>/points/<int:number>/point.pdf", document_views.report_pdf, name="report_pdf"),
]
