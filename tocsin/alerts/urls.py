from django.urls import path

from tocsin.alerts import views, webhooks

app_name = "alerts"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("nouvelle/", views.campaign_new, name="new"),
    path("apercu/", views.preview, name="preview"),
    path("<int:pk>/", views.rollcall, name="rollcall"),
    path("<int:pk>/modifier/", views.campaign_edit, name="edit"),
    path("<int:pk>/supprimer/", views.campaign_delete, name="delete"),
    path("<int:pk>/envoyer/", views.send, name="send"),
    path("<int:pk>/relancer/", views.remind, name="remind"),
    path("<int:pk>/cloturer/", views.close, name="close"),
    path("<int:pk>/appel.csv", views.rollcall_csv, name="rollcall_csv"),
    path("fournisseurs/<slug:provider>/<str:token>/remises/", webhooks.receipts, name="receipts"),
    path("fournisseurs/<slug:provider>/<str:token>/reponses/", webhooks.inbound, name="inbound"),
]
