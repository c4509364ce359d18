from django.urls import path

from tocsin.maps import views

app_name = "maps"
urlpatterns = [
    path("", views.map_page, name="map"),
    path("couches/communes.geojson", views.communes_layer, name="communes"),
    path("couches/risques.geojson", views.risks_layer, name="risks"),
    path("couches/organisations.geojson", views.organisations_layer, name="organisations"),
    path("couches/ressources.geojson", views.resources_layer, name="resources"),
]
