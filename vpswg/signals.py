"""Cached answers forgotten when what they answer changes."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_used
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save


def _authenticator_changed(sender, instance, **kwargs) -> None:
    from vpswg.middleware import totp_cache_key

    key = totp_cache_key(instance.user_id)
    # Now, and again once committed: a request that read the row before the commit may have
    # remembered it in between.
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def _authenticator_used(sender, request, user, authenticator, **kwargs) -> None:
    """Whoever just signed in with a TOTP code has one: the first page need not look."""
    from vpswg.middleware import TOTP_CACHE_SECONDS, totp_cache_key

    if authenticator.type == Authenticator.Type.TOTP:
        cache.set(totp_cache_key(user.pk), True, TOTP_CACHE_SECONDS)


def connect() -> None:
    authenticator_used.connect(_authenticator_used, dispatch_uid="vpswg-totp-used")
    post_save.connect(_authenticator_changed, sender=Authenticator, dispatch_uid="vpswg-totp-save")
    post_delete.connect(
        _authenticator_changed, sender=Authenticator, dispatch_uid="vpswg-totp-delete"
    )
