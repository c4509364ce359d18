"""The people a questionnaire asks in these tests: a group of four from the directory."""

import pytest

from tests.factories import ContactFactory, GroupFactory, OrganisationFactory


@pytest.fixture
def asked(personas):
    """A mayor's secretary, a nurse, a volunteer without profession, one without e-mail."""
    cpts = personas.cpts
    mairie = OrganisationFactory(cpts=cpts, kind="mairie", name="Mairie de Pornic")
    secretary = ContactFactory(cpts=cpts, last_name="Mairie", profession_label="",
                               email="secretariat@pornic.test")  # fmt: skip
    secretary.organisations.add(mairie)
    nurse = ContactFactory(cpts=cpts, last_name="Infirmière", email="infirmiere@exemple.test")
    other = ContactFactory(cpts=cpts, last_name="Bénévole", profession_label="",
                           email="benevole@exemple.test")  # fmt: skip
    silent = ContactFactory(cpts=cpts, last_name="Sansmail", email="")
    group = GroupFactory(cpts=cpts, name="RETEX canicule")
    group.members.add(secretary, nurse, other, silent)
    return group
