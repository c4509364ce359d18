from django.urls import path

from tocsin.alerts import information_views, views, webhooks

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
    # Informations: the members' archive, then the pages that prepare and follow them.
    path("informations/", information_views.archive, name="archive"),
    path("informations/<int:pk>/", information_views.archive_detail, name="archive_detail"),
    path("informations/gestion/", information_views.information_list, name="info_list"),
    path("informations/gestion/nouvelle/", information_views.information_new, name="info_new"),
    path(
        "informations/gestion/<int:pk>/",
        information_views.information_followup,
        name="info_followup",
    ),
    path(
        "informations/gestion/<int:pk>/modifier/",
        information_views.information_edit,
        name="info_edit",
    ),
    path(
        "informations/gestion/<int:pk>/supprimer/",
        information_views.information_delete,
        name="info_delete",
    ),
    path(
        "informations/gestion/<int:pk>/envoyer/",
        information_views.information_send,
        name="info_send",
    ),
    path("fournisseurs/<slug:provider>/<str:token>/remises/", webhooks.receipts, name="receipts"),
    path("fournisseurs/<slug:provider>/<str:token>/reponses/", webhooks.inbound, name="inbound"),
]
