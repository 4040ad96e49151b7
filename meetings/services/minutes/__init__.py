"""Minutes: the attributed record, its versions, and the approval workflow (seed step 5).

    draft ──submit──▶ submitted ──every seat's review──▶ approved ──(task)──▶ circulated ──▶ adopted
      ▲                   │ a seat returns it, with its comment
      └───────────────────┘
    Any edit after submission puts the minutes back in draft: the next submission is a new
    version, which needs approval again. An approved version is frozen with its content hash;
    adoption at a later plenary refers to that version.

Edits are optimistic: each text carries a revision number, and a save made from an older
revision is refused with the current text (``EditConflict``), so two Secretariat users editing
at once never overwrite each other silently.
"""

from __future__ import annotations

from meetings.services.minutes.common import (  # noqa: F401
    EDITABLE,
    EditConflict,
    LeaksRemain,
    MinutesError,
    RevisionMissing,
    Status,
    minutes_path,
)
from meetings.services.minutes.drafting import (  # noqa: F401
    KEEP,
    KEEP_SPEAKER,
    add_section,
    delete_part,
    parse_speaker,
    save_action_item,
    save_contribution,
    save_decision,
    save_section,
    save_summary,
    start_minutes,
)
from meetings.services.minutes.leak_resolution import (  # noqa: F401
    TARGETS,
    mark_subject,
    replace_words,
)
from meetings.services.minutes.versions import (  # noqa: F401
    Comparison,
    ShownComment,
    anchors,
    annotate,
    attach_comments,
    by_anchor,
    comments,
    compare,
    only_changes,
    version_anchors,
)
from meetings.services.minutes.workflow import (  # noqa: F401
    ReviewOutcome,
    adopt,
    adopting_candidates,
    circulate,
    log_access,
    may_adopt,
    quorum_met,
    readers,
    review,
    review_reminders,
    seats,
    submit,
)
