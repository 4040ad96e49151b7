"""allauth adapter: accounts come by invitation, not by open sign-up."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Membership is by application and decision of the Coordination Group (seed step 4);
        # an account without an institution would have nothing to see.
        return settings.OPEN_SIGNUP
