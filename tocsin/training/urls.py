from django.urls import path

from tocsin.training import indicator_views, registration_views, views

app_name = "training"
urlpatterns = [
    path("", views.home, name="home"),
    path("indicateurs/", indicator_views.indicators, name="indicators"),
    path("indicateurs.csv", indicator_views.indicators_csv, name="indicators_csv"),
    path("indicateurs.pdf", indicator_views.indicators_pdf, name="indicators_pdf"),
    path("nouvelle/", views.training_new, name="training_new"),
    path("<int:pk>/", views.training_detail, name="training_detail"),
    path("<int:pk>/modifier/", views.training_edit, name="training_edit"),
    path("<int:pk>/sessions/nouvelle/", views.session_new, name="session_new"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/modifier/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/inviter/", views.session_invite, name="session_invite"),
    path("sessions/<int:pk>/presences/", views.attendance_save, name="attendance_save"),
    path("sessions/<int:pk>/presences/ajouter/", views.attendance_add, name="attendance_add"),
    path(
        "sessions/<int:pk>/attestations/<int:registration>.pdf",
        views.certificate_pdf,
        name="certificate_pdf",
    ),
    path("suivi/", views.records, name="records"),
    path("suivi.csv", views.records_csv, name="records_csv"),
    # No account: the personal link of each invitation, its .ics and the certificate.
    path("inscription/<str:token>/", registration_views.register, name="register"),
    path(
        "inscription/<str:token>/agenda.ics", registration_views.register_ics, name="register_ics"
    ),
    path(
        "inscription/<str:token>/attestation.pdf",
        registration_views.register_certificate,
        name="register_certificate",
    ),
]
