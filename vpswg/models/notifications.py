"""The notification outbox: every e-mail and in-app notice is a row before it is anything else."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from vpswg.scoping import TenantModel


class Notification(TenantModel):
    """One notice to one recipient.

    Written in the transaction of the change that causes it; a task delivers the e-mail after
    commit. ``key`` is unique, so a repeated request to notify the same thing is a no-op, and
    a delivery attempt that finds the row already sent does nothing.

    ``subject`` is the e-mail's, in the recipient's language, fixed once sent. ``titles`` holds
    the same subject rendered in every language of the site, by language code, so that the
    notice reads in whatever language the reader's page is in when they look at it (they may
    switch), without rendering anything or querying again at read time.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        NOT_EMAILED = "in_app", _("In the app only")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    kind = models.CharField(_("kind"), max_length=60)
    key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(_("subject"), max_length=250)
    titles = models.JSONField(default=dict, blank=True)
    body = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=500, blank=True)
    language = models.CharField(max_length=8, blank=True)
    attachments = models.JSONField(default=list, blank=True)
    in_app = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["working_group", "recipient", "-created_at"], name="notif_wg_recipient"
            ),
            models.Index(
                fields=["recipient", "read_at"],
                name="notif_unread",
                condition=models.Q(in_app=True, read_at__isnull=True),
            ),
            models.Index(
                fields=["next_attempt_at"],
                name="notif_pending",
                condition=models.Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """The subject in the active language (the request's), else the e-mail's subject."""
        titles = self.titles or {}
        language = translation.get_language() or ""
        return titles.get(language) or titles.get(language.split("-")[0]) or self.subject
