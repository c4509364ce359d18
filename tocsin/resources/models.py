"""The resource inventory (recensement) of the territory: premises, equipment, stocks,
volunteers and the capacities of establishments, each with its state and last check.

Where a resource sits: premises have their own commune and coordinates; equipment and stocks
have their own when given, else those of their owner organisation; capacities are at their
establishment; volunteers at the commune where they practise (and on the map at their owner
organisation, when they have one).
"""

from datetime import timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import ExpressionWrapper, F, Q
from django.urls import reverse
from django.utils import timezone

from tocsin.core.models import Cpts
from tocsin.directory.models import Contact, Organisation
from tocsin.resources.enums import EquipmentKind, MissionKind, PremisesKind, ResourceStatus
from tocsin.territory.models import Commune

STALE_AFTER_DAYS = 365
EXPIRY_WARNING_DAYS = 60


def stale_condition(today) -> Q:
    """Never checked, or last checked more than 12 months before `today`."""
    limit = today - timedelta(days=STALE_AFTER_DAYS)
    return Q(checked_on__isnull=True) | Q(checked_on__lt=limit)


def expiring_condition(today) -> Q:
    """Expired, or expiring within 60 days of `today`."""
    limit = today + timedelta(days=EXPIRY_WARNING_DAYS)
    return Q(expiry_date__isnull=False, expiry_date__lte=limit)


def expired_condition(today) -> Q:
    return Q(expiry_date__isnull=False, expiry_date__lt=today)


def _flag(condition) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=models.BooleanField())


class ResourceQuerySet(models.QuerySet):
    def for_cpts(self, cpts):
        return self.filter(cpts=cpts)

    def stale(self, today=None):
        return self.filter(stale_condition(today or timezone.localdate()))

    def flagged(self, today=None):
        """Whatever the lists and the overview point out: here, stale checks."""
        return self.stale(today)

    def with_flags(self, today=None):
        """Annotate `is_stale`, computed in SQL by the same rule as `stale()`."""
        return self.annotate(is_stale=_flag(stale_condition(today or timezone.localdate())))

    def in_commune(self, insee_code: str):
        return self.filter(self.model.commune_condition(insee_code))


class StockQuerySet(ResourceQuerySet):
    def expiring(self, today=None):
        return self.filter(expiring_condition(today or timezone.localdate()))

    def flagged(self, today=None):
        today = today or timezone.localdate()
        return self.filter(stale_condition(today) | expiring_condition(today))

    def with_flags(self, today=None):
        today = today or timezone.localdate()
        return (
            super()
            .with_flags(today)
            .annotate(
                is_expiring=_flag(expiring_condition(today)),
                is_expired=_flag(expired_condition(today)),
            )
        )


class Resource(models.Model):
    """What every inventoried resource carries: tenant, owner, contact, state, last check."""

    resource_kind = ""  # the word of URL names and audit codes, set by each model

    cpts = models.ForeignKey(Cpts, models.CASCADE, related_name="+")
    owner = models.ForeignKey(
        Organisation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="organisation propriétaire",
    )
    contact = models.ForeignKey(
        Contact, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="contact"
    )
    status = models.CharField(
        "état", max_length=20, choices=ResourceStatus, default=ResourceStatus.AVAILABLE
    )
    checked_on = models.DateField("vérifiée le", null=True, blank=True)
    notes = models.TextField("remarques", blank=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        return reverse(f"resources:{self.resource_kind}_detail", kwargs={"pk": self.pk})

    @classmethod
    def commune_condition(cls, insee_code: str) -> Q:
        return Q(commune__insee_code=insee_code)

    @property
    def place_commune(self):
        """The commune shown in lists and on the map (select_related keeps it query-free)."""
        return self.commune

    @property
    def point(self) -> tuple[float, float] | None:
        """(longitude, latitude) as GeoJSON orders them, or None when the place is unknown."""
        return _point(self.owner) if self.owner_id else None


class Located(models.Model):
    """Coordinates (WGS84) of a resource that has its own place."""

    latitude = models.FloatField(
        "latitude",
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        "longitude",
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    class Meta:
        abstract = True


def _point(place) -> tuple[float, float] | None:
    if place.latitude is None or place.longitude is None:
        return None
    return (place.longitude, place.latitude)


def coordinate_constraints(prefix: str) -> list:
    both_or_neither = Q(latitude__isnull=True, longitude__isnull=True) | Q(
        latitude__isnull=False, longitude__isnull=False
    )
    in_range = Q(latitude__isnull=True) | Q(
        latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180
    )
    return [
        models.CheckConstraint(
            condition=both_or_neither,
            name=f"{prefix}_coordinates_together",
            violation_error_message="Indiquez la latitude et la longitude, ou aucune des deux.",
        ),
        models.CheckConstraint(
            condition=in_range,
            name=f"{prefix}_coordinates_in_range",
            violation_error_message=(
                "La latitude va de -90 à 90 et la longitude de -180 à 180 degrés."
            ),
        ),
    ]


def not_negative(prefix: str, field: str, message: str) -> models.CheckConstraint:
    condition = Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0})
    return models.CheckConstraint(
        condition=condition, name=f"{prefix}_{field}_not_negative", violation_error_message=message
    )


QUANTITY_MESSAGE = "La quantité ne peut pas être négative."


class Premises(Located, Resource):
    """A place usable in a crisis: vaccination or reception centre, shelter, storage."""

    resource_kind = "premises"

    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=30, choices=PremisesKind)
    address = models.TextField("adresse", blank=True)
    commune = models.ForeignKey(Commune, models.PROTECT, related_name="+", verbose_name="commune")
    capacity = models.PositiveIntegerField("capacité (personnes)", null=True, blank=True)
    access_notes = models.TextField(
        "accès", blank=True, help_text="Accès PMR, stationnement, code du portail…"
    )
    has_power_supply = models.BooleanField("alimentation électrique", default=False)
    power_notes = models.TextField(
        "précisions sur l'électricité",
        blank=True,
        help_text="Puissance, prises, branchement d'un groupe électrogène…",
    )
    keys_holder = models.ForeignKey(
        Contact,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="détenteur des clés",
    )

    class Meta:
        verbose_name = "local"
        verbose_name_plural = "locaux"
        ordering = ["name"]
        constraints = [
            *coordinate_constraints("premises"),
            not_negative("premises", "capacity", "La capacité ne peut pas être négative."),
        ]

    def __str__(self):
        return self.name

    @property
    def point(self):
        return _point(self)


class OwnedPlaceResource(Located, Resource):
    """Equipment and stocks: their own place when given, else their owner's."""

    commune = models.ForeignKey(
        Commune, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="commune"
    )

    class Meta:
        abstract = True

    @classmethod
    def commune_condition(cls, insee_code: str) -> Q:
        return Q(commune__insee_code=insee_code) | Q(
            commune__isnull=True, owner__commune__insee_code=insee_code
        )

    @property
    def place_commune(self):
        if self.commune_id:
            return self.commune
        return self.owner.commune if self.owner_id else None

    @property
    def point(self):
        own = _point(self)
        if own is None and self.owner_id:
            return _point(self.owner)
        return own


class Equipment(OwnedPlaceResource):
    """Equipment that can be lent in a crisis: generators, vaccine fridges, tents…"""

    resource_kind = "equipment"

    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=30, choices=EquipmentKind)
    quantity = models.PositiveIntegerField("quantité", default=1)

    class Meta:
        verbose_name = "matériel"
        verbose_name_plural = "matériel"
        ordering = ["name"]
        constraints = [
            *coordinate_constraints("equipment"),
            not_negative("equipment", "quantity", QUANTITY_MESSAGE),
        ]

    def __str__(self):
        return self.name


class Stock(OwnedPlaceResource):
    """A stock of consumables (masks, PPE, vaccination supplies), with its expiry date."""

    resource_kind = "stock"

    name = models.CharField("article", max_length=200)
    quantity = models.PositiveIntegerField("quantité")
    unit = models.CharField(
        "unité", max_length=50, blank=True, help_text="Par exemple : boîtes de 50, unités."
    )
    expiry_date = models.DateField("date de péremption", null=True, blank=True)

    objects = StockQuerySet.as_manager()

    class Meta:
        verbose_name = "stock"
        ordering = [F("expiry_date").asc(nulls_last=True), "name"]
        constraints = [
            *coordinate_constraints("stock"),
            not_negative("stock", "quantity", QUANTITY_MESSAGE),
        ]

    def __str__(self):
        return self.name


class HumanResource(Resource):
    """A professional of the directory who volunteers for crisis missions."""

    resource_kind = "human"

    contact = models.ForeignKey(
        Contact, models.PROTECT, related_name="+", verbose_name="professionnel"
    )
    skills = models.TextField("compétences", blank=True, help_text="Une compétence par ligne.")
    availability = models.CharField(
        "disponibilités", max_length=200, blank=True, help_text="Par exemple : week-ends, soirs."
    )
    available_from = models.DateField("disponible à partir du", null=True, blank=True)
    available_until = models.DateField("disponible jusqu'au", null=True, blank=True)
    missions = models.JSONField("missions", default=list, blank=True)

    class Meta:
        verbose_name = "bénévole"
        ordering = ["contact__last_name", "contact__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact"],
                name="humanresource_unique_contact",
                violation_error_message="Ce professionnel est déjà recensé comme bénévole.",
            ),
            models.CheckConstraint(
                condition=Q(available_from__isnull=True)
                | Q(available_until__isnull=True)
                | Q(available_until__gte=F("available_from")),
                name="humanresource_availability_ordered",
                violation_error_message=(
                    "La fin de la disponibilité ne peut pas précéder son début."
                ),
            ),
        ]

    def __str__(self):
        return self.contact.full_name

    @classmethod
    def commune_condition(cls, insee_code: str) -> Q:
        return Q(contact__commune__insee_code=insee_code)

    @property
    def place_commune(self):
        return self.contact.commune

    @property
    def skill_list(self) -> list[str]:
        return [s.strip() for s in self.skills.splitlines() if s.strip()]

    @property
    def mission_labels(self) -> list[str]:
        labels = dict(MissionKind.choices)
        return [labels[m] for m in self.missions if m in labels]


class Capacity(Resource):
    """What an establishment can offer: beds, temporary accommodation places, consultations."""

    resource_kind = "capacity"

    owner = models.ForeignKey(
        Organisation, models.PROTECT, related_name="+", verbose_name="établissement"
    )
    label = models.CharField("libellé", max_length=200, help_text="Par exemple : lits de médecine.")
    quantity = models.PositiveIntegerField("quantité")
    unit = models.CharField("unité", max_length=50, blank=True, help_text="Lits, places…")
    opening_hours = models.TextField("horaires d'ouverture", blank=True)

    class Meta:
        verbose_name = "capacité"
        ordering = ["owner__name", "label"]
        constraints = [not_negative("capacity", "quantity", QUANTITY_MESSAGE)]

    def __str__(self):
        return f"{self.label} — {self.owner.name}"

    @classmethod
    def commune_condition(cls, insee_code: str) -> Q:
        return Q(owner__commune__insee_code=insee_code)

    @property
    def place_commune(self):
        return self.owner.commune


RESOURCE_MODELS = (Premises, Equipment, Stock, HumanResource, Capacity)
