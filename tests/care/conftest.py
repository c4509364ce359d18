"""The register's pages ask everyone for the second factor: its tests log in with it passed."""

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from tests.factories import confirmed_totp


@pytest.fixture
def client_for(db):
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = confirmed_totp(user).persistent_id
        session.save()
        return client

    return make
