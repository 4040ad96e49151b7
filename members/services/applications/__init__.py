"""Membership by application or nomination (seed step 4), one function per transition.

    nominate ........................ -> nominated   (a member proposes; the institution is asked)
    submit_application .............. -> unconfirmed (the public form: the address is asked)
    confirm_address    unconfirmed    -> submitted   (the applicant followed the e-mailed link)
    complete_by_applicant  nominated | incomplete -> submitted
    screen (Secretariat)   submitted -> screened | incomplete
    vote (a Coordination seat)          screened -> screened   (one vote per seat, changeable)
    decide (Coordination)  screened  -> accepted | declined   (the group's rule over the votes)

Each transition locks the row, refuses an illegal move with a message, writes the audit log,
and queues its notices in the same transaction (sent after commit). The applicant has no
account: they hold a secret link (only its hash is stored) and the reference number.
"""

from __future__ import annotations

from members.services.applications.common import (  # noqa: F401
    APPLICANT_FIELDS,
    NOMINATION_FIELDS,
    Rule,
    Status,
    Tally,
    TransitionError,
    Vote,
    find_by_reference,
    find_by_token,
    outcome,
    tally,
)
from members.services.applications.nomination import (  # noqa: F401
    complete_by_applicant,
    nominate,
)
from members.services.applications.public import (  # noqa: F401
    CONFIRM_HOURS,
    confirm_address,
    expire_unconfirmed,
    submit_application,
    submitted_today,
    tell_secretariat_of_cap,
)
from members.services.applications.review import (  # noqa: F401
    decide,
    screen,
    vote,
)
from vpswg.services.roles import seats  # noqa: F401 - the seats who vote
