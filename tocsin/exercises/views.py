"""Exercise pages: the scenarios and the starter library, a scenario's injects, and the console
from which the animator plays it and observers note what they see. Thin views: services act."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tocsin.core.access import CRISIS_ROLES, PILOT_ROLES, cpts_view, get_for_cpts, has_role
from tocsin.core.feedback import run_service
from tocsin.exercises import selectors, services
from tocsin.exercises.forms import InjectForm, ObservationForm, ScenarioForm, StartForm
from tocsin.exercises.models import Inject, Play, Scenario
from tocsin.exercises.starter import LIBRARY


def _scenario(request, pk) -> Scenario:
    return get_for_cpts(request, Scenario.objects.select_related("risk"), pk=pk)


def _inject(scenario, pk) -> Inject:
    try:
        return scenario.injects.get(pk=pk)
    except (Inject.DoesNotExist, ValueError) as exc:
        raise Http404("Inject introuvable dans ce scénario.") from exc


def _play(request, pk) -> Play:
    try:
        return Play.objects.for_cpts(request.cpts).select_related("crisis", "scenario").get(pk=pk)
    except (Play.DoesNotExist, ValueError) as exc:
        raise Http404("Exercice introuvable.") from exc


@cpts_view(*CRISIS_ROLES)
def scenario_list(request):
    context = {
        "scenarios": selectors.scenarios(request.cpts),
        "plays": selectors.plays(request.cpts),
        "library": LIBRARY,
        "can_pilot": has_role(request, *PILOT_ROLES),
    }
    return render(request, "exercises/list.html", context)


@cpts_view(*PILOT_ROLES)
@require_POST
def starter_copy(request):
    copied = "Scénario copié : adaptez-le à votre territoire."
    key = request.POST.get("key", "")
    scenario = run_service(request, services.copy_starter, request.cpts, key, success=copied)
    if scenario is None:
        return redirect("exercises:list")
    return redirect("exercises:scenario_detail", scenario.pk)


@cpts_view(*PILOT_ROLES)
def scenario_new(request):
    return _scenario_form(request, Scenario())


@cpts_view(*PILOT_ROLES)
def scenario_edit(request, pk):
    return _scenario_form(request, _scenario(request, pk))


def _scenario_form(request, scenario):
    form = ScenarioForm(request.POST or None, instance=scenario, cpts=request.cpts)
    saved = request.method == "POST" and form.is_valid()
    if saved and (scenario := run_service(request, services.save_scenario, form)):
        messages.success(request, "Scénario enregistré.")
        return redirect("exercises:scenario_detail", scenario.pk)
    return render(request, "exercises/scenario_form.html", {"form": form})


@cpts_view(*CRISIS_ROLES)
def scenario_detail(request, pk):
    scenario = _scenario(request, pk)
    can_pilot = has_role(request, *PILOT_ROLES)
    context = {
        "scenario": scenario,
        "injects": scenario.injects.all(),
        "can_pilot": can_pilot,
        "inject_form": InjectForm(scenario=scenario) if can_pilot else None,
        "start_form": StartForm(initial={"title": f"Exercice — {scenario.title}"}),
        "plays": scenario.plays.select_related("crisis"),
    }
    return render(request, "exercises/scenario_detail.html", context)


@cpts_view(*PILOT_ROLES)
@require_POST
def inject_add(request, pk):
    scenario = _scenario(request, pk)
    form = InjectForm(request.POST, scenario=scenario)
    if form.is_valid() and run_service(
        request, services.save_inject, form, success="Inject ajouté."
    ):
        return redirect(f"{scenario_url(scenario)}#injects")
    return render(request, "exercises/inject_form.html", {"scenario": scenario, "form": form})


@cpts_view(*PILOT_ROLES)
def inject_edit(request, pk, inject):
    scenario = _scenario(request, pk)
    inject = _inject(scenario, inject)
    form = InjectForm(request.POST or None, instance=inject, scenario=scenario)
    saved = request.method == "POST" and form.is_valid()
    if saved and run_service(request, services.save_inject, form, success="Inject modifié."):
        return redirect(f"{scenario_url(scenario)}#injects")
    context = {"scenario": scenario, "form": form, "inject": inject}
    return render(request, "exercises/inject_form.html", context)


@cpts_view(*PILOT_ROLES)
@require_POST
def inject_delete(request, pk, inject):
    scenario = _scenario(request, pk)
    run_service(request, services.delete_inject, _inject(scenario, inject),
                success="Inject retiré.")  # fmt: skip
    return redirect(f"{scenario_url(scenario)}#injects")


def scenario_url(scenario) -> str:
    return reverse("exercises:scenario_detail", args=[scenario.pk])


@cpts_view(*PILOT_ROLES)
@require_POST
def start(request, pk):
    scenario = _scenario(request, pk)
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Donnez un intitulé à l'exercice.")
        return redirect("exercises:scenario_detail", scenario.pk)
    play = run_service(request, services.start_exercise, scenario, **form.cleaned_data)
    if not play:
        return redirect("exercises:scenario_detail", scenario.pk)
    messages.success(request, "Exercice lancé : la main courante est ouverte, les injects "
                              "sont prêts.")  # fmt: skip
    return redirect("exercises:console", play.pk)


@cpts_view(*CRISIS_ROLES)
def console(request, pk):
    play = _play(request, pk)
    context = {
        "play": play,
        "crisis": play.crisis,
        "lines": selectors.timeline(play),
        "observations": selectors.observations(play),
        "observation_form": ObservationForm(play=play),
        "can_pilot": has_role(request, *PILOT_ROLES),
    }
    return render(request, "exercises/console.html", context)


@cpts_view(*PILOT_ROLES)
@require_POST
def fire(request, pk, inject):
    play = _play(request, pk)
    inject = _inject(play.scenario, inject)
    run_service(request, services.fire_inject, play, inject,
                success="Inject déclenché : il est inscrit à la main courante.")  # fmt: skip
    return redirect("exercises:console", play.pk)


@cpts_view(*CRISIS_ROLES)
@require_POST
def observe(request, pk):
    play = _play(request, pk)
    form = ObservationForm(request.POST, play=play)
    if form.is_valid():
        run_service(request, services.add_observation, play, **form.cleaned_data,
                    success="Observation notée.")  # fmt: skip
    else:
        messages.error(request, "Choisissez une appréciation et décrivez la réaction observée.")
    return redirect(f"{_console_url(play)}#observations")


def _console_url(play) -> str:
    return reverse("exercises:console", args=[play.pk])
