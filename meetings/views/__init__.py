"""Meeting pages. htmx answers, agenda reordering and attendance swap a fragment of the same
page (``meetings/meeting.html#fragment``); without JavaScript the same forms post and redirect.
"""

from __future__ import annotations

from meetings.views.agenda import (  # noqa: F401
    agenda_item,
    agenda_item_delete,
    agenda_item_move,
)
from meetings.views.closed import (  # noqa: F401
    closed_grant,
    closed_revoke,
)
from meetings.views.pages import (  # noqa: F401
    meeting_calendar,
    meeting_detail,
    meeting_index,
)
from meetings.views.participation import (  # noqa: F401
    meeting_answer,
    meeting_attendance,
    meeting_guest_reply,
    meeting_next,
    meeting_suggestion,
)
from meetings.views.planning import (  # noqa: F401
    meeting_cancel,
    meeting_convene,
    meeting_create,
    meeting_edit,
)
from meetings.views.topics import (  # noqa: F401
    guests,
    topic_edit,
    topic_index,
    topic_interest,
    topic_schedule,
    topic_withdraw,
)
