import pytest

from tests.factories import MembershipFactory
from tests.standin import start_stand_in
from tocsin.core.enums import Role


@pytest.fixture
def stand_in():
    """A local HTTP server on 127.0.0.1 (random port) standing in for MeteoAlarm/Météo-France."""
    server, stop = start_stand_in()
    yield server
    stop()


@pytest.fixture
def deputy(personas):
    """The suppléant of the référent SSE, in the personas' CPTS."""
    return MembershipFactory(cpts=personas.cpts, role=Role.REFERENT, is_deputy=True).user
