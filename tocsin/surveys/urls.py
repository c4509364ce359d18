from django.urls import path

from tocsin.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("nouveau/", views.survey_new, name="new"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/reglages/", views.survey_edit, name="edit"),
    path("<int:pk>/supprimer/", views.survey_delete, name="delete"),
    path("<int:pk>/parties/ajouter/", views.section_add, name="section_add"),
    path("<int:pk>/parties/<int:section>/renommer/", views.section_rename, name="section_rename"),
    path("<int:pk>/parties/<int:section>/supprimer/", views.section_delete, name="section_delete"),
    path("<int:pk>/questions/ajouter/", views.question_add, name="question_add"),
    path("<int:pk>/questions/<int:question>/", views.question_edit, name="question_edit"),
    path(
        "<int:pk>/questions/<int:question>/supprimer/",
        views.question_delete,
        name="question_delete",
    ),
    path("<int:pk>/questions/<int:question>/deplacer/", views.question_move, name="question_move"),
    path("<int:pk>/personnes/", views.survey_audience, name="audience"),
    path("<int:pk>/ouvrir/", views.survey_open, name="open"),
    path("<int:pk>/relancer/", views.survey_remind, name="remind"),
    path("<int:pk>/clore/", views.survey_close, name="close"),
    path("<int:pk>/resultats/", views.results, name="results"),
    path("<int:pk>/reponses.csv", views.results_csv, name="results_csv"),
    path("<int:pk>/reponses.xlsx", views.results_xlsx, name="results_xlsx"),
]
