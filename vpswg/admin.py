"""The platform operator's administration site: working groups, accounts, first roles.

Group content (minutes, applications) is deliberately absent: the operator runs the platform,
not the groups.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from vpswg.models import User, WorkingGroup
from vpswg.permissions import sync_role_groups
from vpswg.scoping import group_scope
from vpswg.services.audit import record


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "country", "default_language", "applications_open", "is_listed"]
    search_fields = ["name", "slug", "country"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        created = obj.pk is None
        super().save_model(request, obj, form, change)
        sync_role_groups(obj)
        if created:
            with group_scope(obj):
                record(working_group=obj, actor=request.user, verb="group.created", obj=obj)


class UserCreationForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "language"]

    def save(self, commit=True):
        user = super().save(commit=False)
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
