"""Values every template needs: the current CPTS and role, and the user's other CPTS."""

from django.conf import settings

from tocsin.core.enums import Role


def tocsin(request):
    membership = getattr(request, "membership", None)
    return {
        "current_cpts": getattr(request, "cpts", None),
        "current_membership": membership,
        "user_memberships": getattr(request, "memberships", []),
        "is_coordinator": bool(membership and membership.role == Role.COORDINATOR),
        "site_url": settings.SITE_URL,
    }
