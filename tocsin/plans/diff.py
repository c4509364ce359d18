"""What changed between two versions of the plan, section by section and fiche by fiche."""

import difflib
from dataclasses import dataclass

from tocsin.plans.enums import Section
from tocsin.plans.models import PlanVersion
from tocsin.plans.services import COPIED_FIELDS


@dataclass(frozen=True)
class Change:
    title: str
    lines: list[tuple[str, str]]  # ("+", text) added, ("-", text) removed, (" ", text) kept


def compare(old: PlanVersion, new: PlanVersion) -> list[Change]:
    changes = [
        _text_change(Section(key).label, _section(old, key), _section(new, key))
        for key in Section.values
    ]
    changes.append(_text_change("Organisation de crise", _organisation(old), _organisation(new)))
    changes.append(_text_change("Cellule de crise", _cell(old), _cell(new)))
    old_fiches, new_fiches = _fiches(old), _fiches(new)
    for title in sorted(set(old_fiches) | set(new_fiches)):
        changes.append(
            _text_change(f"Fiche « {title} »", old_fiches.get(title, ""), new_fiches.get(title, ""))
        )
    return [c for c in changes if c is not None]


def _text_change(title, before: str, after: str) -> Change | None:
    if before == after:
        return None
    lines = []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        code, text = line[:1], line[2:]
        if code in "+- ":
            lines.append((code, text))
    return Change(title, lines)


def _section(version, key) -> str:
    return next((s.body for s in version.sections.all() if s.key == key), "")


def _organisation(version) -> str:
    labels = {f.name: f.verbose_name for f in PlanVersion._meta.fields}
    rows = []
    for name in COPIED_FIELDS:
        value = getattr(version, name)
        rows.append(f"{labels[name].capitalize()} : {value if value else '—'}")
    return "\n".join(rows)


def _cell(version) -> str:
    return "\n".join(
        f"{m.get_function_display()}{' (second)' if m.is_backup else ''} : {m.contact}"
        for m in version.cell_members.all()
    )


def _fiches(version) -> dict[str, str]:
    return {
        f.title: "\n".join(
            [f"Déclenchement : {f.trigger}", *[f"- {s}" for s in f.steps], f"Qui : {f.who}"]
        )
        for f in version.fiches.all()
    }
