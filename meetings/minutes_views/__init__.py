"""Minutes pages. One URL, three readers: the Secretariat edits the attributed record, a
Coordination seat reviews the version submitted, members read the circulated members' version.
Which rendering a reader gets is decided by the access policy (``meetings.access``), and built
by ``meetings.services.redaction``; templates only display what they are given.
"""

from __future__ import annotations

from meetings.minutes_views.editing import (  # noqa: F401
    minutes_edit,
    minutes_start,
)
from meetings.minutes_views.pdf import (  # noqa: F401
    PDF_STYLESHEETS,
    minutes_pdf_html,
    render_minutes_pdf,
    render_version_pdf,
    version_pdf_html,
)
from meetings.minutes_views.reading import (  # noqa: F401
    minutes_page,
    minutes_pdf,
)
from meetings.minutes_views.versions import (  # noqa: F401
    minutes_compare,
    minutes_version,
)
from meetings.minutes_views.workflow import (  # noqa: F401
    minutes_access,
    minutes_adopt,
    minutes_leak,
    minutes_review,
    minutes_submit,
)
