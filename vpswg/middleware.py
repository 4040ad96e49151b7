"""Request middleware: NUL refused, the working group from the URL, MFA enrolment, and the page
language."""

from __future__ import annotations

import time

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from vpswg.models import RoleAssignment, User, WorkingGroup
from vpswg.permissions import group_permissions
from vpswg.roles import PRIVILEGED_ROLES
from vpswg.scoping import group_scope
from vpswg.services.groups import memberships


class SessionRefreshMiddleware:
    """Sliding session expiry with at most one session write every few minutes.

    ``SESSION_SAVE_EVERY_REQUEST`` would reset the inactivity clock with a write to the session
    store on every request; marking the session modified once every
    ``SESSION_REFRESH_SECONDS`` keeps the expiry sliding to within those minutes.
    """

    KEY = "_vpswg_refreshed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key and not session.is_empty():
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[self.KEY] = now
        return response


def _has_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())


class RequestSizeMiddleware:
    """Answer 413 to a request body larger than any form of ours takes, before it is read.

    Django reads a request's body when a view (or the CSRF check) first asks for a form
    field, and writes an upload larger than a few megabytes to a temporary file: a
    multi-gigabyte POST to the public application form would fill the disk before any check
    of the file ran. The largest legitimate body is one document (``vpswg.uploads``) and the
    form around it. The TLS proxy should refuse it even earlier (``client_max_body_size``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            from django.template.loader import render_to_string

            language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            if language not in {code for code, _ in settings.LANGUAGES}:
                language = settings.LANGUAGE_CODE
            with translation.override(language):
                body = render_to_string("413.html", {"limit": settings.MAX_REQUEST_BYTES})
            response = HttpResponse(body, status=413)
            response["Connection"] = "close"  # what is left of the body is not read
            return response
        return self.get_response(request)


class RefuseNulMiddleware:
    """Answer 400 to a request with NUL in a query parameter or a form field (name or value).

    PostgreSQL stores no NUL in text and compares none: one that reaches a query (a filter, a
    lookup, a saved field) raises there, a 500. No page of ours has a use for it, so it is
    refused once, before any view reads the request, rather than stripped in every view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            raise BadRequest("NUL character in a query parameter or form field")
        return self.get_response(request)


class WorkingGroupMiddleware:
    """Resolve ``/<wg>/...`` once, attach the group and the user's roles, run the view in scope.

    Sets ``request.working_group`` (or None), ``request.wg_roles`` (a frozenset of role values),
    ``request.wg_seats`` (pillars of the user's Coordination seats) and ``request.wg_perms``
    (permission codenames from guardian). The view and its template render inside the group's
    scope, so any query on another group's rows raises instead of leaking.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.working_group = None
        request.wg_roles = frozenset()
        request.wg_seats = frozenset()
        request.wg_perms = frozenset()
        group = url_group(request)
        if request.url_match is None or request.url_match.kwargs.get("wg") is None:
            return self.get_response(request)
        if group is None:
            raise Http404
        here = [a for a in request_memberships(request) if a.working_group_id == group.pk]
        request.working_group = group
        request.wg_roles = frozenset(a.role for a in here)
        request.wg_seats = frozenset(a.pillar for a in here if a.pillar)
        # Dates and times of a group are shown, and typed, in the group's time zone.
        timezone.activate(group.zone)
        with group_scope(group):
            if request.wg_roles:
                request.wg_perms = group_permissions(request.user, group, request.wg_roles)
            try:
                return self.get_response(request)
            finally:
                timezone.deactivate()

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Group views read request.working_group; the slug itself is not their business.
        view_kwargs.pop("wg", None)


#: URL names a user who must enrol a second factor may still reach.
MFA_ENROLMENT_URL_NAMES = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "account_logout",
        "account_confirm_email",
        "account_email_verification_sent",
        "set_language",
        "healthz",
    }
)


def request_memberships(request: HttpRequest) -> list[RoleAssignment]:
    """The signed-in user's roles in every group, read once per request."""
    if not hasattr(request, "_memberships"):
        request._memberships = memberships(request.user)
    return request._memberships


def url_group(request: HttpRequest) -> WorkingGroup | None:
    """The working group the URL names (None: no group's URL, or no group of that slug).

    Found once per request and kept on it with the resolved URL (``request.url_match``): the
    page language, chosen before the group's pages run (a 404 for a mistyped group speaks the
    reader's language too), may fall back on the group's default language.
    """
    if not hasattr(request, "_url_group"):
        try:
            request.url_match = resolve(request.path_info)
        except Resolver404:
            request.url_match = None
        slug = request.url_match.kwargs.get("wg") if request.url_match is not None else None
        group = None
        if slug is not None:
            # One query for the user's roles everywhere (with their groups): the roles here,
            # the group itself when they hold one, the group switcher and the MFA rule.
            held = [a for a in request_memberships(request) if a.working_group.slug == slug]
            group = (
                held[0].working_group if held else WorkingGroup.objects.filter(slug=slug).first()
            )
        request._url_group = group
    return request._url_group


#: How long "this user has a TOTP authenticator" is remembered between requests.
TOTP_CACHE_SECONDS = 300


def totp_cache_key(user_id: int) -> str:
    return f"mfa:totp:{user_id}"


def holds_privileged_role(user: User, held: list[RoleAssignment]) -> bool:
    """Secretariat or Coordination anywhere, or the platform operator (staff, superuser).

    The operator reads no minutes, but creates groups and appoints their Secretariat: one
    stolen operator password must not be enough to make oneself the Secretariat of a group.
    """
    return user.is_staff or user.is_superuser or any(a.role in PRIVILEGED_ROLES for a in held)


def needs_mfa_enrolment(user: User, held: list[RoleAssignment] | None = None) -> bool:
    """True when the user holds a privileged role (see ``holds_privileged_role``) but no TOTP.

    That the user has one is kept in the cache (a query on every Secretariat page otherwise);
    adding or removing an authenticator forgets it (``vpswg.signals``). Only "has one" is
    kept: a remembered "has none" could outlive an enrolment made meanwhile and lock the user
    out. A removal racing a request can leave "has one" for at most ``TOTP_CACHE_SECONDS``.
    """
    # A user's own roles across all groups: the rule applies whatever group they are in.
    held = memberships(user) if held is None else held
    if not holds_privileged_role(user, held):
        return False
    key = totp_cache_key(user.pk)
    if cache.get(key):
        return False
    enrolled = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    if enrolled:
        cache.set(key, True, TOTP_CACHE_SECONDS)
    return not enrolled


class MFARequiredMiddleware:
    """Privileged accounts reach nothing but MFA setup until they enrol.

    Privileged: the Secretariat and Coordination Group of any group, and the platform operator
    (staff and superusers; the admin site checks it again, ``vpswg.admin_site``). allauth
    offers MFA but cannot require it; this middleware does. With ``ENFORCE_MFA`` off (the local
    demo only; production refuses to start so) it lets requests through and the layout shows
    a banner saying so.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.ENFORCE_MFA or not request.user.is_authenticated:
            return self.get_response(request)
        match = getattr(request, "url_match", None)
        url_name = match.url_name if match is not None else None
        if url_name in MFA_ENROLMENT_URL_NAMES or not needs_mfa_enrolment(
            request.user, request_memberships(request)
        ):
            return self.get_response(request)
        target = reverse("mfa_activate_totp")
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)


def activate_language(request: HttpRequest) -> str:
    """Choose and activate the page language: the visitor's choice, their account, the group,
    the browser. Called again when signing in changes whom the request is for (the
    messages queued then must speak the next page's language: ``vpswg.adapters``)."""
    supported = {code for code, _ in settings.LANGUAGES}
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if language not in supported:
        language = None
    if language is None and request.user.is_authenticated and request.user.language:
        language = request.user.language
    if language is None and (group := url_group(request)) is not None:
        language = group.default_language
    if language not in supported:
        language = translation.get_language_from_request(request)
    translation.activate(language)
    request.LANGUAGE_CODE = translation.get_language()
    return request.LANGUAGE_CODE


class LanguageMiddleware:
    """Choose the page language (``activate_language``) for the request, and drop it after.

    Replaces Django's LocaleMiddleware (the URLs carry no language prefix) so that the
    working group's default language applies to visitors who have not chosen one: a public
    page of the Peruvian group opens in Spanish. It runs before ``WorkingGroupMiddleware``
    (the group comes from ``url_group``), so that the group middleware's own answers are in
    the chosen language too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        activate_language(request)
        try:
            response = self.get_response(request)
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
            response.headers.setdefault("Content-Language", translation.get_language())
        finally:
            # The language is the thread's: it must not outlive the request (the next one on
            # this thread, a task run in-process, a test, would speak the last group's language).
            translation.deactivate()
        return response
