"""Questionnaires: sections of questions, the people asked and what they answered.

A survey is written as a draft, opened (invitations go out with a signed personal link, and
optionally an open link for a public audience) and closed on its closing date or by hand.
Each respondent answers once: sending again before the closing updates the same answers.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from tocsin.core.models import Cpts, User
from tocsin.directory.models import Contact
from tocsin.surveys.enums import ANONYMOUS, CHOICE_KINDS, QuestionKind, SurveyStatus, Via


class SurveyQuerySet(models.QuerySet):
    def for_cpts(self, cpts):
        return self.filter(cpts=cpts)

    def with_counts(self):
        """Each survey with its invited and answered counts, in the query that lists them."""
        invited = Q(respondents__via=Via.INVITATION)
        submitted = Q(respondents__submitted_at__isnull=False)
        return self.annotate(
            n_invited=models.Count("respondents", filter=invited),
            n_answered=models.Count("respondents", filter=invited & submitted),
            n_open_answers=models.Count("respondents", filter=~invited & submitted),
        )


class Survey(models.Model):
    cpts = models.ForeignKey(Cpts, models.CASCADE, related_name="surveys")
    title = models.CharField("titre", max_length=200)
    intro = models.TextField(
        "texte d'introduction", blank=True, help_text="Affiché en tête du questionnaire."
    )
    status = models.CharField(
        "état", max_length=10, choices=SurveyStatus, default=SurveyStatus.DRAFT
    )
    closes_at = models.DateTimeField("clôture des réponses", null=True, blank=True)
    # Groups, organisations and individuals of the directory, as the alerts' audience builder.
    audience = models.JSONField("personnes interrogées", default=dict, blank=True)
    allows_open_link = models.BooleanField(
        "lien ouvert",
        default=False,
        help_text="Un lien sans nom, à diffuser à un public large (une réponse par personne).",
    )
    public_token = models.CharField(max_length=43, blank=True, editable=False)
    is_exercise = models.BooleanField("exercice", default=False)
    created_by = models.ForeignKey(User, models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    opened_at = models.DateTimeField("ouvert le", null=True, blank=True)
    closed_at = models.DateTimeField("clos le", null=True, blank=True)
    reminders = models.PositiveSmallIntegerField("relances envoyées", default=0)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = "questionnaire"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["public_token"], condition=~Q(public_token=""), name="survey_public_token"
            )
        ]

    def __str__(self):
        prefix = "[EXERCICE] " if self.is_exercise else ""
        return f"{prefix}{self.title}"

    @property
    def is_draft(self) -> bool:
        return self.status == SurveyStatus.DRAFT

    @property
    def accepts_answers(self) -> bool:
        """Open, and its closing date not passed."""
        if self.status != SurveyStatus.OPEN:
            return False
        return self.closes_at is None or timezone.now() < self.closes_at

    @property
    def is_closed(self) -> bool:
        """Closed by hand, or open with its closing date passed."""
        return not self.is_draft and not self.accepts_answers

    @property
    def state(self) -> str:
        """The state a reader sees: an open survey past its closing date reads as closed."""
        return SurveyStatus.CLOSED if self.is_closed else self.status

    def get_state_display(self) -> str:
        return SurveyStatus(self.state).label


class Section(models.Model):
    survey = models.ForeignKey(Survey, models.CASCADE, related_name="sections")
    title = models.CharField("titre de la partie", max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "partie"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class Question(models.Model):
    survey = models.ForeignKey(Survey, models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, models.CASCADE, related_name="questions")
    kind = models.CharField("type", max_length=10, choices=QuestionKind)
    text = models.CharField("question", max_length=500)
    help_text = models.CharField("précision", max_length=300, blank=True)
    required = models.BooleanField("réponse obligatoire", default=False)
    choices = models.JSONField("options", default=list, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "question"
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=CHOICE_KINDS) | ~Q(choices=[]),
                name="question_choice_has_options",
                violation_error_message="Une question à choix propose au moins une option.",
            )
        ]

    def __str__(self):
        return self.text


class Respondent(models.Model):
    """One person asked (an invitation) or one visitor of the open link."""

    survey = models.ForeignKey(Survey, models.CASCADE, related_name="respondents")
    contact = models.ForeignKey(Contact, models.SET_NULL, null=True, blank=True, related_name="+")
    # A snapshot, so results read right if the directory changes; kind is what results filter on.
    name = models.CharField("nom", max_length=310, blank=True)
    email = models.EmailField("e-mail", blank=True)
    kind = models.CharField("catégorie", max_length=150, blank=True)
    via = models.CharField("reçu par", max_length=20, choices=Via, default=Via.INVITATION)
    invited_at = models.DateTimeField("invité le", null=True, blank=True)
    reminded_at = models.DateTimeField("relancé le", null=True, blank=True)
    saved_at = models.DateTimeField("enregistré le", null=True, blank=True)
    submitted_at = models.DateTimeField("réponses envoyées le", null=True, blank=True)

    class Meta:
        verbose_name = "personne interrogée"
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "contact"],
                condition=Q(contact__isnull=False),
                name="survey_one_respondent_per_contact",
            )
        ]
        indexes = [models.Index(fields=["survey", "submitted_at"])]

    def __str__(self):
        return self.name or ANONYMOUS

    @property
    def has_submitted(self) -> bool:
        return self.submitted_at is not None


class Answer(models.Model):
    """A respondent's answer to one question: text, an option, a list of options or a number."""

    respondent = models.ForeignKey(Respondent, models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, models.CASCADE, related_name="answers")
    value = models.JSONField("réponse")

    class Meta:
        verbose_name = "réponse"
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "question"], name="survey_one_answer_per_question"
            )
        ]

    def __str__(self):
        return f"{self.question} : {self.value}"
