"""The platform operator's administration site: working groups, accounts, first Secretariat.

Group content (minutes, applications, the audit log) is deliberately absent: the operator runs
the platform, not the groups. Admin pages have no working-group scope, so the few tenant rows
shown here are read with scopes disabled, read-only, and written only through services. Nor
does the operator see or edit second factors (allauth's admin shows a TOTP secret), or the
role groups that hold each group's permissions. The site itself (MFA, confirmation of every
change) is ``vpswg.admin_site``; what the operator can do is in ``docs/operator.md``.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from vpswg.models import RoleAssignment, User, WorkingGroup
from vpswg.roles import Role
from vpswg.scoping import group_scope
from vpswg.services.audit import record
from vpswg.services.groups import set_up_working_group
from vpswg.services.roles import appoint_secretariat

# The per-group role groups carry each group's permissions (vpswg.permissions.sync_role_groups,
# following vpswg.roles): adding a user or a permission to one here would grant it silently,
# past the audit log. Roles are given through the group's pages and the field below.
admin.site.unregister(Group)
# allauth's admin shows and edits an authenticator's data: the TOTP secret, the recovery codes.
admin.site.unregister(Authenticator)
# ...and lets the operator mark an address verified or change it: see EmailAddressAdmin.
admin.site.unregister(EmailAddress)


class WorkingGroupForm(forms.ModelForm):
    appoint_secretariat = forms.EmailField(
        label=_("Appoint to the Secretariat"),
        required=False,
        help_text=_(
            "E-mail address of a person to give the Secretariat role. An account is created if "
            "there is none; the person is told by e-mail and sets a password from the sign-in "
            "page's “Forgot your password?”."
        ),
    )

    class Meta:
        model = WorkingGroup
        fields = [
            "slug",
            "name",
            "country",
            "default_language",
            "timezone",
            "meeting_cadence_months",
            "default_meeting_duration",
            "notice_period_days",
            "public_description",
            "applications_open",
            "is_listed",
        ]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    form = WorkingGroupForm
    list_display = ["name", "slug", "country", "default_language", "applications_open", "is_listed"]
    search_fields = ["name", "slug", "country"]
    prepopulated_fields = {"slug": ["name"]}

    def get_readonly_fields(self, request, obj=None):
        # The slug is in every address of the group and in the role groups' names. The
        # working rules are set at creation; then only the group's terms of reference change
        # them, by a plenary's decision (``meetings.services.terms``), not the operator.
        if obj is None:
            return []
        return [
            "slug",
            "role_holders",
            "meeting_cadence_months",
            "default_meeting_duration",
            "notice_period_days",
        ]

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else self.prepopulated_fields

    @admin.display(description=_("Secretariat and Coordination Group"))
    def role_holders(self, obj: WorkingGroup) -> str:
        with group_scope(obj):
            rows = list(
                RoleAssignment.objects.filter(role__in=[Role.SECRETARIAT, Role.COORDINATION])
                .select_related("user")
                .order_by("role", "pillar")
            )
        if not rows:
            return _("Nobody yet: appoint the Secretariat below.")
        return format_html_join("", "<div>{} · {}</div>", ((str(r), r.user.email) for r in rows))

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        if change:
            # Only the form's columns: the governed settings are the terms of reference's, and
            # an adoption saved meanwhile must not be undone by the values the page was read with.
            obj.save(update_fields=[name for name in form.fields if name != "appoint_secretariat"])
            with group_scope(obj):
                record(
                    working_group=obj,
                    actor=request.user,
                    verb="group.changed",
                    obj=obj,
                    data={"fields": sorted(form.changed_data)},
                )
        else:
            super().save_model(request, obj, form, change)  # the form has validated the slug
            set_up_working_group(group=obj, actor=request.user)
        email = form.cleaned_data.get("appoint_secretariat")
        if email:
            with group_scope(obj):
                appointment = appoint_secretariat(
                    working_group=obj, email=email, actor=request.user
                )
            if appointment.already_held:
                messages.info(
                    request, _("%(email)s already holds the Secretariat.") % {"email": email}
                )
            else:
                messages.success(
                    request, _("%(email)s now holds the Secretariat.") % {"email": email}
                )


class UserCreationForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "language"]

    def save(self, commit=True):
        user = super().save(commit=False)
        user.email = user.email.lower()
        user.set_unusable_password()
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_staff", "is_active"]
    add_form = UserCreationForm
    fieldsets = [
        (None, {"fields": ["email", "full_name", "language"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "full_name", "language"]})]
    filter_horizontal: list[str] = []
    readonly_fields = ["last_login", "date_joined"]

    def get_readonly_fields(self, request, obj=None):
        # An account's address is where its password is reset: changed by the operator, it
        # would let them sign in as the person (a member, who needs no second factor, reads
        # the members' minutes). People change their own address, with its verification.
        return [*self.readonly_fields, "email"] if obj is not None else self.readonly_fields

    def get_urls(self):
        # Nor may the operator set a person's password (the same takeover): Django's form for
        # it is left out; a forgotten password is reset by the person from the sign-in page.
        return [u for u in super().get_urls() if "password" not in str(u.pattern)]

    def has_delete_permission(self, request, obj=None):
        # Accounts with a history are kept (the audit log protects them): deactivate instead.
        return False


class ListOnlyAdmin(admin.ModelAdmin):
    """A list and nothing more: no page for one row (it would show or let edit what the
    operator has no business with), no adding, changing, removing or bulk action."""

    list_display_links = None
    actions = None

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def has_view_permission(self, request, obj=None):
        return obj is None and super().has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EmailAddress)
class EmailAddressAdmin(ListOnlyAdmin):
    """The accounts' addresses and whether they are verified. Marking an address verified, or
    changing one, would let the operator reset the password of someone else's account through
    it (allauth's admin allows both)."""

    list_display = ["email", "user", "primary", "verified"]
    list_filter = ["primary", "verified"]
    search_fields = ["email", "user__email"]


@admin.register(Authenticator)
class AuthenticatorAdmin(ListOnlyAdmin):
    """Who has which second factor, and when it was used. The data of one (a secret,
    encrypted or not) is no business of the operator's. A person who lost their authenticator
    signs in with a recovery code and enrols again."""

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    search_fields = ["user__email"]
    ordering = ["user__email", "type"]
