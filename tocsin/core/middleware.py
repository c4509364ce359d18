"""Request middleware: which CPTS the user is working in, and the 2FA requirement."""

from django.contrib import messages
from django.shortcuts import redirect
from django_otp.plugins.otp_totp.models import TOTPDevice

from tocsin.core.models import TWO_FACTOR_ROLES

SESSION_CPTS_KEY = "tocsin_cpts_id"
HEALTH_DATA_NOTICE = (
    "Le registre des patients fragiles contient des données de santé : activez la double "
    "authentification pour y accéder (une fois, avec une application sur votre téléphone)."
)


def current_cpts_middleware(get_response):
    """Sets request.membership and request.cpts (None when the user has no membership)."""

    def middleware(request):
        request.membership = None
        request.memberships = []
        if request.user.is_authenticated:
            memberships = list(
                request.user.memberships.select_related("cpts").order_by("cpts__name")
            )
            wanted = request.session.get(SESSION_CPTS_KEY)
            chosen = next((m for m in memberships if m.cpts_id == wanted), None)
            request.membership = chosen or (memberships[0] if memberships else None)
            request.memberships = memberships
        request.cpts = request.membership.cpts if request.membership else None
        return get_response(request)

    return middleware


def requires_two_factor(memberships) -> bool:
    """Crisis roles in any CPTS need TOTP: switching CPTS must not bypass it."""
    return any(m.role in TWO_FACTOR_ROLES for m in memberships)


class two_factor_required_middleware:  # noqa: N801 — a middleware, named like the function one
    """Users holding a crisis role must pass TOTP before reaching any page but the 2FA ones;
    anyone must before a page of health data (the patient register)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        access = getattr(view_func, "tocsin_access", None)
        user = request.user
        if access is None or access.before_two_factor or not user.is_authenticated:
            return None
        if user.is_verified():
            return None
        has_totp = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        if has_totp:  # whoever turned 2FA on, by duty or by choice, is asked for it
            return redirect("core:two_factor_verify")
        if requires_two_factor(request.memberships):
            return redirect("core:two_factor_setup")
        # Only who may read the page is asked: anyone else gets its plain refusal.
        membership = request.membership
        if access.health_data and membership is not None and membership.role in access.roles:
            messages.info(request, HEALTH_DATA_NOTICE)
            return redirect("core:two_factor_setup")
        return None
