"""How a page runs a service: as the current user, a refusal (DomainError) shown as a message."""

from django.contrib import messages

from tocsin.core.errors import DomainError


def run_service(request, operation, *args, success="", **kwargs):
    """Run `operation(request.user, …)`. Returns its result (True if it returns nothing), or None
    when it refused, its French reason then shown to the user."""
    try:
        result = operation(request.user, *args, **kwargs)
    except DomainError as error:
        messages.error(request, error.message)
        return None
    if success:
        messages.success(request, success)
    return result if result is not None else True
