"""Operations on the inventory, without HTTP: each one leaves a readable audit entry."""

from datetime import date

from django.utils import timezone

from tests.resources.factories import HumanResourceFactory, PremisesFactory, StockFactory
from tocsin.core.models import AuditEntry
from tocsin.resources import services
from tocsin.resources.forms import StockForm
from tocsin.resources.models import Stock


def stock_form(cpts, instance=None, **data):
    values = {"name": "Masques FFP2", "quantity": "500", "unit": "unités", "status": "available"}
    return StockForm({**values, **data}, instance=instance, cpts=cpts)


def test_creating_a_stock_is_audited(personas):
    form = stock_form(personas.cpts)
    assert form.is_valid(), form.errors
    stock = services.save_resource(personas.coordinator, form)
    entry = AuditEntry.objects.get(code="resources.stock.created")
    assert stock.cpts == personas.cpts
    assert entry.cpts == personas.cpts
    assert entry.sentence.endswith("a recensé le stock Masques FFP2")


def test_updating_a_stock_records_the_changed_fields(personas):
    stock = StockFactory(cpts=personas.cpts, name="Masques FFP2", quantity=500, unit="unités")
    form = stock_form(personas.cpts, instance=stock, quantity="120", checked_on="")
    assert form.is_valid(), form.errors
    services.save_resource(personas.referent, form)
    entry = AuditEntry.objects.get(code="resources.stock.updated")
    assert "quantity" in entry.data["fields"]
    assert Stock.objects.get(pk=stock.pk).quantity == 120


def test_deleting_a_volunteer_is_audited_with_their_name(personas):
    volunteer = HumanResourceFactory(cpts=personas.cpts, contact__last_name="Le Guen")
    services.delete_resource(personas.coordinator, volunteer)
    entry = AuditEntry.objects.get(code="resources.human.deleted")
    assert entry.sentence.endswith("a retiré Camille Le Guen des bénévoles")
    assert not type(volunteer).objects.filter(pk=volunteer.pk).exists()


def test_marking_checked_dates_it_today_once(personas):
    premises = PremisesFactory(cpts=personas.cpts, name="Gymnase du Val", checked_on=None)
    services.mark_checked(personas.referent, premises)
    services.mark_checked(personas.referent, premises)  # a double click
    premises.refresh_from_db()
    assert premises.checked_on == timezone.localdate()
    entries = AuditEntry.objects.filter(code="resources.premises.checked")
    assert entries.count() == 1
    assert entries.get().sentence.endswith("a vérifié le local Gymnase du Val")


def test_marking_checked_moves_an_old_date(personas):
    premises = PremisesFactory(cpts=personas.cpts, checked_on=date(2020, 1, 1))
    services.mark_checked(personas.referent, premises, today=date(2026, 3, 15))
    premises.refresh_from_db()
    assert premises.checked_on == date(2026, 3, 15)
