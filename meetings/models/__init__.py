from meetings.models.meetings import (
    AgendaItem,
    Attendance,
    DiscussionTopic,
    Guest,
    Invitation,
    Meeting,
    TopicInterest,
)
from meetings.models.minutes import (
    ActionItem,
    Contribution,
    Decision,
    LeakResolution,
    Minutes,
    MinutesAccess,
    MinutesReview,
    MinutesSection,
    MinutesVersion,
)

__all__ = [
    "ActionItem",
    "AgendaItem",
    "Attendance",
    "Contribution",
    "Decision",
    "DiscussionTopic",
    "Guest",
    "Invitation",
    "LeakResolution",
    "Meeting",
    "Minutes",
    "MinutesAccess",
    "MinutesReview",
    "MinutesSection",
    "MinutesVersion",
    "TopicInterest",
]
