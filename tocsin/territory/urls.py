from django.urls import path

from tocsin.territory import views

app_name = "territory"
urlpatterns = [
    path("", views.commune_list, name="commune_list"),
    path("<int:pk>/retirer/", views.commune_remove, name="commune_remove"),
]
