from django.urls import path

from tocsin.retex import views

app_name = "retex"
urlpatterns = [
    path("", views.review_list, name="list"),
    path("ouvrir/<int:crisis>/", views.start, name="start"),
    path("transmis/", views.authority_list, name="authority_list"),
    path("transmis/<int:pk>/rapport.pdf", views.authority_pdf, name="authority_pdf"),
    path("transmis/<int:pk>/accuse/", views.authority_acknowledge, name="authority_acknowledge"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/questionnaire/", views.survey_prepare, name="survey_prepare"),
    path("<int:pk>/constats/", views.finding_add, name="finding_add"),
    path("<int:pk>/constats/<int:finding>/retirer/", views.finding_delete, name="finding_delete"),
    path("<int:pk>/actions/", views.action_add, name="action_add"),
    path("<int:pk>/actions/<int:action>/", views.action_edit, name="action_edit"),
    path("<int:pk>/actions/<int:action>/etat/", views.action_status, name="action_status"),
    path("<int:pk>/valider/", views.validate, name="validate"),
    path("<int:pk>/rapport.pdf", views.report_pdf, name="report_pdf"),
    path("<int:pk>/transmettre/", views.transmit, name="transmit"),
    path("<int:pk>/plan/", views.plan_update, name="plan_update"),
]
