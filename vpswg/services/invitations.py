"""Invitations: a signed, expiring, one-time link with which a new account sets its password.

allauth has no invitations. The token signs the user's id and a fragment of their current
password hash: setting the password changes the hash, so the link works once; it expires
after ``INVITATION_MAX_AGE``. After setting the password the person signs in through allauth
as usual, which asks Secretariat and Coordination accounts to enrol a second factor.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.urls import reverse

from vpswg.models import User

SALT = "vpswg.invitation"
INVITATION_MAX_AGE = timedelta(days=14)


def _fragment(user: User) -> str:
    return user.password[-16:]


def invitation_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "p": _fragment(user)}, salt=SALT, compress=True)


def invitation_path(user: User) -> str:
    return reverse("invitation", kwargs={"token": invitation_token(user)})


def user_for_token(token: str) -> User | None:
    """The invited user, or None when the link is forged, expired or already used."""
    try:
        data = signing.loads(token, salt=SALT, max_age=INVITATION_MAX_AGE)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or _fragment(user) != data.get("p"):
        return None
    return user


def get_or_invite_user(*, email: str, full_name: str = "", language: str = "") -> tuple[User, bool]:
    """The account for ``email``, created without a usable password if there is none."""
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    user = User.objects.create_user(email=email, full_name=full_name, language=language)
    return user, True


def needs_password(user: User) -> bool:
    return not user.has_usable_password()
