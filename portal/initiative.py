"""The Initiative's view: an operator page and its export, one row per working group and year,
of the figures each group agreed to share (``activities.initiative``). Served under the admin
site (staff with a second factor: ``vpswg.admin_site``), registered by ``portal.admin``."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from activities import initiative
from activities.models import Activity, Sector
from vpswg.exports import csv_bytes, csv_response
from vpswg.roles import Pillar

#: Years shown at once (the year asked for and the ones before it).
YEARS = 3


def _years(request: HttpRequest) -> list[int]:
    this_year = timezone.localdate().year
    try:
        last = int(request.GET.get("year", this_year - 1))
    except (TypeError, ValueError):
        last = this_year - 1
    last = min(max(last, 2000), this_year)
    return list(range(last - YEARS + 1, last + 1))


@require_GET
def initiative_view(request: HttpRequest) -> HttpResponse:
    from django.contrib import admin

    years = _years(request)
    rows = initiative.rows(years)
    export = request.GET.get("format")
    if export == "json":
        response = JsonResponse(
            {
                "years": years,
                "min_count": initiative.min_count(),
                "rows": [initiative.flat(r) for r in rows],
            },
            json_dumps_params={"ensure_ascii": False, "indent": 1},
        )
        response["Content-Disposition"] = 'attachment; filename="vpswg-initiative.json"'
        response["Cache-Control"] = "private, no-store"
        return response
    if export == "csv":
        flat = [initiative.flat(r) for r in rows]
        columns = list(dict.fromkeys(k for row in flat for k in row))
        body = csv_bytes(
            columns, [[_cell(row.get(c)) for c in columns] for row in flat], language="en"
        )
        return csv_response(body, "vpswg-initiative.csv")
    context = {
        **admin.site.each_context(request),
        "title": _("The Initiative's view"),
        "rows": [_display(r) for r in rows],
        "years": years,
        "year": years[-1],
        "min_count": initiative.min_count(),
    }
    return render(request, "admin/initiative.html", context)


def _percent(value: float | None) -> str | None:
    return None if value is None else f"{round(value * 100)} %"


def _display(row: initiative.GroupYear) -> dict:
    """The row as the page shows it: labels in the reader's language, shares as percentages."""
    kinds, sectors = dict(Activity.Kind.choices), dict(Sector.choices)
    out: dict = {"group": row.group, "year": row.year, "shares": row.shares}
    meetings = row.family("meetings")
    if meetings is not None:
        out["meetings"] = {
            "held": meetings["plenaries_held"],
            "expected": meetings["plenaries_expected"],
            "attendance": [
                (label, _percent(meetings["attendance_by_pillar"][value]))
                for value, label in Pillar.choices
            ],
            "host_state": _percent(meetings["host_state_present"]),
        }
    activities = row.family("activities")
    if activities is not None:
        out["activities"] = {
            "total": activities["activities"],
            "by_kind": [(kinds.get(k, k), n) for k, n in activities["activities_by_kind"].items()],
            "participants": activities["participants"],
            "by_sector": [
                (sectors.get(k, k), n) for k, n in activities["participants_by_sector"].items()
            ],
        }
    out["membership"] = row.family("membership")
    out["minutes"] = row.family("minutes")
    return out


def _cell(value) -> str:
    """Withheld (None) is empty; a share with three decimals; the rest as it is."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return json.dumps(value)
    return str(value)
