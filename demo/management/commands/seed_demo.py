"""Create (or bring up to date) the demo: the Peruvian working group and a Ghanaian one.

Idempotent: running it twice leaves the same data. It goes through the same services as the
application, so the demo exercises the real rules (roles, guardian grants, audit log).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from demo import data
from demo.seeding.documents import seed_documents
from demo.seeding.founding import seed_founding, seed_terms_in_force
from demo.seeding.meetings import seed_meetings, seed_minutes
from demo.seeding.membership import (
    seed_contributions,
    seed_membership_in_motion,
    seed_secretariat_history,
)
from demo.seeding.people import ADMIN_EMAIL, ensure_user, seed_group
from demo.seeding.register import seed_register
from vpswg import search
from vpswg.models import WorkingGroup
from vpswg.scoping import group_scope


class Command(BaseCommand):
    help = "Create the demo working groups (Peru, Ghana) with their institutions and accounts."

    def handle(self, *args, **options):
        # The demo's notices are real rows (seen in the app); their e-mails stay in memory
        # instead of filling the terminal of `make run`.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            transaction.atomic(),
        ):
            ensure_user(ADMIN_EMAIL, "Platform operator", is_staff=True, is_superuser=True)
            # The search index is built once at the end, not row by row as the services write.
            with search.suspended():
                accounts = [account for spec in data.GROUPS for account in seed_group(spec)]
                peru = WorkingGroup.objects.get(slug=data.PERU["slug"])
                with group_scope(peru):
                    seed_membership_in_motion(peru)
                    seed_secretariat_history(peru)
                    seed_contributions(peru)
                    seed_meetings(peru)
                    seed_minutes(peru)
                    seed_register(peru)
                    seed_documents(peru)
                    seed_terms_in_force(peru)
                colombia = WorkingGroup.objects.get(slug=data.COLOMBIA["slug"])
                with group_scope(colombia):
                    seed_founding(colombia)
            for group in WorkingGroup.objects.filter(
                slug__in=[g.fields["slug"] for g in data.GROUPS]
            ):
                with group_scope(group):
                    search.reindex_group()
            # The Initiative's view (activities.initiative): Peru shares three families of
            # figures, Ghana none yet.
            WorkingGroup.objects.filter(pk=peru.pk).update(
                initiative_shares_meetings=True,
                initiative_shares_activities=True,
                initiative_shares_minutes=True,
            )
        self.print_accounts(accounts)

    def print_accounts(self, accounts) -> None:
        out = self.stdout
        out.write(self.style.SUCCESS("Demo data is ready."))
        out.write(f"Every demo account's password: {data.PASSWORD}")
        out.write(f"  {'platform':8} {ADMIN_EMAIL:34} platform operator (/admin/)")
        for slug, email, roles in accounts:
            out.write(f"  {slug:8} {email:34} {roles}")
        guest = data.PERU_GUESTS[0]["email"]
        out.write(f"  {data.PERU['slug']:8} {guest:34} guest speaker at the next plenary")
        out.write("Every other institution has a representative too: <name>@<group>.example.org.")
