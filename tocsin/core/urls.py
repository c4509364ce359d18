from django.urls import path

from tocsin.core import views

app_name = "core"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("sante/", views.health, name="health"),
    path("connexion/", views.login_view, name="login"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("mot-de-passe/oubli/", views.password_reset, name="password_reset"),
    path("mot-de-passe/oubli/envoye/", views.password_reset_done, name="password_reset_done"),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        views.password_reset_complete,
        name="password_reset_complete",
    ),
    path("compte/", views.account, name="account"),
    path("compte/mot-de-passe/", views.password_change, name="password_change"),
    path("compte/double-authentification/", views.two_factor_setup, name="two_factor_setup"),
    path("compte/verification/", views.two_factor_verify, name="two_factor_verify"),
    path("compte/codes-de-secours/", views.recovery_codes, name="recovery_codes"),
    path("cpts/changer/", views.switch_cpts, name="switch_cpts"),
    path("membres/", views.member_list, name="member_list"),
    path("membres/ajouter/", views.member_add, name="member_add"),
    path("membres/<int:pk>/", views.member_edit, name="member_edit"),
    path("journal/", views.audit_list, name="audit_list"),
]
