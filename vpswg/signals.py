"""Cached answers forgotten when what they answer changes."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
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


def connect() -> None:
    post_save.connect(_authenticator_changed, sender=Authenticator, dispatch_uid="vpswg-totp-save")
    post_delete.connect(
        _authenticator_changed, sender=Authenticator, dispatch_uid="vpswg-totp-delete"
    )
