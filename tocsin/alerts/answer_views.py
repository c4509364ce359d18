"""The page a recipient reaches from the link in their message: no account, one tap to answer.

Opening the page changes nothing (mail scanners open links too); answering is a POST. A
second answer replaces the first while the campaign is open.
"""

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from tocsin.alerts import links, services
from tocsin.alerts.enums import CampaignStatus
from tocsin.alerts.forms import AnswerForm
from tocsin.core.access import public_view
from tocsin.core.errors import DomainError


@public_view
@never_cache
def answer(request, token):
    try:
        recipient = links.recipient_from_token(token)
    except DomainError as error:
        return render(request, "alerts/answer.html", {"error": error.message}, status=400)
    campaign = recipient.campaign
    context = {"recipient": recipient, "campaign": campaign, "error": "", "saved": False}
    if campaign.status != CampaignStatus.SENT:
        context["error"] = "Cette alerte est close : votre réponse n'est plus attendue. Merci."
        return render(request, "alerts/answer.html", context)
    initial = {"answer": recipient.answer, "available_from": recipient.available_from,
               "comment": recipient.comment}  # fmt: skip
    form = AnswerForm(request.POST or None, initial=initial,
                      ask_availability=campaign.ask_availability)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            services.record_answer(
                recipient, form.cleaned_data["answer"],
                available_from=form.cleaned_data.get("available_from"),
                comment=form.cleaned_data["comment"],
            )  # fmt: skip
        except DomainError as error:
            context["error"] = error.message
        else:
            context["saved"] = True
    context["form"] = form
    return render(request, "alerts/answer.html", context)
