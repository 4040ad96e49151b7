"""The platform operator's admin site: a second factor to enter, a fresh confirmation to change.

Installed the Django way (``VpswgAdminConfig`` in ``INSTALLED_APPS`` in place of
``django.contrib.admin``), so ``admin.site`` everywhere is this site. The operator is a
privileged role (DESIGN.md): the MFA middleware sends staff without TOTP to enrolment, and the
site refuses them again itself in case a request reaches it some other way. Every request that
changes something needs a recent sign-in or confirmation through allauth (password or TOTP):
a session left open, or taken, is not enough to appoint a Secretariat.

This module is imported while the app registry is being populated: allauth (whose modules
define models) is imported inside the functions.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

#: Requests that need no confirmation. Every other method is taken as a change, whether or not
#: the admin view would treat it as one.
READING_METHODS = frozenset({"GET", "HEAD"})


class VpswgAdminConfig(AdminConfig):
    default_site = "vpswg.admin_site.VpswgAdminSite"


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def signed_in_recently(request: HttpRequest) -> bool:
    """Whether this session's last sign-in step is within ``ACCOUNT_REAUTHENTICATION_TIMEOUT``.

    allauth keeps in the session a record of each authentication step
    (``record_authentication``: the password, then the TOTP code), but its own "recently" counts
    confirmations only, not the sign-in itself: left alone, an operator would be asked for the
    password again on the first change a minute after signing in with it and a code. A sign-in
    is as good a proof as a confirmation, so it counts here for the same window. Only steps of
    the methods allowed for confirmation count (``ACCOUNT_REAUTHENTICATION_METHODS``: password,
    TOTP).
    """
    from allauth.account import app_settings
    from allauth.account.internal.flows.login import get_authentication_records

    records = [
        r
        for r in get_authentication_records(request, request.user)
        if r.get("method") in app_settings.REAUTHENTICATION_METHODS
    ]
    if not records:
        return False
    return time.time() - records[-1]["at"] < app_settings.REAUTHENTICATION_TIMEOUT


def needs_confirmation(request: HttpRequest) -> bool:
    """A change (any method but GET and HEAD) without a recent sign-in: allauth then checks its
    own record of confirmations, and if there is none recent either, asks for one."""
    return request.method not in READING_METHODS and not signed_in_recently(request)


class VpswgAdminSite(admin.AdminSite):
    site_header = "vpswg"
    site_title = "vpswg"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        #: Operator pages of the apps above the kernel (``register_view``): (route, view, name).
        self.extra_views: list[tuple[str, object, str]] = []

    def register_view(self, route: str, view, name: str) -> None:
        """An operator page of an app the kernel may not import (the Initiative's view is the
        portal's): served under the admin, with its checks (staff, the second factor)."""
        self.extra_views.append((route, view, name))

    def get_urls(self):
        from django.urls import path

        extra = [
            path(route, self.admin_view(view), name=name) for route, view, name in self.extra_views
        ]
        return extra + super().get_urls()

    def each_context(self, request):
        context = super().each_context(request)
        context["extra_views"] = [name for _route, _view, name in self.extra_views]
        return context

    def has_permission(self, request: HttpRequest) -> bool:
        if not super().has_permission(request):
            return False
        # Asked of the database, not the middleware's cache: this is the second check.
        return not settings.ENFORCE_MFA or has_totp(request.user)

    def login(self, request: HttpRequest, extra_context=None):
        """allauth's sign-in (rate limits, the TOTP step) instead of Django's password form.

        An operator who is signed in but has no second factor is sent to enrol one: Django's
        form would offer to sign in again with a password alone.
        """
        from allauth.account.decorators import secure_admin_login

        user = request.user
        if (
            settings.ENFORCE_MFA
            and user.is_authenticated
            and user.is_active
            and user.is_staff
            and not has_totp(user)
        ):
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return secure_admin_login(super().login)(request, extra_context)

    def admin_view(self, view, cacheable: bool = False):
        """Every admin view: Django's checks (permission, CSRF), then allauth's confirmation for
        a change. allauth's ``ReauthenticationRequired`` is turned by its ``AccountMiddleware``
        into a redirect to the confirmation page, which replays the stashed POST once confirmed.
        Signing out is not a change that needs confirming."""
        from allauth.account.decorators import reauthentication_required

        if view != self.logout:
            view = reauthentication_required(view, enabled=needs_confirmation)
        return super().admin_view(view, cacheable)
