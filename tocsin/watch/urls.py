from django.urls import path

from tocsin.watch import views

app_name = "watch"
urlpatterns = [
    path("", views.signal_list, name="log"),
    path("signaux/nouveau/", views.signal_create, name="signal_create"),
    path("signaux/<int:pk>/", views.signal_detail, name="signal_detail"),
    path(
        "signaux/<int:signal_pk>/pieces-jointes/<int:pk>/",
        views.attachment,
        name="attachment",
    ),
    path("import-cap/", views.cap_import, name="cap_import"),
    path("flux/", views.feed_list, name="feed_list"),
    path("flux/nouveau/", views.feed_edit, name="feed_create"),
    path("flux/<int:pk>/", views.feed_edit, name="feed_edit"),
    path("flux/<int:pk>/supprimer/", views.feed_delete, name="feed_delete"),
    path("flux/<int:pk>/lire/", views.feed_poll, name="feed_poll"),
]
