"""The platform operator's administration site: working groups, accounts, first Secretariat.

Group content (minutes, applications, the audit log) is deliberately absent: the operator runs
the platform, not the groups. Admin pages have no working-group scope, so the few tenant rows
shown here are read with scopes disabled, read-only, and written only through services.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from vpswg.models import RoleAssignment, User, WorkingGroup
from vpswg.roles import Role
from vpswg.scoping import group_scope
from vpswg.services.audit import record
from vpswg.services.groups import set_up_working_group
from vpswg.services.roles import grant_role


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
        # The slug is in every address of the group and in the role groups' names.
        return ["slug", "role_holders"] if obj is not None else []

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
            super().save_model(request, obj, form, change)
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
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                user = User.objects.create_user(email=email)
            with group_scope(obj):
                grant_role(working_group=obj, user=user, role=Role.SECRETARIAT, actor=request.user)
            messages.success(request, _("%(email)s now holds the Secretariat.") % {"email": email})


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

    def has_delete_permission(self, request, obj=None):
        # Accounts with a history are kept (the audit log protects them): deactivate instead.
        return False
