"""Each row checked as the import would take it: the same function for the preview and for
the import, against the group's data as it is at that moment."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from activities.importing.columns import KEYS, MAX_PARTICIPANTS, SEPARATORS, fold, label
from activities.models import Activity, ActivityImport, Sector
from members.models import Institution
from vpswg.figures import figure

# --- Checking ----------------------------------------------------------------------------------


@dataclass
class Checked:
    """One row as the import would take it, or why it cannot."""

    index: int
    line: int
    cells: dict[str, str]
    skip: bool
    errors: list[str] = field(default_factory=list)
    activity: dict = field(default_factory=dict)
    organisers: list[Institution] = field(default_factory=list)
    counts: list[tuple[str, int, int | None, int | None]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def people(self) -> int:
        return sum(c[1] for c in self.counts)


@dataclass
class Preview:
    imported: ActivityImport
    rows: list[Checked]

    @property
    def good(self) -> list[Checked]:
        return [r for r in self.rows if r.ok and not r.skip]

    @property
    def with_errors(self) -> list[Checked]:
        return [r for r in self.rows if not r.ok and not r.skip]

    @property
    def skipped(self) -> list[Checked]:
        return [r for r in self.rows if r.skip]


class _Context:
    """What rows are checked against, read once per check: the group's institutions, the kinds
    in every language, the activities already registered in the file's years."""

    def __init__(self, rows: list[dict]) -> None:
        self.institutions: dict[str, Institution] = {}
        self.names: dict[str, str] = {}  # folded -> the name to suggest
        for institution in Institution.objects.only("pk", "name", "short_name", "aliases"):
            for name in [institution.name, institution.short_name, *(institution.aliases or [])]:
                key = fold(name or "")
                if key:
                    self.institutions.setdefault(key, institution)
                    self.names.setdefault(key, institution.name)
        self.kinds: dict[str, str] = {}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                for value, label in Activity.Kind.choices:
                    self.kinds[fold(str(label))] = value
        for value in Activity.Kind.values:
            self.kinds[fold(value)] = value
        years = {
            d.year for r in rows if (d := parse_date(r["cells"].get("start_date", ""))) is not None
        }
        self.existing = (
            set(
                Activity.objects.filter(start_date__year__in=years).values_list(
                    "title", "start_date"
                )
            )
            if years
            else set()
        )
        self.existing = {(fold(t), d) for t, d in self.existing}

    def institution(self, name: str) -> Institution | None:
        return self.institutions.get(fold(name))

    def closest(self, name: str) -> str | None:
        found = difflib.get_close_matches(fold(name), list(self.names), n=1, cutoff=0.6)
        return self.names[found[0]] if found else None


_DATE_FORMATS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})$"),
)


def parse_date(text: str) -> date | None:
    """ISO (2024-03-15), day first (15/03/2024, 15-03-2024, 15.03.2024, as Spanish and most
    other spreadsheets write it), or a date cell of a workbook (read as ISO). Never month first:
    03/04/2024 is the 3rd of April."""
    text = (text or "").strip()
    if " " in text:  # a date cell with a time of day, as some exports write it
        text = text.split(" ", 1)[0]
    for pattern in _DATE_FORMATS:
        match = pattern.match(text)
        if match:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                return None
    return None


def _number(text: str) -> int | str | None:
    """A count: a whole number, or None for an empty cell, or "bad"."""
    text = (text or "").strip().replace(" ", "")
    if not text:
        return None
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", text):  # 1.200 or 1,200: thousands
        text = re.sub(r"[.,]", "", text)
    if text.endswith((".0", ",0")):
        text = text[:-2]
    if not text.isascii() or not text.isdigit() or int(text) > MAX_PARTICIPANTS:
        return "bad"
    return int(text)


def _organiser_names(cell: str, context: _Context) -> list[str]:
    """The names in a cell: separated by semicolons, new lines or bars; by commas too when the
    whole is not one name and each part is."""
    names = []
    for part in SEPARATORS.split(cell):
        part = part.strip()
        if not part:
            continue
        if context.institution(part) is None and "," in part:
            pieces = [p.strip() for p in part.split(",") if p.strip()]
            if all(context.institution(p) for p in pieces):
                names += pieces
                continue
        names.append(part)
    return names


def _check_row(index: int, row: dict, context: _Context, seen: dict) -> Checked:
    cells = {key: row["cells"].get(key, "") for key in KEYS}
    checked = Checked(index, row["line"], cells, row.get("skip", False))
    errors = checked.errors
    title = cells["title"].strip()
    if not title:
        errors.append(_("The title is missing."))
    elif len(title) > 300:
        errors.append(_("The title is longer than 300 characters."))
    kind = context.kinds.get(fold(cells["kind"]))
    if not cells["kind"].strip():
        errors.append(_("The kind is missing."))
    elif kind is None:
        errors.append(
            _("Unknown kind “%(kind)s”: write one of %(kinds)s.")
            % {
                "kind": cells["kind"],
                "kinds": ", ".join(str(label) for label in Activity.Kind.labels),
            }
        )
    start = parse_date(cells["start_date"])
    if not cells["start_date"].strip():
        errors.append(_("The date is missing."))
    elif start is None:
        errors.append(
            _("“%(value)s” is not a date: write it as 2024-03-15 or 15/03/2024.")
            % {"value": cells["start_date"]}
        )
    end = None
    if cells["end_date"].strip():
        end = parse_date(cells["end_date"])
        if end is None:
            errors.append(
                _("“%(value)s” is not a date: write it as 2024-03-15 or 15/03/2024.")
                % {"value": cells["end_date"]}
            )
        elif start and end < start:
            errors.append(_("The activity ends before it starts."))
    for key, limit in (("place", 200), ("region", 100)):
        if len(cells[key]) > limit:
            errors.append(
                _("%(column)s: at most %(limit)s characters.")
                % {"column": label(key), "limit": limit}
            )
    names = _organiser_names(cells["organisers"], context)
    if not names:
        errors.append(_("Name at least one organising member institution."))
    for name in names:
        institution = context.institution(name)
        if institution is None:
            suggestion = context.closest(name)
            errors.append(
                _("Unknown institution “%(name)s”: did you mean “%(suggestion)s”?")
                % {"name": name, "suggestion": suggestion}
                if suggestion
                else _("Unknown institution “%(name)s”: no member institution has this name.")
                % {"name": name}
            )
        elif institution not in checked.organisers:
            checked.organisers.append(institution)
    for sector in Sector:
        values = {
            part: _number(cells[f"{sector.value}_{part}"]) for part in ("total", "women", "men")
        }
        if "bad" in values.values():
            errors.append(
                _("%(sector)s: the participants must be whole numbers.") % {"sector": sector.label}
            )
            continue
        total, women, men = values["total"] or 0, values["women"], values["men"]
        if (women or 0) + (men or 0) > total:
            errors.append(
                _(
                    "%(sector)s: women and men (%(sum)s) add up to more than the participants (%(total)s)."
                )
                % {
                    "sector": sector.label,
                    "sum": figure((women or 0) + (men or 0)),
                    "total": figure(total),
                }
            )
        elif total:
            checked.counts.append((sector.value, total, women, men))
    if title and start:
        key = (fold(title), start)
        if key in context.existing:
            errors.append(_("An activity with this title and date is already in the register."))
        elif key in seen and not checked.skip:
            errors.append(_("The same title and date as row %(line)s.") % {"line": seen[key]})
        elif not checked.skip:
            seen[key] = row["line"]
    checked.activity = {
        "title": title,
        "kind": kind,
        "start_date": start,
        "end_date": end,
        "place": cells["place"].strip(),
        "region": cells["region"].strip(),
        "description": cells["description"].strip(),
    }
    return checked


def check(imported: ActivityImport) -> Preview:
    """Every row checked against the group's data as it is now."""
    context = _Context(imported.rows)
    seen: dict = {}
    return Preview(
        imported, [_check_row(i, row, context, seen) for i, row in enumerate(imported.rows)]
    )
