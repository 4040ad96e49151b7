"""Importing past activities from a spreadsheet: upload, preview, fix or skip rows, import
(``activities.importing`` does the work). The Secretariat's (``MANAGE_ACTIVITIES``); a preview
is its author's (anyone else: 404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activities import importing
from activities.forms import ImportRowForm, ImportUploadForm
from activities.models import Activity, ActivityImport
from vpswg.exports import csv_response, download_response
from vpswg.figures import figure
from vpswg.permissions import requires
from vpswg.roles import Action
from vpswg.uploads import XLSX


def _import(request: HttpRequest, pk: int) -> ActivityImport:
    return get_object_or_404(ActivityImport, pk=pk, created_by=request.user)


@requires(Action.MANAGE_ACTIVITIES)
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            imported = importing.upload(
                working_group=request.working_group,
                actor=request.user,
                file=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect(
                "activities:import_preview", wg=request.working_group.slug, pk=imported.pk
            )
    return render(
        request,
        "activities/import.html",
        {"form": form, "columns": importing.COLUMNS, "max_rows": importing.MAX_ROWS},
    )


@requires(Action.MANAGE_ACTIVITIES)
@require_GET
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    name = _("activities-template")
    if kind == "csv":
        return csv_response(importing.template_csv(request.LANGUAGE_CODE), f"{name}.csv")
    if kind != "xlsx":
        raise Http404
    return download_response(importing.template_xlsx(), f"{name}.xlsx", XLSX.content_type)


@requires(Action.MANAGE_ACTIVITIES)
@require_GET
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    imported = _import(request, pk)
    if imported.status == ActivityImport.Status.IMPORTED:
        return render(request, "activities/import_done.html", {"imported": imported})
    preview = importing.check(imported)
    return render(
        request,
        "activities/import_preview.html",
        {"imported": imported, "preview": preview, "kinds": Activity.Kind.labels},
    )


@requires(Action.MANAGE_ACTIVITIES)
@require_http_methods(["GET", "POST"])
def import_row(request: HttpRequest, pk: int, row: int) -> HttpResponse:
    """One row of the preview: fixed (its cells as typed), skipped, or taken back."""
    imported = _import(request, pk)
    if imported.status != ActivityImport.Status.PREVIEW or not 0 <= row < len(imported.rows):
        raise Http404
    back = redirect("activities:import_preview", wg=request.working_group.slug, pk=imported.pk)
    if request.method == "POST" and request.POST.get("action") in {"skip", "keep"}:
        try:
            importing.skip_row(imported=imported, index=row, skip=request.POST["action"] == "skip")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        back["Location"] += f"#row-{row}"
        return back
    form = ImportRowForm(request.POST or None, cells=imported.rows[row]["cells"])
    if request.method == "POST" and form.is_valid():
        try:
            imported = importing.fix_row(imported=imported, index=row, cells=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            checked = importing.check(imported).rows[row]
            if checked.ok:
                messages.success(
                    request, _("Row %(line)s is ready to import.") % {"line": checked.line}
                )
                back["Location"] += f"#row-{row}"
                return back
            # Kept as typed; shown again with what is still wrong.
            form = ImportRowForm(cells=imported.rows[row]["cells"])
    checked = importing.check(imported).rows[row]
    return render(
        request,
        "activities/import_row.html",
        {
            "imported": imported,
            "row": checked,
            "form": form,
            "kinds": Activity.Kind.labels,
        },
    )


@requires(Action.MANAGE_ACTIVITIES)
@require_POST
def import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    imported = _import(request, pk)
    try:
        count = importing.commit(imported=imported, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s activity imported into the register.",
                "%(count)s activities imported into the register.",
                count,
            )
            % {"count": figure(count)},
        )
    return redirect("activities:import_preview", wg=request.working_group.slug, pk=imported.pk)
