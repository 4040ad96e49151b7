"""What the membership pages share: the group's institution or application (another group's
is not found), and a service's refusal shown on the form that asked."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse

from members.models import Application, Institution
from members.queries import (
    reviewable,
)


def _institution(request: HttpRequest, pk: int) -> Institution:
    # The scope limits the lookup to the URL's group: another group's id is simply not found.
    return get_object_or_404(Institution, pk=pk)


def _application(request: HttpRequest, pk: int) -> Application:
    return get_object_or_404(reviewable(), pk=pk)


def _url(request: HttpRequest, name: str, **kwargs) -> str:
    return reverse(name, kwargs={"wg": request.working_group.slug, **kwargs})


def _form_errors_to(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)
