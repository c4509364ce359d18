"""Root URLs: one include per app. There is no Django admin: operators use manage.py commands."""

from django.urls import include, path

from tocsin.alerts import answer_views, provider_mail
from tocsin.surveys import answer_views as survey_answer_views

urlpatterns = [
    path("", include("tocsin.core.urls")),
    path("territoire/", include("tocsin.territory.urls")),
    path("annuaire/", include("tocsin.directory.urls")),
    path("ressources/", include("tocsin.resources.urls")),
    path("carte/", include("tocsin.maps.urls")),
    path("plan/", include("tocsin.plans.urls")),
    path("veille/", include("tocsin.watch.urls")),
    path("crises/", include("tocsin.crises.urls")),
    path("alertes/", include("tocsin.alerts.urls")),
    path("questionnaires/", include("tocsin.surveys.urls")),
    path("retex/", include("tocsin.retex.urls")),
    path("formations/", include("tocsin.training.urls")),
    path("exercices/", include("tocsin.exercises.urls")),
    path("soins/", include("tocsin.care.urls")),
    path("alertes/anymail/", include((provider_mail.urlpatterns, "anymail"))),
    # Short, because it travels in SMS: the answer page of an alert's signed link.
    path("r/<str:token>/", answer_views.answer, name="alert_answer"),
    # A questionnaire's answer page: the open link, then each invitation's personal link.
    path("q/ouvert/<str:token>/", survey_answer_views.answer_open, name="survey_open"),
    path("q/<str:token>/", survey_answer_views.answer, name="survey_answer"),
]
