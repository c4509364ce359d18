"""Values every template needs: the current CPTS and role, and the user's other CPTS."""

from django.conf import settings

from tocsin.core.access import CRISIS_ROLES
from tocsin.core.enums import Role


def tocsin(request):
    membership = getattr(request, "membership", None)
    return {
        "current_cpts": getattr(request, "cpts", None),
        "current_membership": membership,
        "current_role": membership.role if membership else "",
        "user_memberships": getattr(request, "memberships", []),
        "is_coordinator": bool(membership and membership.role == Role.COORDINATOR),
        "is_crisis_role": bool(membership and membership.role in CRISIS_ROLES),
        "site_url": settings.SITE_URL,
    }
