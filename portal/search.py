"""The search page: one box for everyone holding a role in the group, over what each may read.

The reader's scope (``vpswg.search.query.Scope``) is made from the permissions of this
request and the policy of ``meetings.access``: their permissions, ``SEATS`` for the Secretariat
and the seats, the closed meetings they were given, and the attributed record for the
Secretariat alone, whose results name who said each statement (opened here, for the page's
statements only: ``meetings.search.speaker_labels``).
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from meetings.access import Reader
from meetings.forms import FilterForm
from meetings.search import speaker_labels
from vpswg.forms import FilterSelect
from vpswg.models import SearchEntry
from vpswg.models.search import SEATS
from vpswg.permissions import requires
from vpswg.roles import Action
from vpswg.search.query import MAX_QUERY, Scope, years
from vpswg.search.query import search as run_search


class SearchForm(FilterForm):
    """The words, and the meetings list's filters with the kinds of results."""

    q = forms.CharField(
        label=_("Search"), max_length=1000, required=False, widget=forms.SearchInput
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("Everything")), *SearchEntry.Kind.choices],
        required=False,
        widget=FilterSelect,
    )

    field_order = ["q", "kind", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"maxlength": str(MAX_QUERY), "autocomplete": "off"})


def scope_of(reader: Reader) -> Scope:
    keys = set(reader.perms)
    confidential = reader.manages or reader.reviews
    if confidential:
        keys.add(SEATS)
    return Scope(
        keys=frozenset(keys),
        all_closed=confidential,
        closed_grants=frozenset() if confidential else reader.closed_grants(),
        attributed=reader.edits_minutes,
    )


@requires(Action.VIEW_DASHBOARD)
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    reader = Reader.of(request)
    scope = scope_of(reader)
    form = SearchForm(request.GET or None, years=years(scope))
    form.is_valid()
    # A filter that is not one of the choices (a year with nothing in it, from an old link) is
    # left out, and said so on the form; the words are searched all the same.
    data = getattr(form, "cleaned_data", {})
    text, kind, year = data.get("q", ""), data.get("kind", ""), data.get("year")
    page, results = run_search(scope, text, kind=kind, year=year, page=request.GET.get("page", 1))
    if scope.attributed:
        statements = {
            int(r.entry.part[1:]): r
            for r in results
            if r.entry.rendering == "attributed"
            and r.entry.part[:1] == "c"
            and r.entry.part[1:].isdigit()
        }
        for pk, label in speaker_labels(list(statements)).items():
            statements[pk].speaker = label
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/search.html",
        {
            "form": form,
            "text": text,
            "page": page,
            "results": results,
            "query": query.urlencode(),
            "attributed": scope.attributed,
        },
    )
