"""The search index: one row per thing a reader may find, with the one permission it needs.

Every row names what reading it requires (``requires``: a permission of the role x action
table, or ``SEATS``, the Secretariat and the Coordination Group's seats), and for a closed
meeting's rows the meeting, so that the index is filtered in SQL by what the reader holds and
nothing hidden is ranked, counted or quoted (``vpswg.search``). A row holds only text its reader
may open: the members' rendering of minutes holds no speaker, and the attributed record's rows
hold the statement alone (who said it stays sealed: ``meetings.services.attribution``), so a
dump of this table pairs no name with a statement.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from vpswg.scoping import TenantModel

#: The pseudo-permission of rows for the Secretariat and the seats only (planned meetings,
#: documents for the Coordination Group): both hold it, nobody else.
SEATS = "seats"


class SearchEntry(TenantModel):
    class Kind(models.TextChoices):
        MINUTES = "minutes", _("Minutes")
        AGENDA = "agenda", _("Meetings and agenda items")
        TOPIC = "topic", _("Discussion topics")
        ACTIVITY = "activity", _("Activities")
        OUTREACH = "outreach", _("Outreach")
        DOCUMENT = "document", _("Documents")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    #: What the rows were made from (``minutes`` 12): a family's rows for one object are
    #: replaced together whenever it is written; ``part`` tells them apart (``c45``).
    family = models.CharField(max_length=20)
    object_id = models.PositiveIntegerField()
    part = models.CharField(max_length=40, blank=True)
    #: For minutes: "members" (the members' rendering) or "attributed" (the working record,
    #: the Secretariat's); empty otherwise.
    rendering = models.CharField(max_length=12, blank=True)
    requires = models.CharField(max_length=40)
    #: A closed meeting's rows: read by the Secretariat, the seats and its grantees only.
    closed_meeting_id = models.PositiveIntegerField(null=True, blank=True)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    date = models.DateField(null=True, blank=True)
    #: The page it opens, with its anchor.
    url = models.CharField(max_length=300)
    #: The PostgreSQL text search configuration of its language ("spanish", "english",
    #: "french", or "simple").
    config = models.CharField(max_length=20, default="simple")
    vector = SearchVectorField(null=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["working_group", "family", "object_id", "part", "rendering"],
                name="search_source_once",
            )
        ]
        indexes = [
            models.Index(fields=["working_group", "family", "object_id"], name="search_wg_source"),
            models.Index(fields=["working_group", "kind", "date"], name="search_wg_kind_date"),
        ]

    def __str__(self) -> str:
        return f"{self.family}:{self.object_id}:{self.part} {self.rendering}".strip()
