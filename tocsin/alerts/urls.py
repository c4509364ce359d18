from django.urls import path

from tocsin.alerts import webhooks

app_name = "alerts"
urlpatterns = [
    path("fournisseurs/<slug:provider>/<str:token>/remises/", webhooks.receipts, name="receipts"),
    path("fournisseurs/<slug:provider>/<str:token>/reponses/", webhooks.inbound, name="inbound"),
]
