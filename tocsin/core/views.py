"""Views of the core app: sign-in and 2FA, account, CPTS switch, dashboard, members, audit,
and the health check."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from tocsin.core import services, twofactor
from tocsin.core.access import MANAGER_ROLES, account_view, cpts_view, get_for_cpts, public_view
from tocsin.core.audit import log_action
from tocsin.core.dashboard import build_dashboard
from tocsin.core.enums import Role
from tocsin.core.errors import DomainError
from tocsin.core.feedback import run_service
from tocsin.core.forms import (
    AuditFilterForm,
    LoginForm,
    MemberContactForm,
    MemberForm,
    MemberRoleForm,
    QueuedPasswordResetForm,
    TokenForm,
)
from tocsin.core.middleware import SESSION_CPTS_KEY
from tocsin.core.models import AuditEntry, Membership, User


@public_view
def health(request):
    """For load balancers and monitoring: the application answers. Reads nothing."""
    return HttpResponse("ok", content_type="text/plain")


def home_cpts(user):
    """The CPTS a user lands in after signing in, where their account events are journaled."""
    membership = user.memberships.select_related("cpts").order_by("cpts__name").first()
    return membership.cpts if membership else None


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = self.request.user
        log_action(user, home_cpts(user), "core.user.logged_in", user)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "core/password_reset_confirm.html"
    success_url = reverse_lazy("core:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        log_action(form.user, home_cpts(form.user), "core.user.password_reset", form.user)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/password_change.html"
    success_url = reverse_lazy("core:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        user = self.request.user
        log_action(user, self.request.cpts, "core.user.password_changed", user)
        messages.success(self.request, "Votre mot de passe a été changé.")
        return response


login_view = public_view(LoginView.as_view())
password_reset = public_view(
    auth_views.PasswordResetView.as_view(
        form_class=QueuedPasswordResetForm,
        template_name="core/password_reset.html",
        email_template_name="core/emails/password_reset.txt",
        subject_template_name="core/emails/password_reset_subject.txt",
        success_url=reverse_lazy("core:password_reset_done"),
    )
)
password_reset_done = public_view(
    auth_views.PasswordResetDoneView.as_view(template_name="core/password_reset_done.html")
)
password_reset_confirm = public_view(PasswordResetConfirmView.as_view())
password_reset_complete = public_view(
    auth_views.PasswordResetCompleteView.as_view(template_name="core/password_reset_complete.html")
)
password_change = account_view(PasswordChangeView.as_view())


@account_view(before_two_factor=True)
@require_POST
def logout_view(request):
    log_action(request.user, request.cpts, "core.user.logged_out", request.user)
    logout(request)
    messages.info(request, "Vous êtes déconnecté.")
    return redirect("core:login")


@account_view(before_two_factor=True)
def two_factor_setup(request):
    if request.user.is_verified():
        return redirect("core:account")
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("core:two_factor_verify")
    device = twofactor.pending_totp_device(request.user)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        try:
            codes = twofactor.confirm_totp_device(request, device, form.cleaned_data["token"])
        except DomainError as error:
            form.add_error("token", error.message)
        else:
            return render(request, "core/recovery_codes.html", {"codes": codes, "first": True})
    context = {
        "form": form,
        "qr_svg": twofactor.qr_code_svg(device),
        "secret": twofactor.readable_secret(device),
    }
    return render(request, "core/two_factor_setup.html", context)


@account_view(before_two_factor=True)
def two_factor_verify(request):
    if request.user.is_verified():
        return redirect("core:dashboard")
    form = TokenForm(request.POST or None)
    if form.is_valid():
        try:
            twofactor.verify_second_factor(request, form.cleaned_data["token"])
        except DomainError as error:
            form.add_error("token", error.message)
        else:
            return redirect(request.GET.get("next") or "core:dashboard")
    return render(request, "core/two_factor_verify.html", {"form": form})


@account_view
@require_POST
def recovery_codes(request):
    codes = twofactor.regenerate_recovery_codes(request)
    return render(request, "core/recovery_codes.html", {"codes": codes, "first": False})


@account_view
def account(request):
    context = {
        "has_totp": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
        "recovery_left": twofactor.remaining_recovery_codes(request.user),
    }
    return render(request, "core/account.html", context)


@account_view
@require_POST
def switch_cpts(request):
    wanted = request.POST.get("cpts", "")
    membership = next((m for m in request.memberships if str(m.cpts_id) == wanted), None)
    if membership is None:
        messages.error(request, "Vous n'avez pas de rôle dans cette CPTS.")
    else:
        request.session[SESSION_CPTS_KEY] = membership.cpts_id
        messages.success(request, f"Vous travaillez maintenant pour {membership.cpts}.")
    return redirect("core:dashboard")


@account_view
def dashboard(request):
    if request.membership is None:
        return render(request, "core/no_cpts.html")
    return render(request, "core/dashboard.html", build_dashboard(request.membership))


@cpts_view(Role.COORDINATOR, Role.REFERENT, Role.CELL_MEMBER)
def member_list(request):
    memberships = (
        Membership.objects.for_cpts(request.cpts)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    role = request.GET.get("role", "")
    if role in Role.values:
        memberships = memberships.filter(role=role)
    query = request.GET.get("q", "").strip()
    if query:
        memberships = memberships.filter(user__full_name__icontains=query)
    page = Paginator(memberships, 50).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    context = {
        "page": page,
        "roles": Role.choices,
        "role": role,
        "q": query,
        "query": filters.urlencode(),
    }
    return render(request, "core/member_list.html", context)


@cpts_view(*MANAGER_ROLES)
def member_add(request):
    form = MemberForm(request.POST or None)
    if form.is_valid():
        try:
            membership = _add_member_from_form(request, form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{membership.user} a été ajouté·e à la CPTS.")
            return redirect("core:member_list")
    return render(request, "core/member_form.html", {"form": form})


def _add_member_from_form(request, data):
    with transaction.atomic():
        user = User.objects.filter(email=data["email"].lower()).first()
        invite = user is None
        if invite:
            user = services.create_user(
                request.user,
                email=data["email"],
                full_name=data["full_name"],
                profession=data["profession"],
            )
        membership = services.add_member(
            request.user,
            request.cpts,
            user,
            data["role"],
            is_deputy=data["is_deputy"],
            authority_body=data["authority_body"],
        )
        if invite:
            services.invite_user(request.user, request.cpts, user)
    return membership


@cpts_view(*MANAGER_ROLES)
def member_edit(request, pk):
    membership = get_for_cpts(request, Membership.objects.select_related("user"), pk=pk)
    initial = {
        "role": membership.role,
        "is_deputy": membership.is_deputy,
        "authority_body": membership.authority_body,
    }
    if request.method == "POST" and "remove" in request.POST:
        return _remove_member(request, membership)
    linking = request.method == "POST" and "link_contact" in request.POST
    contact_form = MemberContactForm(
        request.POST if linking else None, cpts=request.cpts,
        initial={"contact": membership.contact_id},
    )  # fmt: skip
    if linking:
        return _link_contact(request, membership, contact_form)
    form = MemberRoleForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            services.change_member_role(request.user, membership, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Rôle de {membership.user} mis à jour.")
            return redirect("core:member_list")
    context = {"form": form, "contact_form": contact_form, "membership": membership}
    return render(request, "core/member_edit.html", context)


def _link_contact(request, membership, form):
    if form.is_valid() and run_service(
        request, services.link_member_contact, membership, form.cleaned_data["contact"],
        success=f"Fiche de l'annuaire de {membership.user} enregistrée.",
    ):  # fmt: skip
        return redirect("core:member_list")
    context = {"form": MemberRoleForm(initial={"role": membership.role}),
               "contact_form": form, "membership": membership}  # fmt: skip
    return render(request, "core/member_edit.html", context)


def _remove_member(request, membership):
    try:
        services.remove_member(request.user, membership)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("core:member_edit", pk=membership.pk)
    messages.success(request, f"{membership.user} ne fait plus partie de la CPTS.")
    return redirect("core:member_list")


@cpts_view(*MANAGER_ROLES)
def audit_list(request):
    form = AuditFilterForm(request.GET or None)
    entries = AuditEntry.objects.for_cpts(request.cpts)
    if form.is_valid():
        entries = _filter_audit(entries, form.cleaned_data)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "core/audit_list.html", context)


def _filter_audit(entries, data):
    if data["code"]:
        entries = entries.filter(code=data["code"])
    if data["actor"]:
        entries = entries.filter(actor_label__icontains=data["actor"])
    if data["date_from"]:
        entries = entries.filter(created_at__date__gte=data["date_from"])
    if data["date_to"]:
        entries = entries.filter(created_at__date__lte=data["date_to"])
    return entries
