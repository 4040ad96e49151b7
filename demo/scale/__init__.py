"""Synthetic working groups at the size of a group with a long history, for benchmarks.

Each group: 40 institutions and 60 accounts (40 primary representatives, 20 alternates), a
Secretariat and one Coordination seat per pillar; ``years`` years of quarterly plenaries, each
with a Coordination Group meeting three weeks before it (invitations, answers, attendance,
four agenda items with a speaker), minutes of 40 contributions for every meeting held, frozen
into the three renderings by the real projection service; the convening notices those
plenaries sent; 300 activities with participants by sector; 100 outreach entries; 30
applications at every stage; three work plans; discussion topics; an audit trail and an access
log. Plus one plenary ten days ahead that has not been convened yet, so that a benchmark can
convene every group at once.

Rows are written with ``bulk_create`` per table and group; the only per-row queries are the
projections of each minutes (a handful each), which must come from the real service: a
benchmark of the reading pages is only honest if what they read was made by the code that
makes it in production.
"""

from __future__ import annotations

from demo.scale.common import (  # noqa: F401
    CLAUSES,
    TOPICS,
)
from demo.scale.groups import (  # noqa: F401
    build_group,
)
from demo.scale.minutes import (  # noqa: F401
    approved_version,
)
