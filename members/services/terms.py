"""The group's terms of reference, up to their adoption (seed steps 2, 4, 5 and 6).

The Secretariat drafts a version (the text, and the governed settings it sets: cadence,
duration, notice, retention, decision rules, compliance), puts it before the Coordination
Group, whose seats vote on it under the group's decision rule as on an application
(``applications.common.outcome``; no pillar in particular must agree), and the plenary adopts
it: ``meetings.services.terms.adopt``, where the minutes record it. The settings change then,
not before: until a version is adopted the one before it applies, so what the members read is
what the software does.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from members.models import TermsOfReference, TermsVote
from members.services.applications.common import Tally, outcome, seat_tally
from vpswg.models import User, WorkingGroup
from vpswg.models.tenancy import GOVERNED_FIELDS
from vpswg.services import notifications
from vpswg.services.audit import record
from vpswg.services.roles import seat_of, seats, secretariat_users
from vpswg.services.transitions import transition

Status = TermsOfReference.Status
#: The texts a version carries, copied into the next draft.
TEXT_FIELDS = ("objectives", "criteria", "working_rules", "management", "compliance")


class TermsError(ValidationError):
    """A step on the terms that is not possible now; the message says why."""


def link(group: WorkingGroup) -> str:
    return reverse("group:terms", kwargs={"wg": group.slug})


# --- Reading (in the active group's scope) ----------------------------------------------------


def current() -> TermsOfReference | None:
    """The version in force, if the group has adopted one."""
    return (
        TermsOfReference.objects.filter(status=Status.ADOPTED)
        .select_related("adopted_at_meeting")
        .first()
    )


def proposal() -> TermsOfReference | None:
    """The version being drafted or before the seats, if any (one at a time)."""
    return TermsOfReference.objects.filter(status__in=[Status.DRAFT, Status.REVIEW]).first()


def history() -> list[TermsOfReference]:
    """Every version that has been in force, latest first: what the members may read."""
    return list(
        TermsOfReference.objects.filter(status__in=[Status.ADOPTED, Status.SUPERSEDED])
        .select_related("adopted_at_meeting")
        .order_by("-number")
    )


def count(terms: TermsOfReference, votes=None) -> Tally:
    """The tally by the current seats (``votes``: the version's, if read already)."""
    return seat_tally(terms, terms.votes.all() if votes is None else votes)


def rules_of(group: WorkingGroup) -> dict[str, Any]:
    """The governed settings as the group runs on them now."""
    return {name: getattr(group, name) for name in GOVERNED_FIELDS}


def rule_fields() -> dict[str, forms.Field]:
    """A form field per governed setting, with the model's own validation and wording."""
    return {name: WorkingGroup._meta.get_field(name).formfield() for name in GOVERNED_FIELDS}


def clean_rules(data: dict[str, Any]) -> dict[str, Any]:
    """The governed settings ``data`` sets, validated as the settings themselves are; a
    setting left out keeps the value it has in force. Raises a ``ValidationError`` by field."""
    fields = rule_fields()
    errors: dict[str, list] = {}
    cleaned: dict[str, Any] = {}
    for name, field in fields.items():
        try:
            # The form field parses; the model field's validators bound it (1 to 12 months).
            value = field.clean(data.get(name))
            cleaned[name] = WorkingGroup._meta.get_field(name).clean(value, None)
        except ValidationError as exc:
            errors[name] = exc.error_list
    if not errors and cleaned["attendance_required"] > cleaned["attendance_window"]:
        errors["attendance_required"] = [
            ValidationError(
                _("%(required)s of the last %(window)s plenaries cannot be met."),
                params={
                    "required": cleaned["attendance_required"],
                    "window": cleaned["attendance_window"],
                },
            )
        ]
    if errors:
        raise ValidationError(errors)
    return cleaned


def apply_rules(group: WorkingGroup, rules: dict[str, Any]) -> list[str]:
    """Set the group's governed settings to ``rules`` (an adopted version's); the names of
    those that changed. Values are validated again: a version stored before a validator
    tightened must not set what the settings page would refuse."""
    cleaned = clean_rules({**rules_of(group), **rules})
    changed = [name for name, value in cleaned.items() if getattr(group, name) != value]
    for name in changed:
        setattr(group, name, cleaned[name])
    if changed:
        group.full_clean()
        group.save(update_fields=changed)
    return changed


# --- Steps -------------------------------------------------------------------------------------


@transaction.atomic
def start_draft(*, working_group: WorkingGroup, actor: User) -> TermsOfReference:
    """A new version, copied from the one in force (or, for a new group, its settings as
    they are): the Secretariat changes what is to change."""
    base = current()
    working_group = WorkingGroup.objects.get(pk=working_group.pk)  # as adopted, not as passed
    number = (TermsOfReference.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    texts = {name: getattr(base, name) for name in TEXT_FIELDS} if base else {}
    try:
        with transaction.atomic():
            terms = TermsOfReference.objects.create(
                working_group=working_group,
                number=number,
                proposed_by=actor,
                rules=rules_of(working_group),  # what the group runs on: the base's, adopted
                **texts,
            )
    except IntegrityError:
        raise TermsError(
            _("A version of the terms of reference is already being drafted or reviewed.")
        ) from None
    record(
        working_group=working_group,
        actor=actor,
        verb="terms.drafted",
        obj=terms,
        to_state=Status.DRAFT,
        data={"number": number, "from": base.number if base else None},
    )
    return terms


def _locked(terms: TermsOfReference, *states: str) -> TermsOfReference:
    terms = TermsOfReference.objects.select_for_update().get(pk=terms.pk)
    if terms.status not in (states or (Status.DRAFT,)):
        raise TermsError(_("This version has moved on since: read it again."))
    return terms


@transaction.atomic
def save_draft(
    *, terms: TermsOfReference, actor: User, texts: dict[str, str], rules: dict[str, Any]
) -> TermsOfReference:
    """Save the draft's texts and settings; only a draft changes (a version under review is
    returned to a draft first, so nobody votes on a text that moved under them)."""
    terms = _locked(terms)
    cleaned = clean_rules(rules)
    before = {name: getattr(terms, name) for name in (*TEXT_FIELDS, "change_note")}
    for name in TEXT_FIELDS:
        setattr(terms, name, (texts.get(name) or "").strip())
    terms.change_note = (texts.get("change_note") or "").strip()
    changed = [name for name, value in before.items() if getattr(terms, name) != value]
    changed += sorted(name for name, value in cleaned.items() if terms.rules.get(name) != value)
    terms.rules = cleaned
    terms.save()
    if changed:
        # Which parts changed, never the text: the log is read by the Secretariat and the
        # seats, and the text is in the version itself.
        record(
            working_group=terms.working_group,
            actor=actor,
            verb="terms.edited",
            obj=terms,
            data={"fields": changed},
        )
    return terms


@transaction.atomic
def submit(*, terms: TermsOfReference, actor: User) -> TermsOfReference:
    """The Secretariat puts the draft before the Coordination Group; the seats are asked."""
    terms = _locked(terms)
    group = terms.working_group
    if not seats():
        raise TermsError(_("The group has no Coordination Group seat to review the terms."))
    if not terms.objectives.strip():
        raise TermsError(_("Write the group's objectives before the seats review the terms."))
    transition(
        terms,
        to=Status.REVIEW,
        verb="terms.submitted",
        actor=actor,
        also={"submitted_at": timezone.now()},
    )
    notifications.notify(
        working_group=group,
        recipients=_seat_users(),
        kind="terms_review",
        key=f"{terms.pk}:{terms.submitted_at:%Y%m%d%H%M%S%f}",
        context={"number": terms.number, "change_note": terms.change_note},
        link=reverse("group:terms_version", kwargs={"wg": group.slug, "number": terms.number}),
    )
    return terms


@transaction.atomic
def vote(*, terms: TermsOfReference, actor: User, choice: str, comment: str = "") -> TermsVote:
    """A seat's vote on the version under review; a seat may change it until adoption."""
    terms = _locked(terms, Status.REVIEW)
    seat = seat_of(actor)
    if seat is None or actor.pk in {u.pk for u in secretariat_users()}:
        # The Secretariat proposes the terms; someone holding both roles does not vote on them.
        raise TermsError(_("Only a Coordination Group seat votes on the terms of reference."))
    if choice not in TermsVote.Vote.values:
        raise TermsError(_("Choose approve, decline or abstain."))
    ballot, _created = TermsVote.objects.update_or_create(
        terms=terms,
        voter=actor,
        defaults={
            "working_group": terms.working_group,
            "pillar": seat.pillar,
            "vote": choice,
            "comment": comment.strip()[:2000],
        },
    )
    record(
        working_group=terms.working_group,
        actor=actor,
        verb="terms.voted",
        obj=terms,
        to_state=choice,
        data={"seat": seat.pillar},
    )
    return ballot


@transaction.atomic
def return_to_draft(*, terms: TermsOfReference, actor: User) -> TermsOfReference:
    """Back to the Secretariat for changes: the votes cast on this text are set aside, since
    the text they approved will not be the one adopted."""
    terms = _locked(terms, Status.REVIEW)
    terms.votes.all().delete()
    transition(terms, to=Status.DRAFT, verb="terms.returned", actor=actor)
    _tell_seats(terms, "returned")
    return terms


@transaction.atomic
def withdraw(*, terms: TermsOfReference, actor: User) -> TermsOfReference:
    """The Secretariat drops the proposal; the version in force stays."""
    terms = _locked(terms, Status.DRAFT, Status.REVIEW)
    was = terms.status
    transition(terms, to=Status.WITHDRAWN, verb="terms.withdrawn", actor=actor)
    if was == Status.REVIEW:  # a draft was never the seats' business
        _tell_seats(terms, "withdrawn")
    return terms


def _seat_users() -> list[User]:
    return [s.user for s in seats() if s.user.is_active]


def _tell_seats(terms: TermsOfReference, what: str) -> None:
    """The seats had the version before them: it is back with the Secretariat, or dropped."""
    group = terms.working_group
    notifications.notify(
        working_group=group,
        recipients=_seat_users(),
        kind="terms_review_ended",
        key=f"{terms.pk}:{what}:{timezone.now():%Y%m%d%H%M%S%f}",
        context={"number": terms.number, "what": what},
        link=link(group),
    )


def refusal(terms: TermsOfReference, t: Tally | None = None) -> str:
    """Why the version may not be adopted yet, or ``""`` (``t``: its tally, if read already)."""
    if terms.status != Status.REVIEW:
        return _("Only a version the Coordination Group has reviewed can be adopted.")
    t = t or count(terms)
    if not t.can_decide:
        return ngettext(
            "Wait for the votes: %(voted)s of %(seats)s seats has voted; a majority must.",
            "Wait for the votes: %(voted)s of %(seats)s seats have voted; a majority must.",
            t.voted,
        ) % {"voted": t.voted, "seats": t.seats}
    if not outcome(terms.working_group.application_rule, terms, t):
        return _(
            "The seats have not agreed this version under the group's rule: return it to a "
            "draft or withdraw it."
        )
    return ""


def notify_adopted(terms: TermsOfReference, recipients: list[User]) -> None:
    group = terms.working_group
    notifications.notify(
        working_group=group,
        recipients=recipients,
        kind="terms_adopted",
        key=str(terms.pk),
        context={"number": terms.number, "adopted_on": terms.adopted_on},
        link=link(group),
    )


def statements(terms: TermsOfReference) -> dict[str, list[str]]:
    """The governed settings of ``terms`` as the sentences its text states, by part, in the
    active language: what the members read is what the software will do once adopted."""
    rules = {**rules_of(terms.working_group), **terms.rules}
    label = {
        name: dict(WorkingGroup._meta.get_field(name).flatchoices)
        for name in ("application_rule", "minutes_quorum")
    }
    months = rules["meeting_cadence_months"]
    retention = rules["attribution_retention_days"]
    working = [
        ngettext(
            "The plenary meets at least once a month.",
            "The plenary meets at least once every %(months)s months.",
            months,
        )
        % {"months": months},
        _("A meeting lasts %(minutes)s minutes unless the Secretariat announces otherwise.")
        % {"minutes": rules["default_meeting_duration"]},
        ngettext(
            "The convening notice of a plenary goes out %(days)s day before it.",
            "The convening notice of a plenary goes out %(days)s days before it.",
            rules["notice_period_days"],
        )
        % {"days": rules["notice_period_days"]},
        _(
            "Meetings are held under the Chatham House Rule: what is said may be used, never "
            "who said it. The minutes the members read name no speaker; the attributed record, "
            "who said what, is confidential: the Secretariat keeps it and the Coordination "
            "Group reviews it."
        ),
        (
            _("The attributed record of a meeting is destroyed when its minutes are adopted.")
            if retention == 0
            else ngettext(
                "The attributed record of a meeting is destroyed %(days)s day after its "
                "minutes are adopted.",
                "The attributed record of a meeting is destroyed %(days)s days after its "
                "minutes are adopted.",
                retention,
            )
            % {"days": retention}
        ),
    ]
    review = rules["minutes_review_days"]
    decisions = [
        _("The Coordination Group's seats decide applications for membership: %(rule)s.")
        % {"rule": _lower_first(label["application_rule"].get(rules["application_rule"], ""))},
        ngettext(
            "Approval of the minutes: %(quorum)s. The seats review them within %(days)s day.",
            "Approval of the minutes: %(quorum)s. The seats review them within %(days)s days.",
            review,
        )
        % {
            "quorum": _lower_first(label["minutes_quorum"].get(rules["minutes_quorum"], "")),
            "days": review,
        },
        _(
            "These terms change by a new version the Secretariat proposes, the seats review "
            "under the rule for applications, and a plenary adopts; until then the version in "
            "force applies."
        ),
    ]
    required = rules["attendance_required"]
    compliance = [
        _("No attendance is required of member institutions.")
        if required == 0
        else _(
            "A member institution attends at least %(required)s of the last %(window)s plenaries."
        )
        % {"required": required, "window": rules["attendance_window"]},
    ]
    if rules["annual_report_required"]:
        month, day = (int(part) for part in str(rules["annual_report_due"]).split("-"))
        compliance.append(
            _(
                "Each member reports every year on its security and human rights efforts; the "
                "report on a year is due by %(due)s of the following year."
            )
            % {"due": formats.date_format(date(2000, month, day), "MONTH_DAY_FORMAT")}
        )
    else:
        compliance.append(_("No annual report is required of members."))
    return {"working_rules": working, "decision_rules": decisions, "compliance": compliance}


def _lower_first(text) -> str:
    """A setting's label inside a sentence: "One approval ..." reads "one approval ..."."""
    text = str(text)
    return text[:1].lower() + text[1:]
