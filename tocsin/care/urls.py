from django.urls import path

from tocsin.care import views

app_name = "care"
urlpatterns = [
    path("", views.patient_list, name="list"),
    path("nouveau/", views.patient_new, name="new"),
    path("importer/", views.patient_import, name="import"),
    path("importer/confirmer/", views.patient_import_confirm, name="import_confirm"),
    path("mes-patients.pdf", views.patients_pdf, name="list_pdf"),
    path("<int:pk>/", views.patient_detail, name="detail"),
    path("<int:pk>/modifier/", views.patient_edit, name="edit"),
    path("<int:pk>/verifier/", views.patient_verify, name="verify"),
    path("<int:pk>/supprimer/", views.patient_delete, name="delete"),
    path("crises/<int:crisis>/", views.crisis_patients, name="crisis_patients"),
    path("crises/<int:crisis>/motif/", views.crisis_reason, name="crisis_reason"),
    path("crises/<int:crisis>/patients.pdf", views.crisis_patients_pdf, name="crisis_pdf"),
    path("crises/<int:crisis>/carte/", views.crisis_map, name="crisis_map"),
    path("crises/<int:crisis>/carte.geojson", views.crisis_layer, name="crisis_layer"),
    path("crises/<int:crisis>/appels/", views.campaign_new, name="campaign_new"),
    path("appels/<int:pk>/", views.campaign_detail, name="campaign"),
    path("appels/<int:pk>/clore/", views.campaign_close, name="campaign_close"),
    path("appels/<int:pk>/confier/", views.campaign_reassign, name="campaign_reassign"),
    path("appels/<int:pk>/mes-appels/", views.my_calls, name="my_calls"),
    path("appels/<int:pk>/mes-appels/<int:call>/", views.call_record, name="call_record"),
    path("journal/", views.access_log, name="access_log"),
    path("effacement/", views.erasure, name="erasure"),
]
