"""Watch log pages: the log, one signal, manual entry, CAP import, attachments and feeds."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tocsin.core.access import CRISIS_ROLES, cpts_view, get_for_cpts, has_role
from tocsin.core.enums import Role
from tocsin.core.errors import DomainError
from tocsin.watch import services
from tocsin.watch.forms import CapImportForm, FeedForm, SignalFilterForm, SignalForm
from tocsin.watch.models import Feed, Fetch, Signal

EDITOR_ROLES = (Role.COORDINATOR, Role.REFERENT)
PAGE_SIZE = 25


@cpts_view(*CRISIS_ROLES)
def signal_list(request):
    filters = SignalFilterForm(request.GET or None)
    page = Paginator(filters.apply(Signal.objects.for_cpts(request.cpts)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "failing_feeds": Feed.objects.filter(cpts=request.cpts, enabled=True, last_ok=False),
        "can_configure": has_role(request, *EDITOR_ROLES),
    }
    return render(request, "watch/log.html", context)


@cpts_view(*CRISIS_ROLES)
def signal_detail(request, pk):
    signal = get_for_cpts(
        request, Signal.objects.select_related("superseded_by", "feed", "created_by"), pk=pk
    )
    context = {
        "signal": signal,
        "attachments": signal.attachments.all(),
        "replaces": Signal.objects.filter(superseded_by=signal),
        # So that a second person does not open the same crisis twice.
        "crises": signal.crises.all(),
    }
    return render(request, "watch/signal_detail.html", context)


@cpts_view(*CRISIS_ROLES)
def signal_create(request):
    posted = (request.POST, request.FILES) if request.method == "POST" else ()
    form = SignalForm(*posted, instance=Signal(cpts=request.cpts))
    if form.is_valid():
        signal = services.record_signal(request.user, form, form.cleaned_data["attachments"])
        messages.success(request, "Signal enregistré dans la veille.")
        return redirect("watch:signal_detail", pk=signal.pk)
    return render(request, "watch/signal_form.html", {"form": form})


@cpts_view(*CRISIS_ROLES)
def cap_import(request):
    form = (
        CapImportForm(request.POST, request.FILES) if request.method == "POST" else CapImportForm()
    )
    report = None
    if form.is_valid():
        upload, url = form.cleaned_data["file"], form.cleaned_data["url"]
        try:
            if upload:
                report = services.import_cap_document(request.user, request.cpts, upload.read())
            else:
                report = services.import_cap_url(request.user, request.cpts, url)
        except DomainError as error:
            form.add_error(None, error.message)
    return render(request, "watch/cap_import.html", {"form": form, "report": report})


@cpts_view(*CRISIS_ROLES)
def attachment(request, signal_pk, pk):
    signal = get_for_cpts(request, Signal, pk=signal_pk)
    found = signal.attachments.filter(pk=pk).first()
    if found is None:
        raise Http404("Pièce jointe introuvable.")
    try:
        handle = found.file.open("rb")
    except OSError as exc:
        raise Http404("Le fichier de cette pièce jointe est introuvable.") from exc
    return FileResponse(handle, as_attachment=True, filename=found.name)


@cpts_view(*CRISIS_ROLES)
def feed_list(request):
    context = {
        "feeds": Feed.objects.filter(cpts=request.cpts),
        "fetches": Fetch.objects.filter(feed__cpts=request.cpts).select_related("feed")[:30],
        "can_configure": has_role(request, *EDITOR_ROLES),
        "has_api_key": bool(settings.METEOFRANCE_API_KEY),
    }
    return render(request, "watch/feed_list.html", context)


@cpts_view(*EDITOR_ROLES)
def feed_edit(request, pk=None):
    feed = get_for_cpts(request, Feed, pk=pk) if pk else Feed(cpts=request.cpts)
    form = FeedForm(request.POST or None, instance=feed)
    if form.is_valid():
        feed = services.save_feed(request.user, form)
        messages.success(request, f"Flux « {feed.name} » enregistré.")
        return redirect("watch:feed_list")
    return render(request, "watch/feed_form.html", {"form": form, "feed": feed})


@cpts_view(*EDITOR_ROLES)
@require_POST
def feed_delete(request, pk):
    feed = get_for_cpts(request, Feed, pk=pk)
    services.delete_feed(request.user, feed)
    messages.success(
        request, f"Flux « {feed.name} » supprimé ; ses signaux restent dans la veille."
    )
    return redirect("watch:feed_list")


@cpts_view(*EDITOR_ROLES)
@require_POST
def feed_poll(request, pk):
    feed = get_for_cpts(request, Feed, pk=pk)
    reading = services.poll_feed(feed, request.user)
    notify = messages.success if reading.ok else messages.error
    notify(request, f"« {feed.name} » : {reading.message}")
    return redirect("watch:feed_list")
