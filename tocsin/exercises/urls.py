from django.urls import path

from tocsin.exercises import views

app_name = "exercises"
urlpatterns = [
    path("", views.scenario_list, name="list"),
    path("bibliotheque/", views.starter_copy, name="starter_copy"),
    path("scenarios/nouveau/", views.scenario_new, name="scenario_new"),
    path("scenarios/<int:pk>/", views.scenario_detail, name="scenario_detail"),
    path("scenarios/<int:pk>/modifier/", views.scenario_edit, name="scenario_edit"),
    path("scenarios/<int:pk>/injects/", views.inject_add, name="inject_add"),
    path("scenarios/<int:pk>/injects/<int:inject>/", views.inject_edit, name="inject_edit"),
    path(
        "scenarios/<int:pk>/injects/<int:inject>/retirer/",
        views.inject_delete,
        name="inject_delete",
    ),  # fmt: skip
    path("scenarios/<int:pk>/lancer/", views.start, name="start"),
    path("<int:pk>/", views.console, name="console"),
    path("<int:pk>/injects/<int:inject>/declencher/", views.fire, name="fire"),
    path("<int:pk>/observations/", views.observe, name="observe"),
]
