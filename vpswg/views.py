"""Views of the kernel: front page, audit log, group settings, notifications, language, health
and error pages (a group's home page is the portal's). Thin: they call services and queries."""

from __future__ import annotations

import logging
import sys
from urllib.parse import urlencode

import redis
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db import utils as db_errors
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from vpswg.forms import GroupSettingsForm, governed_values
from vpswg.models import AuditEntry, Notification, WorkingGroup
from vpswg.permissions import public, requires, signed_in
from vpswg.roles import Action
from vpswg.scoping import group_scope
from vpswg.services import audit as audit_service
from vpswg.services import notifications as notification_service
from vpswg.services.groups import groups_of, update_settings
from vpswg.services.invitations import read_token

logger = logging.getLogger(__name__)

PAGE_SIZE = 50


@public
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    listed = WorkingGroup.objects.filter(is_listed=True).order_by("name")
    return render(
        request,
        "vpswg/home.html",
        {"listed_groups": listed, "my_groups": groups_of(request.user)},
    )


@requires(Action.VIEW_AUDIT_LOG)
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """The group's log, newest first, and whether its chain verifies (kept: see
    ``chain_status``). The htmx partial (the filtered entries) does not verify again."""
    entries = AuditEntry.objects.select_related("actor").order_by("-created_at", "-id")
    # A NUL (which PostgreSQL refuses in a string) never gets here: RefuseNulMiddleware.
    verb = request.GET.get("verb", "").strip()
    if verb:
        entries = entries.filter(verb__startswith=verb)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "verb": verb}
    if request.htmx:
        template = "vpswg/audit_log.html#entries"
    else:
        template = "vpswg/audit_log.html"
        context["chain"] = audit_service.chain_status(request.working_group)
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


def _own_notifications(request: HttpRequest):
    return Notification.objects.filter(recipient=request.user, in_app=True)


@signed_in
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    groups = groups_of(request.user)
    with group_scope([g.pk for g in groups]):
        page = Paginator(
            _own_notifications(request).order_by("-created_at", "-id"), PAGE_SIZE
        ).get_page(request.GET.get("page"))
        groups_by_id = {g.pk: g for g in groups}
        items = [(n, groups_by_id.get(n.working_group_id)) for n in page]
        return render(request, "vpswg/notifications.html", {"page": page, "items": items})


@signed_in
@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's notices read and follow its link."""
    groups = groups_of(request.user)
    with group_scope([g.pk for g in groups]):
        notification = _own_notifications(request).filter(pk=pk).first()
        if notification is None:
            raise Http404
        notification_service.mark_read(user=request.user, notification_ids=[notification.pk])
    if notification.link and url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        return redirect(notification.link)
    return redirect("notifications")


@signed_in
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    groups = groups_of(request.user)
    with group_scope([g.pk for g in groups]):
        notification_service.mark_read(user=request.user)
    if request.htmx:
        return render(request, "vpswg/includes/bell.html", {"unread_count": 0})
    return redirect("notifications")


@public
@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """An invited person sets their password (the link works once) and is signed in.

    The page speaks the invitation's language unless the visitor chose another on it.
    """
    invited = read_token(token)
    if invited is None:
        return render(request, "vpswg/invitation_invalid.html", status=404)
    user = invited.user
    if invited.language and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(invited.language)
        request.LANGUAGE_CODE = invited.language
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            if not user.language and invited.language:
                # Their later pages and e-mails keep the language they were invited in.
                user.language = invited.language
                user.save(update_fields=["language"])
            # Following the e-mailed link proves the address.
            EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).update(
                primary=False
            )
            EmailAddress.objects.update_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts=None):
            next_url = ""
        if Authenticator.objects.filter(user=user).exists():
            # A second factor is already set up: it is asked for, as at any sign-in.
            messages.success(request, _("Your password is set. Sign in to continue."))
            query = {"login": user.email, **({"next": next_url} if next_url else {})}
            return redirect(f"{reverse('account_login')}?{urlencode(query)}")
        login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
        messages.success(request, _("Your password is set: you are signed in."))
        return redirect(next_url or "home")
    return render(request, "vpswg/invitation.html", {"form": form, "invited": user})


@requires(Action.MANAGE_GROUP)
@require_http_methods(["GET", "POST"])
def group_settings(request: HttpRequest) -> HttpResponse:
    group = WorkingGroup.objects.get(pk=request.working_group.pk)
    form = GroupSettingsForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        update_settings(group=group, actor=request.user, form=form)
        messages.success(request, _("The settings have been saved."))
        return redirect("group:settings", wg=group.slug)
    return render(
        request,
        "vpswg/group_settings.html",
        {"form": form, "governed": governed_values(group)},
    )


@public
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, which also saves the choice on the account of a signed-in user."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if (
        request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and request.user.language != language
    ):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


@public
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 only when the database and (where configured) Redis answer; 503 otherwise."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        logger.warning("healthz: database check failed: %s", type(exc).__name__)
        checks["database"] = "unavailable"
    for name, url in (("redis", settings.REDIS_URL), ("cache", settings.CACHE_URL)):
        if not url:
            checks[name] = "not configured"
            continue
        try:
            client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
            client.ping()
            client.close()
            checks[name] = "ok"
        except Exception as exc:  # noqa: BLE001
            logger.warning("healthz: %s check failed: %s", name, type(exc).__name__)
            checks[name] = "unavailable"
    healthy = all(v in {"ok", "not configured"} for v in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


# --- Error pages: never more than the status and a way back --------------------------------


def bad_request(request, exception=None):
    return defaults.bad_request(request, exception, template_name="400.html")


def permission_denied(request, exception=None):
    return defaults.permission_denied(request, exception, template_name="403.html")


def page_not_found(request, exception=None):
    return defaults.page_not_found(request, exception, template_name="404.html")


#: Exceptions that mean a service the app needs did not answer, not a fault in the app: the
#: database or Redis restarting (a failover, a deploy). They answer 503 with Retry-After, so a
#: load balancer and a person both know to try again, instead of "something went wrong".
UNAVAILABLE = (
    db_errors.OperationalError,
    db_errors.InterfaceError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)


def server_error(request):
    """The 500 handler; 503 when the uncaught exception is a service that did not answer.

    Django calls the handler inside its ``except`` block, so the exception is at hand; the
    page is rendered without a request context, as 500.html is, since the database or the
    session store may be the thing that is down.
    """
    exc = sys.exc_info()[1]
    if isinstance(exc, UNAVAILABLE):
        # The language from the cookie or the browser: the user's own and the group's need the
        # database, which may be what failed before LanguageMiddleware could choose.
        with translation.override(translation.get_language_from_request(request)):
            page = loader.get_template("503.html").render()
        response = HttpResponse(page, status=503)
        response["Retry-After"] = "10"
        return response
    return defaults.server_error(request, template_name="500.html")
