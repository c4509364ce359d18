"""The access helpers every view goes through.

A view is wrapped by exactly one of `public_view`, `account_view` or `cpts_view(*roles)`; the
wrapper records its rule on the view (`view.tocsin_access`) so that the URL × persona test can
check every route of the project. Objects are loaded with `get_for_cpts`, which only ever looks
inside the current CPTS.
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tocsin.core.enums import Role

ALL_ROLES = frozenset(Role)
MEMBER_ROLES = frozenset({Role.COORDINATOR, Role.REFERENT, Role.CELL_MEMBER, Role.MEMBER})
CRISIS_ROLES = frozenset({Role.COORDINATOR, Role.REFERENT, Role.CELL_MEMBER})
MANAGER_ROLES = frozenset({Role.COORDINATOR})
# Who pilots a crisis and its alerts: activation, phases, sending, closing.
PILOT_ROLES = frozenset({Role.COORDINATOR, Role.REFERENT})


@dataclass(frozen=True)
class Access:
    kind: str  # "public", "account" (any logged-in user) or "cpts" (a role in the current CPTS)
    roles: frozenset = frozenset()
    # 2FA pages themselves must be reachable before the second factor is verified.
    before_two_factor: bool = False
    # Pages of health data ask everyone for the second factor, whatever their role.
    health_data: bool = False


def _mark(view, access):
    view.tocsin_access = access
    return view


def public_view(view):
    """Reachable without logging in (login, password reset)."""
    return _mark(view, Access("public", before_two_factor=True))


def account_view(view=None, *, before_two_factor=False):
    """Any logged-in user, whatever their CPTS (own account, switching CPTS)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            return view(request, *args, **kwargs)

        return _mark(wrapper, Access("account", before_two_factor=before_two_factor))

    return decorate(view) if view else decorate


def cpts_view(*roles, health_data=False):
    """A logged-in user holding one of `roles` (all roles if none given) in the current CPTS.

    With `health_data`, the page also needs the second factor, even for a role that does not
    otherwise need it (a member professional reading their patients)."""
    allowed = frozenset(roles) or ALL_ROLES

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.membership is None or request.membership.role not in allowed:
                raise PermissionDenied("Votre rôle ne donne pas accès à cette page.")
            return view(request, *args, **kwargs)

        return _mark(wrapper, Access("cpts", roles=allowed, health_data=health_data))

    return decorate


def has_role(request, *roles) -> bool:
    return request.membership is not None and request.membership.role in roles


def get_for_cpts(request, model_or_queryset, **lookup):
    """One object of the current CPTS, or 404 — never an object of another tenant."""
    queryset = getattr(model_or_queryset, "objects", model_or_queryset)
    try:
        return queryset.filter(cpts=request.cpts).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError) as exc:
        raise Http404("Introuvable dans votre CPTS.") from exc
