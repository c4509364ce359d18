"""What a questionnaire's respondents said: response rate and per-question figures, with charts.

`survey_results` runs a fixed number of queries whatever the number of respondents and answers
(the submitted answers are read once and counted in Python). Only sent answers count; answers
saved for later do not. Charts are inline SVG built here (horizontal bars, presentation
attributes only), so they render the same on the page, under the strict CSP, and in a PDF.
"""

import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Q

from tocsin.surveys.enums import NO, SCALE_VALUES, YES, QuestionKind, Via
from tocsin.surveys.models import Answer, Question

# SVG geometry, in viewBox units. The chart scales to its container's width: a narrow viewBox
# keeps its text readable on a phone.
CHART_WIDTH = 360
BAR_SPACE = 270  # what is left for the bar once its figure is written after it
ROW_HEIGHT = 44
LABEL_CHARS = 46
SCALE_LABELS = {1: "1 — pas du tout", 5: "5 — tout à fait"}
# Summaries (the RETEX page and report) quote this many free-text answers per question; the
# results page and the exports give them all.
QUOTED_TEXTS = 20


@dataclass
class Bar:
    label: str
    count: int
    percent: int
    # Coordinates as strings: a French-localised float (« 12,5 ») would break the SVG.
    label_y: str = ""
    bar_y: str = ""
    width: str = ""
    value_x: str = ""
    value_y: str = ""

    @property
    def short_label(self) -> str:
        return self.label if len(self.label) <= LABEL_CHARS else self.label[: LABEL_CHARS - 1] + "…"


@dataclass
class Chart:
    description: str  # the figures in words, for screen readers (<title> and aria-label)
    height: str
    bars: list
    width: str = str(CHART_WIDTH)
    track: str = str(BAR_SPACE)


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    options: list = field(default_factory=list)  # Bar per option, for choices and scales
    chart: Chart | None = None
    mean: float | None = None  # scales and numbers
    numbers: dict = field(default_factory=dict)  # count, min, mean, median, max
    texts: list = field(default_factory=list)  # (respondent kind, text)

    @property
    def quoted_texts(self) -> list:
        return self.texts[:QUOTED_TEXTS]

    @property
    def unquoted_texts(self) -> int:
        return max(0, len(self.texts) - QUOTED_TEXTS)


@dataclass
class SurveyResults:
    survey: object
    kind: str
    invited: int
    submitted: int
    open_link_answers: int
    kinds: list
    questions: list

    @property
    def rate(self) -> int | None:
        """Invited people who sent their answers, in percent (None when nobody was invited)."""
        return round(100 * self.submitted / self.invited) if self.invited else None


def _percent(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


def bar_chart(question: Question, bars: list) -> Chart:
    for row, bar in enumerate(bars):
        top = row * ROW_HEIGHT
        width = round(BAR_SPACE * bar.percent / 100) if bar.count else 0
        bar.label_y, bar.bar_y, bar.value_y = str(top + 16), str(top + 22), str(top + 35)
        bar.width, bar.value_x = str(max(width, 2 if bar.count else 0)), str(width + 8)
    figures = " ; ".join(f"{bar.label} : {bar.count} ({bar.percent} %)" for bar in bars)
    return Chart(f"{question.text} — {figures}", str(len(bars) * ROW_HEIGHT), bars)


def _counted(question, values, labels) -> QuestionResult:
    """Counts and percentages per option; a multiple choice counts each option ticked."""
    result = QuestionResult(question, answered=len(values))
    counts = dict.fromkeys(labels, 0)
    for value in values:
        for option in value if isinstance(value, list) else [value]:
            if option in counts:
                counts[option] += 1
    result.options = [Bar(label, counts[key], _percent(counts[key], len(values)))
                      for key, label in labels.items()]  # fmt: skip
    result.chart = bar_chart(question, result.options)
    return result


def _scale(question, values) -> QuestionResult:
    result = _counted(question, values, {n: SCALE_LABELS.get(n, str(n)) for n in SCALE_VALUES})
    numbers = [v for v in values if v in SCALE_VALUES]
    result.mean = statistics.fmean(numbers) if numbers else None
    return result


def _numbers(question, values) -> QuestionResult:
    numbers = [v for v in values if isinstance(v, int | float)]
    result = QuestionResult(question, answered=len(numbers))
    if numbers:
        result.mean = statistics.fmean(numbers)
        result.numbers = {"count": len(numbers), "min": min(numbers), "mean": result.mean,
                          "median": statistics.median(numbers), "max": max(numbers)}  # fmt: skip
    return result


def question_result(question: Question, rows: list) -> QuestionResult:
    """rows: (value, respondent kind) of the submitted answers to this question."""
    values = [value for value, _ in rows]
    match question.kind:
        case QuestionKind.SINGLE | QuestionKind.MULTIPLE:
            return _counted(question, values, {option: option for option in question.choices})
        case QuestionKind.YES_NO:
            return _counted(question, values, {YES: "Oui", NO: "Non"})
        case QuestionKind.SCALE:
            return _scale(question, values)
        case QuestionKind.NUMBER:
            return _numbers(question, values)
    texts = [(kind, value) for value, kind in rows if isinstance(value, str) and value]
    return QuestionResult(question, answered=len(texts), texts=texts)


def ordered_questions(survey):
    return survey.questions.select_related("section").order_by(
        "section__position", "section__pk", "position", "pk"
    )


def survey_results(survey, kind: str = "") -> SurveyResults:
    """The figures of `survey`, for the respondents of one kind (« Mairie ») or everyone."""
    respondents = survey.respondents.filter(kind=kind) if kind else survey.respondents.all()
    invited, submitted = Q(via=Via.INVITATION), Q(submitted_at__isnull=False)
    counts = respondents.aggregate(
        invited=Count("pk", filter=invited), submitted=Count("pk", filter=invited & submitted),
        open_link_answers=Count("pk", filter=~invited & submitted),
    )  # fmt: skip
    kinds = list(survey.respondents.exclude(kind="").order_by("kind")
                 .values_list("kind", flat=True).distinct())  # fmt: skip
    answers = Answer.objects.filter(
        respondent__survey=survey, respondent__submitted_at__isnull=False
    )
    if kind:
        answers = answers.filter(respondent__kind=kind)
    by_question = {}
    rows = answers.order_by("respondent__submitted_at", "pk")
    for question_id, value, respondent_kind in rows.values_list(
        "question_id", "value", "respondent__kind"
    ):
        by_question.setdefault(question_id, []).append((value, respondent_kind))
    questions = [question_result(q, by_question.get(q.pk, [])) for q in ordered_questions(survey)]
    return SurveyResults(survey=survey, kind=kind, kinds=kinds, questions=questions, **counts)
