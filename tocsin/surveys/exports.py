"""The sent answers as a table: one row per respondent, one column per question (CSV, XLSX).

Pure functions returning the file's content; the views add the HTTP response and the audit
entry. Three queries whatever the number of respondents. Text typed by respondents never runs
as a formula in spreadsheet software.
"""

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from tocsin.core.spreadsheets import french_csv, text_cell
from tocsin.surveys.enums import QuestionKind
from tocsin.surveys.models import Answer
from tocsin.surveys.results import ordered_questions

FIXED_HEADER = ["Personne", "Catégorie", "Reçu par", "Réponses envoyées le"]
MAX_COLUMN_WIDTH = 45


def _cell(question, value):
    if value is None:
        return ""
    if question.kind == QuestionKind.MULTIPLE and isinstance(value, list):
        return ", ".join(map(str, value))
    return value


def _local(moment):
    # Spreadsheets know no time zones: the time as read in France.
    return timezone.localtime(moment).replace(tzinfo=None)


def answer_table(survey, kind: str = "") -> tuple[list, list]:
    """(header, rows) of the respondents who sent their answers, first senders first."""
    questions = list(ordered_questions(survey))
    respondents = survey.respondents.filter(submitted_at__isnull=False)
    if kind:
        respondents = respondents.filter(kind=kind)
    answers = Answer.objects.filter(respondent__in=respondents.values("pk"))
    values = {(respondent_id, question_id): value for respondent_id, question_id, value
              in answers.values_list("respondent_id", "question_id", "value")}  # fmt: skip
    respondents = list(respondents.order_by("submitted_at", "pk"))
    rows = [
        [str(r), r.kind, r.get_via_display(), _local(r.submitted_at),
         *[_cell(q, values.get((r.pk, q.pk))) for q in questions]]
        for r in respondents
    ]  # fmt: skip
    return [*FIXED_HEADER, *[q.text for q in questions]], rows


def _french(value):
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return value


def answers_csv(survey, kind: str = "") -> str:
    header, rows = answer_table(survey, kind)
    return french_csv([text_cell(h) for h in header], ([_french(v) for v in row] for row in rows))


def answers_xlsx(survey, kind: str = "") -> bytes:
    header, rows = answer_table(survey, kind)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Réponses"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in sheet.iter_cols():
        for cell in column:
            # openpyxl turns any string starting with "=" into a formula: keep it as text.
            if cell.data_type == "f":
                cell.data_type = "s"
            elif cell.is_date:
                cell.number_format = "DD/MM/YYYY HH:MM"
        width = max(len(str(cell.value or "")) for cell in column) + 2
        sheet.column_dimensions[get_column_letter(column[0].column)].width = min(
            width, MAX_COLUMN_WIDTH
        )
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
