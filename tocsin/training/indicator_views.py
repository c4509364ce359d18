"""The yearly indicators page and its exports (CSV, PDF): what the CPTS reports on training,
awareness and exercises. Exports are audited."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from tocsin.core.access import CRISIS_ROLES, cpts_view
from tocsin.core.audit import log_action
from tocsin.core.downloads import CSV, PDF, attachment
from tocsin.core.spreadsheets import french_csv
from tocsin.plans.documents import pdf_document
from tocsin.training.indicators import yearly_indicators

FIRST_YEAR = 2022  # avenant 2 of the ACI CPTS made crisis management a mission


def _year(request) -> int:
    this_year = timezone.localdate().year
    asked = request.GET.get("annee", "")
    year = int(asked) if asked.isdigit() else this_year
    return year if FIRST_YEAR <= year <= this_year else this_year


def _context(request):
    year = _year(request)
    years = range(timezone.localdate().year, FIRST_YEAR - 1, -1)
    return {"figures": yearly_indicators(request.cpts, year), "year": year, "years": years,
            "cpts": request.cpts, "generated_at": timezone.now()}  # fmt: skip


@cpts_view(*CRISIS_ROLES)
@require_GET
def indicators(request):
    return render(request, "training/indicators.html", _context(request))


def _name(request, year, extension) -> str:
    return f"indicateurs-{request.cpts.slug}-{year}.{extension}"


@cpts_view(*CRISIS_ROLES)
@require_GET
def indicators_csv(request):
    context = _context(request)
    figures = context["figures"]
    rows = [["Synthèse", label, value] for label, value in figures.summary_rows()]
    rows += [["Personnes formées par profession", p, n] for p, n in figures.by_profession]
    rows += [["Formations", f"{title} ({sessions} session(s))", people]
             for title, sessions, people in figures.by_training]  # fmt: skip
    rows += [["Sensibilisation par type", label, n] for label, n in figures.by_kind]
    rows += [["Exercices", f"{crisis.title} — {crisis.started_at:%d/%m/%Y}", status]
             for crisis, _, status, _ in figures.exercises]  # fmt: skip
    content = french_csv(["partie", "indicateur", "valeur"], rows).encode()
    log_action(request.user, request.cpts, "training.indicators.exported", None,
               {"year": context["year"], "format": "CSV"})  # fmt: skip
    return attachment(content, _name(request, context["year"], "csv"), CSV)


@cpts_view(*CRISIS_ROLES)
@require_GET
def indicators_pdf(request):
    context = _context(request)
    html = render_to_string("training/pdf/indicators.html", context)
    log_action(request.user, request.cpts, "training.indicators.exported", None,
               {"year": context["year"], "format": "PDF"})  # fmt: skip
    return attachment(pdf_document(html).write_pdf(), _name(request, context["year"], "pdf"), PDF)
