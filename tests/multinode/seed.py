"""The data of the two-node test, written into the nodes' own database: ``python -m
tests.multinode.seed`` in the environment the nodes run with (their database, Redis and
secret key), printing one JSON object: the signed-in sessions (as Cookie headers) and the ids
the checks of ``bench.coherence`` act on.

A process of its own, because the suite's own database is not the one the nodes serve: their
primary is a cluster made for the test, with a streaming replica (``bench.pgcluster``).
"""

from __future__ import annotations

import json
import os

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vpswg.settings")
    django.setup()

    from bench.steps import _cookie_header, _sign_in
    from meetings.models import Invitation
    from tests.factories import (
        PASSWORD,
        add_contribution,
        make_application,
        make_coordination,
        make_group,
        make_institution,
        make_meeting,
        make_meeting_in_session,
        make_member,
        make_minutes,
        make_secretariat,
    )
    from vpswg.scoping import group_scope

    group = make_group("north", name="North Working Group", country="Northland")
    outsider_group = make_group("south", name="South Working Group", country="Southland")
    secretariat = make_secretariat(group, full_name="Rosa Huamán")
    seats = [
        make_coordination(group, pillar, full_name=name)
        for pillar, name in (
            ("companies", "Lucía Paredes"),
            ("government", "Jorge Quispe"),
            ("civil_society", "Ana Rojas"),
        )
    ]
    member = make_member(group, full_name="Carlos Mendoza")
    renamed = make_institution(group, name="Andes Copper", short_name="AC")
    planned = make_meeting(group, "convened", days=20, actor=secretariat, title="June plenary")
    make_meeting(group, "held", days=-90, actor=secretariat, title="January plenary")
    held = make_meeting_in_session(group, title="March plenary")
    minutes = make_minutes(held, secretariat)
    add_contribution(minutes, "The security working table met twice.", actor=secretariat)
    application = make_application(group, "screened", name="Pacific Gold", short_name="PG")
    # Another group's data, present on the same nodes: its Secretariat is the outsider.
    outsider = make_secretariat(outsider_group, full_name="Kwame Mensah")
    make_institution(outsider_group, name="South Mining")
    with group_scope(group):
        assert Invitation.objects.filter(meeting=planned).exists()

    def session(user) -> str:
        return _cookie_header(_sign_in(user, getattr(user, "totp_secret", None), PASSWORD))

    print(
        json.dumps(
            {
                "group": group.slug,
                "cookies": {
                    "secretariat": session(secretariat),
                    "coordination": session(seats[0]),
                    "member": session(member),
                    "outsider": session(outsider),
                },
                "institution": renamed.pk,
                "planned": planned.pk,
                "held": held.pk,
                "application": application.pk,
            }
        )
    )


if __name__ == "__main__":
    main()
