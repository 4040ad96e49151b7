"""Invitations: a signed, expiring, one-time link with which a new account sets its password.

allauth has no invitations. The token signs the user's id and a fragment of their current
password hash: setting the password changes the hash, so the link works once; it expires
after ``INVITATION_MAX_AGE``. Setting the password signs the person in (the link proved the
address; asking for the password just typed would only be a second form); an account that
already has a second factor signs in through allauth instead, and Secretariat and Coordination
accounts are then asked to enrol one (``MFARequiredMiddleware``).

The token also carries the language the invitation was written in, so the page that follows
the e-mail speaks it, whatever the browser says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from vpswg.models import User, WorkingGroup

SALT = "vpswg.invitation"
INVITATION_MAX_AGE = timedelta(days=14)


def _fragment(user: User) -> str:
    return user.password[-16:]


@dataclass(frozen=True)
class Invited:
    user: User
    #: The language of the invitation ("" for a link made before links carried one).
    language: str


def invitation_token(user: User, language: str = "") -> str:
    data = {"u": user.pk, "p": _fragment(user)}
    if language:
        data["l"] = language
    return signing.dumps(data, salt=SALT, compress=True)


def invitation_path(user: User, *, group: WorkingGroup | None = None) -> str:
    """The link for ``user``, in the language their notice is written in: their own, else the
    group's (``notifications.notify`` chooses the same way)."""
    language = user.language or (group.default_language if group is not None else "")
    return reverse("invitation", kwargs={"token": invitation_token(user, language)})


def read_token(token: str) -> Invited | None:
    """The invitation, or None when the link is forged, expired or already used."""
    try:
        data = signing.loads(token, salt=SALT, max_age=INVITATION_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or _fragment(user) != data.get("p"):
        return None
    language = data.get("l", "")
    return Invited(user=user, language=language if language in dict(settings.LANGUAGES) else "")


def user_for_token(token: str) -> User | None:
    invited = read_token(token)
    return invited.user if invited is not None else None


def get_or_invite_user(*, email: str, full_name: str = "", language: str = "") -> tuple[User, bool]:
    """The account for ``email``, created without a usable password if there is none."""
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    user = User.objects.create_user(email=email, full_name=full_name, language=language)
    return user, True


def needs_password(user: User) -> bool:
    return not user.has_usable_password()
