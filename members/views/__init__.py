"""Membership pages of a group: directory, institutions, representatives, applications,
compliance. Thin: forms validate, services change state, queries read.
"""

from __future__ import annotations

from members.views.admissions import (  # noqa: F401
    application_decide,
    application_detail,
    application_letter,
    application_screen,
    application_vote,
    applications,
    nominate,
)
from members.views.compliance import (  # noqa: F401
    annual_report,
    compliance,
    report_file,
)
from members.views.contributions import (  # noqa: F401
    contribution_delete,
    contribution_new,
    contributions,
)
from members.views.institutions import (  # noqa: F401
    directory,
    institution_create,
    institution_detail,
    institution_edit,
    representative_add,
    representative_end,
    standing_decide,
    standing_record,
    standing_vote,
    standing_withdraw,
)
