"""The baseline: the least a signed-in Django page does on these settings (session from Redis,
the user, one query, a template of 50 rows). Product pages are measured against it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from vpswg.models import User


@login_required
def baseline(request):
    rows = list(User.objects.order_by("id").values("id", "email", "full_name", "date_joined")[:50])
    return render(request, "bench/baseline.html", {"rows": rows})


def chrome(request):
    """The layout alone (header, navigation, footer) of a group page: what every page pays."""
    return render(request, "base.html", {})
