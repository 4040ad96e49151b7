"""One whole synthetic group, built by the builders in the order they depend on each other."""

from __future__ import annotations

from demo.scale.meetings import build_meetings
from demo.scale.membership import build_membership
from demo.scale.minutes import build_minutes, build_notices
from demo.scale.records import (
    build_applications,
    build_register,
    build_topics_and_audit,
    build_workplans,
)
from vpswg.models import WorkingGroup


def build_group(group: WorkingGroup, index: int, password_hash: str, years: int = 12) -> None:
    """Everything of one scale group; run inside the group's scope and a transaction."""
    roster = build_membership(group, index, password_hash)
    meetings = build_meetings(roster, years)
    build_minutes(roster, meetings)
    build_notices(roster, meetings)
    build_register(roster, years)
    build_applications(roster)
    build_workplans(roster, meetings)
    build_topics_and_audit(roster)
