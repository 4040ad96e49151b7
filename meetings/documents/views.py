"""The document library, a document's page and its files, and the meeting pack.

Who reads what is ``meetings.documents.access``; a document the reader may not read answers
404, like another group's.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meetings.access import Reader
from meetings.documents import pack as pack_service
from meetings.documents import services
from meetings.documents.access import may_read, public_documents, visible_documents
from meetings.documents.forms import (
    DocumentDetailsForm,
    DocumentForm,
    LibraryFilterForm,
    VersionForm,
)
from meetings.models import Document, Meeting, PackJob
from meetings.views.common import _meeting, members_or_guests
from vpswg.forms import posted_id
from vpswg.permissions import public, requires
from vpswg.roles import Action
from vpswg.uploads import attachment_response

PER_PAGE = 25


def _document(request: HttpRequest, pk: int) -> Document:
    document = get_object_or_404(
        Document.objects.select_related("meeting", "agenda_item", "current_version"), pk=pk
    )
    if document.current_version_id is None or not may_read(Reader.of(request), document):
        raise Http404
    return document


def _detail(request: HttpRequest, document: Document) -> HttpResponse:
    return redirect(
        reverse("documents:detail", kwargs={"wg": request.working_group.slug, "pk": document.pk})
    )


@requires(Action.VIEW_MEETINGS)
@require_GET
def library(request: HttpRequest) -> HttpResponse:
    reader = Reader.of(request)
    documents = visible_documents(reader)
    years = [d.year for d in documents.dates("date", "year", order="DESC")]
    form = LibraryFilterForm(request.GET or None, years=years)
    if form.is_valid():
        if form.cleaned_data["kind"]:
            documents = documents.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["year"]:
            documents = documents.filter(date__year=form.cleaned_data["year"])
    documents = documents.select_related("meeting", "current_version").order_by("-date", "-pk")
    page = Paginator(documents, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/documents/library.html",
        {"page": page, "filter_form": form, "can_manage": reader.manages},
    )


@requires(Action.MANAGE_MEETINGS)
@require_http_methods(["GET", "POST"])
def document_new(request: HttpRequest) -> HttpResponse:
    meeting = None
    meeting_id = request.GET.get("meeting") or request.POST.get("for_meeting")
    if meeting_id:
        meeting = get_object_or_404(Meeting, pk=posted_id(meeting_id) or 0)
    initial = {}
    item = posted_id(request.GET.get("item"))
    if item is not None:
        initial["agenda_item"] = item
    if meeting is not None:
        initial["date"] = meeting.start.date()
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        group=request.working_group,
        meeting=meeting,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            document = services.add_document(
                working_group=request.working_group,
                actor=request.user,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data.get("note", ""),
                **form.details(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The document is added."))
            if meeting is not None:
                return redirect(
                    reverse(
                        "meetings:detail",
                        kwargs={"wg": request.working_group.slug, "pk": meeting.pk},
                    )
                    + "#documents"
                )
            return _detail(request, document)
    return render(
        request,
        "meetings/documents/document_form.html",
        {"form": form, "meeting": meeting, "items": form.items},
        status=400 if request.method == "POST" else 200,
    )


@requires(Action.VIEW_MEETINGS)
@require_GET
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    reader = Reader.of(request)
    return render(
        request, "meetings/documents/document.html", _detail_context(request, document, reader)
    )


def _detail_context(request, document: Document, reader: Reader, **forms) -> dict:
    context = {
        "document": document,
        "versions": list(document.versions.select_related("uploaded_by")),
        "can_manage": reader.manages,
    }
    if reader.manages:
        context["details_form"] = forms.get("details_form") or DocumentDetailsForm(
            group=request.working_group,
            initial={
                "title": document.title,
                "kind": document.kind,
                "language": document.language,
                "date": document.date,
                "audience": document.audience,
                "description": document.description,
                "meeting": document.meeting_id,
                "agenda_item": document.agenda_item_id,
            },
        )
        context["version_form"] = forms.get("version_form") or VersionForm()
        context["details_form"].items_of_meeting = (
            list(document.meeting.agenda_items.order_by("position", "pk"))
            if document.meeting is not None
            else []
        )
    return context


@requires(Action.MANAGE_MEETINGS)
@require_POST
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    form = DocumentDetailsForm(request.POST, group=request.working_group)
    if form.is_valid():
        try:
            services.change_document(document=document, actor=request.user, **form.details())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The document's details are saved."))
            return _detail(request, document)
    context = _detail_context(request, document, Reader.of(request), details_form=form)
    return render(request, "meetings/documents/document.html", context, status=400)


@requires(Action.MANAGE_MEETINGS)
@require_POST
def document_version(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        version = services.add_version(
            document=document,
            actor=request.user,
            upload=form.cleaned_data["file"],
            note=form.cleaned_data.get("note", ""),
        )
        messages.success(
            request, _("Version %(number)s is the one read now.") % {"number": version.number}
        )
        return _detail(request, document)
    context = _detail_context(request, document, Reader.of(request), version_form=form)
    return render(request, "meetings/documents/document.html", context, status=400)


@requires(Action.MANAGE_MEETINGS)
@require_POST
def document_remove(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    title = document.title
    services.remove_document(document=document, actor=request.user)
    messages.success(request, _("“%(title)s” is removed, with its versions.") % {"title": title})
    return redirect(reverse("documents:library", kwargs={"wg": request.working_group.slug}))


@requires(Action.VIEW_MEETINGS)
@require_GET
def document_file(request: HttpRequest, pk: int, number: int | None = None) -> HttpResponse:
    document = _document(request, pk)
    if number is None:
        version = document.current_version
    else:
        version = get_object_or_404(document.versions, number=number)
    return attachment_response(version.file, version.file_name, version.file_type)


@public
@require_GET
def public_file(request: HttpRequest, pk: int) -> HttpResponse:
    """A public document, for anyone (the group's public page links it)."""
    document = get_object_or_404(public_documents().select_related("current_version"), pk=pk)
    version = document.current_version
    return attachment_response(version.file, version.file_name, version.file_type)


# --- The meeting pack --------------------------------------------------------------------------


def _pack_meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting, access = _meeting(request, pk)
    if access.guest:
        raise Http404
    return meeting


def _job(request: HttpRequest, meeting: Meeting, job: int) -> PackJob:
    return get_object_or_404(PackJob, pk=job, meeting=meeting, requested_by=request.user)


@members_or_guests
@require_POST
def pack_start(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _pack_meeting(request, pk)
    job, _started = pack_service.request_pack(meeting=meeting, actor=request.user)
    if request.htmx:
        return render(
            request, "meetings/documents/pack_status.html", _pack_context(request, job, meeting)
        )
    return redirect(
        reverse("meetings:detail", kwargs={"wg": request.working_group.slug, "pk": meeting.pk})
        + f"?pack={job.pk}#documents"
    )


@members_or_guests
@require_GET
def pack_status(request: HttpRequest, pk: int, job: int) -> HttpResponse:
    meeting = _pack_meeting(request, pk)
    job = _job(request, meeting, job)
    # htmx polls the fragment; a person without JavaScript reloads a page around it.
    template = "pack_status.html" if request.htmx else "pack_page.html"
    return render(request, f"meetings/documents/{template}", _pack_context(request, job, meeting))


def _pack_context(request, job: PackJob, meeting: Meeting) -> dict:
    return {
        "job": job,
        "meeting": meeting,
        "lost": pack_service.is_lost(job),
        "readable": pack_service.still_readable(job, Reader.of(request)),
    }


@members_or_guests
@require_GET
def pack_file(request: HttpRequest, pk: int, job: int) -> HttpResponse:
    meeting = _pack_meeting(request, pk)
    job = _job(request, meeting, job)
    if not pack_service.still_readable(job, Reader.of(request)):
        raise Http404
    name = _("Meeting pack - %(title)s.pdf") % {"title": meeting.title[:80]}
    return attachment_response(job.file, name, "application/pdf")
