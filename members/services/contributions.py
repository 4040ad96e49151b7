"""Contributions of the member institutions to the group's running (seed step 6c), and the
yearly summary by pillar that the reports and the annual PDF show.

Who gave how much is the Secretariat's to see; a member sees its own institution's entries and
the totals by pillar, and other institutions' entries only where the group's settings say so
(``WorkingGroup.contributions_shown_to_members``). A pillar's total of one currency given by a
single institution would be that institution's amount: where amounts are not shown, such a
total is not shown either (``MIN_CONTRIBUTORS``), only that there was one.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import GroupContribution, Institution
from vpswg.models import User, WorkingGroup
from vpswg.roles import Action, Pillar
from vpswg.services.audit import record

Kind = GroupContribution.Kind
#: Below this many institutions, a pillar's total in a currency is not shown to those who may
#: not see the amounts: it would be one institution's, or tell two of them each other's.
MIN_CONTRIBUTORS = 3
CURRENCY = re.compile(r"^[A-Z]{3}$")
OBSERVERS = "observers"


class ContributionError(ValidationError):
    """A contribution that cannot be recorded as given; the message says why."""


@transaction.atomic
def record_contribution(
    *,
    working_group: WorkingGroup,
    actor: User,
    institution: Institution,
    year: int,
    kind: str,
    amount: Decimal | None = None,
    currency: str = "",
    description: str = "",
) -> GroupContribution:
    currency = currency.strip().upper()
    this_year = timezone.localdate().year
    if institution.working_group_id != working_group.pk:
        raise ContributionError(_("Choose an institution of the group."))
    if not 2000 <= year <= this_year + 1:
        raise ContributionError(_("Give a year from 2000 to %(last)s.") % {"last": this_year + 1})
    if kind not in Kind.values:
        raise ContributionError(_("Choose the kind of contribution."))
    if amount is not None and amount <= 0:
        raise ContributionError(_("An amount is more than zero."))
    if kind == Kind.FINANCIAL and amount is None:
        raise ContributionError(_("Give the amount of a financial contribution."))
    if amount is not None and not CURRENCY.match(currency):
        raise ContributionError(
            _("Give the currency as its three-letter code, e.g. PEN, USD or EUR.")
        )
    if kind != Kind.FINANCIAL and not description.strip():
        raise ContributionError(
            _("Say what was given in kind, e.g. the venue of the March plenary.")
        )
    entry = GroupContribution.objects.create(
        working_group=working_group,
        institution=institution,
        year=year,
        kind=kind,
        amount=amount,
        currency=currency if amount is not None else "",
        description=description.strip(),
        recorded_by=actor,
    )
    record(
        working_group=working_group,
        actor=actor,
        verb="contribution.recorded",
        obj=entry,
        to_state=kind,
        data={"institution": institution.pk, "year": year},
    )
    return entry


@transaction.atomic
def delete_contribution(*, entry: GroupContribution, actor: User) -> None:
    record(
        working_group=entry.working_group,
        actor=actor,
        verb="contribution.deleted",
        obj=entry,
        from_state=entry.kind,
        data={"institution": entry.institution_id, "year": entry.year},
    )
    entry.delete()


# --- The summary by pillar ----------------------------------------------------------------------


@dataclass
class Money:
    currency: str
    total: Decimal
    institutions: int
    shown: bool


@dataclass
class PillarSummary:
    pillar: str
    label: str
    money: list[Money] = field(default_factory=list)
    in_kind: dict[str, int] = field(default_factory=dict)
    institutions: int = 0

    @property
    def in_kind_total(self) -> int:
        return sum(self.in_kind.values())

    @property
    def in_kind_list(self) -> list[tuple[str, int]]:
        labels = dict(Kind.choices)
        return [(str(labels[k]), n) for k, n in sorted(self.in_kind.items())]


@dataclass
class YearSummary:
    year: int
    pillars: list[PillarSummary]

    @property
    def empty(self) -> bool:
        return not any(p.institutions for p in self.pillars)


def summaries(years: list[int] | None = None, *, amounts_shown: bool) -> list[YearSummary]:
    """The totals by year and pillar (observers apart), latest year first: three queries
    whatever the entries. ``amounts_shown``: whether the reader may see each institution's
    amounts; if not, a total of fewer than ``MIN_CONTRIBUTORS`` institutions is withheld.
    In the active group's scope."""
    qs = GroupContribution.objects.all()
    if years is not None:
        qs = qs.filter(year__in=years)
    money = (
        qs.exclude(amount__isnull=True)
        .values("year", "institution__pillar", "currency")
        .annotate(total=Sum("amount"), n=Count("institution_id", distinct=True))
        .order_by()
    )
    counts = qs.values("year", "institution__pillar", "kind").annotate(n=Count("id")).order_by()
    institutions = (
        qs.values("year", "institution__pillar")
        .annotate(n=Count("institution_id", distinct=True))
        .order_by()
    )
    table: dict[int, dict[str, PillarSummary]] = defaultdict(dict)

    def cell(year: int, pillar: str) -> PillarSummary:
        key = pillar or OBSERVERS
        row = table[year]
        if not row:
            for p in Pillar:
                row[p.value] = PillarSummary(p.value, str(p.label))
            row[OBSERVERS] = PillarSummary(OBSERVERS, _("Observers"))
        return row[key]

    for r in institutions:
        cell(r["year"], r["institution__pillar"]).institutions = r["n"]
    for r in money:
        cell(r["year"], r["institution__pillar"]).money.append(
            Money(
                currency=r["currency"],
                total=r["total"],
                institutions=r["n"],
                shown=amounts_shown or r["n"] >= MIN_CONTRIBUTORS,
            )
        )
    for r in counts:
        if r["kind"] != Kind.FINANCIAL:
            cell(r["year"], r["institution__pillar"]).in_kind[r["kind"]] = r["n"]
    result = []
    for year in sorted(table, reverse=True):
        pillars = list(table[year].values())
        for p in pillars:
            p.money.sort(key=lambda m: m.currency)
        result.append(YearSummary(year, pillars))
    return result


def amounts_shown_to(working_group: WorkingGroup, perms) -> bool:
    """Whether a reader with these permissions sees each institution's amounts."""
    return Action.MANAGE_MEMBERSHIP.value in perms or working_group.contributions_shown_to_members
