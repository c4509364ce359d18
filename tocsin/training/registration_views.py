"""The registration page, reached without an account from the invitation's signed link.

Opening the page changes nothing (mail scanners open links too): « Je m'inscris » and « Je me
désinscris » are POSTs. The page also gives the session's .ics and, once the person is marked
present, their attendance certificate.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tocsin.core.access import public_view
from tocsin.core.downloads import attachment
from tocsin.core.errors import DomainError
from tocsin.training import ics, links, services
from tocsin.training.views import certificate_response

TEMPLATE = "training/register.html"
ACTIONS = {"register": services.register, "cancel": services.cancel_registration}


def _refused(request, error):
    return render(request, TEMPLATE, {"error": error.message, "registration": None}, status=400)


@public_view
@never_cache
def register(request, token):
    try:
        registration = links.registration_from_token(token)
    except DomainError as error:
        return _refused(request, error)
    context = {"registration": registration, "session": registration.session, "token": token,
               "training": registration.session.training, "error": "", "done": ""}  # fmt: skip
    action = ACTIONS.get(request.POST.get("action", "")) if request.method == "POST" else None
    if action is not None:
        try:
            action(registration)
        except DomainError as error:
            context["error"] = error.message
        else:
            context["done"] = request.POST["action"]
    context["position"] = registration.waiting_position()
    return render(request, TEMPLATE, context)


@public_view
@never_cache
@require_GET
def register_ics(request, token):
    try:
        registration = links.registration_from_token(token)
    except DomainError as error:
        return _refused(request, error)
    session = registration.session
    content = ics.session_calendar(session, url=links.registration_url(registration.pk))
    return attachment(content.encode(), ics.file_name(session), f"{ics.ICS}; charset=utf-8")


@public_view
@never_cache
@require_GET
def register_certificate(request, token):
    try:
        registration = links.registration_from_token(token)
    except DomainError as error:
        return _refused(request, error)
    if not registration.attended:
        messages.info(request, "L'attestation sera disponible une fois votre présence notée.")
        return redirect("training:register", token=token)
    return certificate_response(request, registration, actor_label=registration.name)
