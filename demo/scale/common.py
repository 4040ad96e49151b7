"""The sizes of a synthetic group, the words its texts are made of, and the roster every
builder draws its people from."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from members.models import Institution, Representative
from vpswg.models import User, WorkingGroup
from vpswg.roles import Pillar

INSTITUTIONS_PER_GROUP = 40
ALTERNATES_PER_GROUP = 20
CONTRIBUTIONS_PER_MINUTES = 40
SECTIONS_PER_MINUTES = 4
ACTIVITIES_PER_GROUP = 300
OUTREACH_PER_GROUP = 100
APPLICATIONS_PER_GROUP = 30
ATTENDEES_PER_PLENARY = 30

PILLAR_KINDS = [
    (Pillar.COMPANIES, Institution.Kind.COMPANY),
    (Pillar.GOVERNMENT, Institution.Kind.NATIONAL_GOVERNMENT),
    (Pillar.GOVERNMENT, Institution.Kind.FOREIGN_GOVERNMENT),
    (Pillar.CIVIL_SOCIETY, Institution.Kind.NGO_ACADEMIC),
]

TOPICS = [
    "Private security companies and the draft law",
    "Grievance mechanisms in mining communities",
    "Agreements between companies and the national police",
    "Risk assessment before a new project",
    "Training of security personnel in human rights",
    "Social conflict early warning",
    "Lessons from the last site visit",
    "The annual report to the plenary of the Voluntary Principles",
]

#: Clauses that make contributions of a realistic length (about 300 characters) and variety.
CLAUSES = [
    "The participant described how the agreement with the police is reviewed every year",
    "a representative recalled that the last incident was reported to the ombudsman within days",
    "it was noted that the community liaison office now records every grievance it receives",
    "the training for private security guards has reached three regions so far",
    "there was concern that contracts do not yet include human rights clauses",
    "the group was asked to share the guidance on the use of force with new members",
    "progress depends on the regional governments taking part in the next round",
    "the risk assessment will be repeated before the expansion of the project",
    "another participant stressed the role of civil society in monitoring the commitments",
    "the Secretariat will circulate the comparison of the company policies before the next meeting",
]


@dataclass
class Roster:
    """What the later builders of a group need from its membership."""

    group: WorkingGroup
    index: int
    institutions: list[Institution]
    users: list[User]
    representatives: list[Representative]
    secretariat: User
    seats: list[tuple[User, str]]
    rng: random.Random = field(repr=False, default_factory=random.Random)

    def institution_of(self, user_index: int) -> Institution:
        return self.institutions[user_index % INSTITUTIONS_PER_GROUP]


def _text(rng: random.Random, clauses: int = 3) -> str:
    return "; ".join(rng.sample(CLAUSES, clauses)).capitalize() + "."
