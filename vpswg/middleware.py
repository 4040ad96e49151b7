"""Request middleware: the working group from the URL, MFA enrolment, and the page language."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from vpswg.models import RoleAssignment, User, WorkingGroup
from vpswg.permissions import group_permissions
from vpswg.roles import PRIVILEGED_ROLES
from vpswg.scoping import group_scope


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
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        request.url_match = match
        if match is None:
            return self.get_response(request)
        slug = match.kwargs.get("wg")
        if slug is None:
            return self.get_response(request)
        group = WorkingGroup.objects.filter(slug=slug).first()
        if group is None:
            raise Http404
        request.working_group = group
        # Dates and times of a group are shown, and typed, in the group's time zone.
        timezone.activate(group.zone)
        with group_scope(group):
            if request.user.is_authenticated:
                held = list(
                    RoleAssignment.objects.filter(user=request.user).values_list("role", "pillar")
                )
                request.wg_roles = frozenset(role for role, _ in held)
                request.wg_seats = frozenset(pillar for _, pillar in held if pillar)
                if request.wg_roles:
                    request.wg_perms = group_permissions(request.user, group)
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


def needs_mfa_enrolment(user: User) -> bool:
    """True when the user holds a Secretariat or Coordination role anywhere but has no TOTP."""
    # A user's own roles across all groups: the rule applies whatever group they are in.
    privileged = RoleAssignment.objects.with_scopes_disabled().filter(
        user=OuterRef("pk"), role__in=PRIVILEGED_ROLES
    )
    totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(privileged=Exists(privileged), has_totp=Exists(totp))
        .values_list("privileged", "has_totp")
        .first()
    )
    return bool(row and row[0] and not row[1])


class MFARequiredMiddleware:
    """Secretariat and Coordination accounts reach nothing but MFA setup until they enrol.

    allauth offers MFA but cannot require it; this middleware does. With ``ENFORCE_MFA`` off
    (the local demo only; production refuses to start so) it lets requests through and the
    layout shows a banner saying so.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.ENFORCE_MFA or not request.user.is_authenticated:
            return self.get_response(request)
        match = getattr(request, "url_match", None)
        url_name = match.url_name if match is not None else None
        if url_name in MFA_ENROLMENT_URL_NAMES or not needs_mfa_enrolment(request.user):
            return self.get_response(request)
        target = reverse("mfa_activate_totp")
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)


class LanguageMiddleware:
    """Choose the page language: the visitor's choice, their account, the group, the browser.

    Replaces Django's LocaleMiddleware (the URLs carry no language prefix) so that the
    working group's default language applies to visitors who have not chosen one: a public
    page of the Peruvian group opens in Spanish.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        supported = {code for code, _ in settings.LANGUAGES}
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in supported:
            language = None
        if language is None and request.user.is_authenticated and request.user.language:
            language = request.user.language
        if language is None and getattr(request, "working_group", None) is not None:
            language = request.working_group.default_language
        if language not in supported:
            language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
