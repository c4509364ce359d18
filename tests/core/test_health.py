"""The health check that load balancers and monitoring poll."""

from django.test import Client
from django.urls import reverse


def test_health_answers_ok_without_login_and_without_the_database(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        response = Client().get(reverse("core:health"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"ok"


def test_health_answers_before_the_second_factor(personas):
    client = Client()
    client.force_login(personas.referent)  # a crisis role, TOTP not yet passed
    response = client.get(reverse("core:health"))
    assert response.status_code == 200 and response.content == b"ok"
