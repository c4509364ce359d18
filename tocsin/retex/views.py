"""RETEX pages: the reviews to run, one review (debriefs, timeline, figures, questionnaire,
findings, action plan), its report and its sending, and what authorities receive. Thin views:
the services do the work."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from tocsin.core.access import CRISIS_ROLES, PILOT_ROLES, cpts_view, get_for_cpts, has_role
from tocsin.core.audit import log_action
from tocsin.core.downloads import PDF, attachment, stored_pdf
from tocsin.core.enums import Role
from tocsin.core.feedback import run_service
from tocsin.crises.models import Crisis
from tocsin.exercises.selectors import observations_of
from tocsin.retex import documents, selectors, services
from tocsin.retex.enums import ActionStatus
from tocsin.retex.figures import figure_rows, key_figures
from tocsin.retex.forms import ActionForm, FindingForm, ReviewForm, TransmitForm
from tocsin.retex.models import Review
from tocsin.surveys.results import survey_results


def _review(request, pk) -> Review:
    return get_for_cpts(request, Review.objects.select_related("crisis", "survey"), pk=pk)


def _in_review(rows, pk):
    """A finding or action of a review (`review.findings`, `review.actions`), the review itself
    loaded within the current CPTS."""
    try:
        return rows.get(pk=pk)
    except (rows.model.DoesNotExist, ValueError) as exc:
        raise Http404("Introuvable dans ce RETEX.") from exc


@cpts_view(*CRISIS_ROLES)
def review_list(request):
    context = selectors.overview(request.cpts)
    context.update(can_pilot=has_role(request, *PILOT_ROLES), statuses=ActionStatus.choices)
    return render(request, "retex/list.html", context)


@cpts_view(*PILOT_ROLES)
@require_POST
def start(request, crisis):
    crisis = get_for_cpts(request, Crisis, pk=crisis)
    opened = "RETEX ouvert : la chronologie reprend la main courante."
    review = run_service(request, services.start_review, crisis, success=opened)
    if review:
        return redirect("retex:detail", review.pk)
    existing = Review.objects.filter(crisis=crisis, cpts=request.cpts).first()
    return redirect("retex:detail", existing.pk) if existing else redirect("retex:list")


@cpts_view(*CRISIS_ROLES)
def detail(request, pk):
    review = _review(request, pk)
    can_pilot = has_role(request, *PILOT_ROLES)
    context = {
        "review": review,
        "crisis": review.crisis,
        "can_pilot": can_pilot,
        "figures": figure_rows(review.figures or key_figures(review.crisis)),
        "findings": list(review.findings.all()),
        "actions": list(review.actions.select_related("owner", "finding", "plan_version")),
        "results": survey_results(review.survey) if review.survey_id else None,
        "observations": observations_of(review.crisis),
        "finding_form": FindingForm(),
        "action_form": ActionForm(review=review) if can_pilot else None,
        "statuses": ActionStatus.choices,
    }
    return render(request, "retex/detail.html", context)


@cpts_view(*PILOT_ROLES)
def edit(request, pk):
    review = _review(request, pk)
    if not review.is_editable:
        messages.error(request, "Ce RETEX est validé : il ne se modifie plus.")
        return redirect("retex:detail", review.pk)
    form = ReviewForm(request.POST or None, instance=review)
    saved = request.method == "POST" and form.is_valid()
    if saved and run_service(request, services.save_review, form, success="RETEX enregistré."):
        return redirect("retex:detail", review.pk)
    return render(request, "retex/edit.html", {"review": review, "form": form})


@cpts_view(*PILOT_ROLES)
@require_POST
def survey_prepare(request, pk):
    review = _review(request, pk)
    ready = "Questionnaire RETEX prêt : choisissez à qui l'envoyer."
    survey = run_service(request, services.prepare_survey, review, success=ready)
    if survey:
        return redirect("surveys:detail", survey.pk)
    return redirect("retex:detail", review.pk)


@cpts_view(*PILOT_ROLES)
@require_POST
def finding_add(request, pk):
    review = _review(request, pk)
    form = FindingForm(request.POST)
    if form.is_valid():
        run_service(request, services.add_finding, review, **form.cleaned_data,
                    success="Constat noté.")  # fmt: skip
    else:
        messages.error(request, "Choisissez la nature et le thème, puis décrivez le constat.")
    return redirect(f"{review.get_absolute_url()}#constats")


@cpts_view(*PILOT_ROLES)
@require_POST
def finding_delete(request, pk, finding):
    review = _review(request, pk)
    finding = _in_review(review.findings, finding)
    run_service(request, services.delete_finding, finding, success="Constat retiré.")
    return redirect(f"{review.get_absolute_url()}#constats")


@cpts_view(*PILOT_ROLES)
@require_POST
def action_add(request, pk):
    review = _review(request, pk)
    form = ActionForm(request.POST, review=review)
    if form.is_valid():
        run_service(request, services.add_action, review, form,
                    success="Action d'amélioration ajoutée.")  # fmt: skip
        return redirect(f"{review.get_absolute_url()}#actions")
    return render(request, "retex/action_edit.html", {"review": review, "form": form})


@cpts_view(*PILOT_ROLES)
def action_edit(request, pk, action):
    review = _review(request, pk)
    action = _in_review(review.actions, action)
    form = ActionForm(request.POST or None, instance=action, review=review)
    saved = request.method == "POST" and form.is_valid()
    if saved and run_service(request, services.update_action, form, success="Action modifiée."):
        return redirect(f"{review.get_absolute_url()}#actions")
    context = {"review": review, "form": form, "action": action}
    return render(request, "retex/action_edit.html", context)


@cpts_view(*PILOT_ROLES)
@require_POST
def action_status(request, pk, action):
    review = _review(request, pk)
    action = _in_review(review.actions, action)
    run_service(request, services.set_action_status, action, request.POST.get("status", ""),
                success="État de l'action changé.")  # fmt: skip
    if request.POST.get("next") == "list":  # the action plan of every RETEX
        return redirect("retex:list")
    return redirect(f"{review.get_absolute_url()}#actions")


@cpts_view(*PILOT_ROLES)
@require_POST
def validate(request, pk):
    review = _review(request, pk)
    run_service(request, services.validate_review, review,
                success="RETEX validé : son rapport est figé et peut être transmis.")  # fmt: skip
    return redirect("retex:detail", review.pk)


@cpts_view(*CRISIS_ROLES)
@require_GET
def report_pdf(request, pk):
    review = _review(request, pk)
    if review.document:
        response = stored_pdf(review.document, documents.document_name(review),
                              review.document_sha256)  # fmt: skip
    else:  # a draft: rendered as it stands, never stored
        response = attachment(documents.render_report_pdf(review),
                              documents.document_name(review), PDF)  # fmt: skip
    log_action(request.user, request.cpts, "retex.review.downloaded", review)
    return response


@cpts_view(*PILOT_ROLES)
def transmit(request, pk):
    review = _review(request, pk)
    sent = set(review.transmissions.values_list("recipient", flat=True))
    form = TransmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        new = run_service(request, services.transmit_review, review,
                          form.cleaned_data["recipients"])  # fmt: skip
        if new:
            messages.success(request, f"RETEX transmis : {len(new)} autorité(s) prévenue(s).")
            return redirect("retex:detail", review.pk)
    context = {"review": review, "form": form, "sent": sent,
               "transmissions": review.transmissions.select_related("sent_by")}  # fmt: skip
    return render(request, "retex/transmit.html", context)


@cpts_view(*PILOT_ROLES)
@require_POST
def plan_update(request, pk):
    review = _review(request, pk)
    result = run_service(request, services.start_plan_update, review)
    if not result:
        return redirect("retex:detail", review.pk)
    version, count = result
    messages.success(request, f"Version {version.number} du plan en préparation : "
                              f"{count} action(s) du RETEX y sont reprises.")  # fmt: skip
    return redirect("plans:version_detail", version.number)


# --- Authorities ---


@cpts_view(Role.AUTHORITY)
def authority_list(request):
    transmissions = selectors.transmitted_to(request.membership)
    return render(request, "retex/authority_list.html", {"transmissions": transmissions})


def _transmission(request, pk):
    transmission = selectors.transmitted_to(request.membership).filter(pk=pk).first()
    if transmission is None:
        raise Http404("RETEX introuvable.")
    return transmission


@cpts_view(Role.AUTHORITY)
@require_POST
def authority_acknowledge(request, pk):
    transmission = _transmission(request, pk)
    run_service(request, services.acknowledge_transmission, transmission,
                success="Réception confirmée. Merci.")  # fmt: skip
    return redirect("retex:authority_list")


@cpts_view(Role.AUTHORITY)
@require_GET
def authority_pdf(request, pk):
    transmission = _transmission(request, pk)
    review = transmission.review
    response = stored_pdf(review.document, documents.document_name(review),
                          review.document_sha256)  # fmt: skip
    log_action(request.user, request.cpts, "retex.review.downloaded", review,
               {"by": transmission.get_recipient_display()})  # fmt: skip
    return response
