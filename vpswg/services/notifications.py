"""The notification outbox: queue notices with the change that causes them, deliver after commit.

``notify`` writes one row per recipient inside the caller's transaction and asks, on commit,
for delivery. ``deliver`` claims pending rows a batch at a time (a lock that other workers
skip and that dies with the claiming session), sends them over one SMTP connection, and
marks each sent, committed, as soon as the server has accepted it: two workers (or a task
run twice) cannot both send a row, and a worker killed mid-batch re-sends at most the one
message in flight. Its ``Message-ID`` is derived from the row's unique key, so even that
message, accepted by SMTP in the instant before the crash and sent again, is recognisable
as the same. Failures are recorded on the row and retried with backoff; ``sweep`` picks up
whatever was left behind.

E-mails go to one recipient each and carry links, never minutes text.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from email.policy import Compat32, compat32
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import get_template
from django.utils import timezone, translation

from vpswg.models import Notification, User, WorkingGroup
from vpswg.scoping import scopes_disabled

logger = logging.getLogger(__name__)

_SPACES = re.compile(r"[ \t\r\n]+")

MAX_ATTEMPTS = 6
#: Must stay below the broker's visibility timeout (settings.CELERY_BROKER_TRANSPORT_OPTIONS).
MAX_BACKOFF_SECONDS = 60 * 60
DISPATCH_CHUNK = 50
#: Rows a delivery claims at once (see ``_Outbox``); each is still marked on its own.
CLAIM_BATCH = 25
#: The first key of the outbox's advisory locks ("outb"), apart from the audit chain's.
LOCK_CLASS = 0x6F757462


def base_backoff() -> int:
    """Seconds before the first retry (settings.NOTIFICATION_BACKOFF_SECONDS, 30 by default)."""
    return settings.NOTIFICATION_BACKOFF_SECONDS


def sweep_grace() -> timedelta:
    """Rows younger than this are left to the on-commit dispatch; the sweep takes older ones."""
    return timedelta(seconds=settings.NOTIFICATION_SWEEP_GRACE_SECONDS)


@dataclass(frozen=True)
class Recipient:
    """Someone to notify: a user (e-mail and in-app) or a bare address (e.g. an applicant)."""

    email: str
    user: User | None = None
    language: str = ""

    @classmethod
    def of(cls, user: User) -> Recipient:
        return cls(email=user.email, user=user, language=user.language)


def backoff(attempts: int) -> int:
    return min(base_backoff() * 2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS)


def absolute_url(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}{path}"


def notify(
    *,
    working_group: WorkingGroup,
    recipients: Iterable[User | Recipient],
    kind: str,
    key: str,
    context: dict[str, Any] | None = None,
    link: str = "",
    email: bool = True,
    in_app: bool = True,
    attachments: Sequence[dict[str, str]] | Callable[[Recipient, str], list[dict]] = (),
) -> list[int]:
    """Queue one notice per recipient; returns the ids of rows created now.

    ``key`` identifies the event (e.g. ``"minutes-approved:42:v3"``); with the recipient it makes
    each row's unique key, so calling ``notify`` twice for the same event adds nothing. Subject
    and text come from ``notifications/<kind>/subject.txt`` and ``body.txt``. The text and the
    e-mail's subject are in the recipient's language (their own, else the group's); the
    subject is also kept in every language of the site (``Notification.titles``), for the
    in-app list to show in the language the reader has when they open it. ``attachments`` may
    be a function of the recipient and language, for files made for each person (a calendar
    invitation).
    """
    people = [Recipient.of(item) if isinstance(item, User) else item for item in recipients]
    keys = {
        f"{working_group.pk}:{kind}:{key}:{p.user.pk if p.user else p.email.lower()}": p
        for p in people
    }
    if not keys:
        return []
    # Those told of this event already are left out before anything is rendered for them
    # (the daily job asks again every hour).
    existing = set(Notification.objects.filter(key__in=list(keys)).values_list("key", flat=True))
    fresh = {k: p for k, p in keys.items() if k not in existing}
    if not fresh:
        return []
    # Looked up once per call, not once per recipient (a convening renders them sixty times).
    subject_template = get_template(f"notifications/{kind}/subject.txt")
    body_template = get_template(f"notifications/{kind}/body.txt")
    shared = {"working_group": working_group, "link": absolute_url(link), **(context or {})}
    subjects = _Subjects(subject_template, shared)
    bodies = _Bodies(body_template, shared)
    titles = subjects.every_language()
    rows: list[Notification] = []
    for row_key, recipient in fresh.items():
        language = recipient.language or working_group.default_language
        rows.append(
            Notification(
                working_group=working_group,
                recipient=recipient.user,
                email=recipient.email if email else "",
                kind=kind,
                key=row_key,
                subject=subjects.language(language),
                titles=dict(titles),
                body=bodies.text(recipient, language),
                link=link,
                language=language,
                attachments=(
                    attachments(recipient, language) if callable(attachments) else list(attachments)
                ),
                in_app=in_app and recipient.user is not None,
                status=Notification.Status.PENDING if email else Notification.Status.NOT_EMAILED,
            )
        )
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    new_ids = list(
        Notification.objects.filter(
            key__in=list(fresh), status=Notification.Status.PENDING
        ).values_list("id", flat=True)
    )
    if new_ids:
        group_id = working_group.pk
        transaction.on_commit(lambda: dispatch(group_id, new_ids))
    return new_ids


class _Subjects:
    """One event's subject, rendered once per language whoever the recipients are.

    A subject names the event, not its reader: ``subject.txt`` is rendered without
    ``recipient`` (tests/vpswg/test_notification_titles.py checks that none uses it), so a
    convening's sixty recipients cost one rendering per language, not sixty.
    """

    def __init__(self, template, context: dict[str, Any]) -> None:
        self.template = template
        self.context = context
        self.rendered: dict[str, str] = {}

    def language(self, code: str) -> str:
        if code not in self.rendered:
            with translation.override(code):
                # Line breaks and runs of spaces go, a no-break space stays (French typography
                # puts one before ":"; str.split() would take it for a space).
                text = _SPACES.sub(" ", self.template.render(self.context)).strip(" ")
            self.rendered[code] = text[:250]
        return self.rendered[code]

    def every_language(self) -> dict[str, str]:
        return {code: self.language(code) for code, _name in settings.LANGUAGES}


class _Bodies:
    """One event's text in each language, rendered once per language when it does not name
    its reader.

    ``body.txt`` has the event (``context``) and ``recipient``; most texts use only the first,
    and for them the recipients of one language get the same text, so a convening's sixty
    notices cost one rendering per language. A text that mentions ``recipient`` anywhere, or
    includes or extends another template (which might), is rendered for each person.
    """

    _PERSONAL = re.compile(r"recipient|{%-?\s*(include|extends)\b")

    def __init__(self, template, context: dict[str, Any]) -> None:
        self.template = template
        self.context = context
        source = getattr(getattr(template, "template", None), "source", None)
        self.personal = source is None or bool(self._PERSONAL.search(source))
        self.rendered: dict[str, str] = {}

    def text(self, recipient: Recipient, language: str) -> str:
        if language in self.rendered:
            return self.rendered[language]
        with translation.override(language):
            text = self.template.render({**self.context, "recipient": recipient}).strip() + "\n"
        if not self.personal:
            self.rendered[language] = text
        return text


def dispatch(working_group_id: int, notification_ids: Sequence[int]) -> None:
    """Hand pending rows to the worker in chunks (in-process when there is no broker).

    It runs after the change has committed. When the broker cannot be reached (Redis
    restarting, or lost), the rows are safe in the database and the sweep sends them: raising
    here would answer 500 for a change that was saved (the person would make it again), so
    the failure is logged and the rest left to the sweep.
    """
    from kombu.exceptions import OperationalError

    from vpswg.tasks import deliver_notifications

    ids = list(notification_ids)
    for start in range(0, len(ids), DISPATCH_CHUNK):
        try:
            deliver_notifications.delay(working_group_id, ids[start : start + DISPATCH_CHUNK])
        except OperationalError as exc:
            logger.warning(
                "notifications: broker unreachable (%s); %d notices left to the sweep",
                exc,
                len(ids) - start,
            )
            return


def message_id(key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    return f"<{digest}@vpswg>"


@functools.lru_cache(maxsize=1024)
def _folded(name: str, value: str, max_line_length, linesep: str, cte_type: str) -> bytes:
    policy = compat32.clone(max_line_length=max_line_length, linesep=linesep, cte_type=cte_type)
    return policy.fold_binary(name, value)


class _KeptFolding(Compat32):
    """``compat32``, the policy Django's messages are written with, keeping each header line
    it has folded.

    Folding a header is most of the cost of writing a message out, and most of an outbox
    message's headers are the same in every one (From, the subject of each language, the
    parts' Content-Type): they are folded once, then reused as they are.
    """

    def fold_binary(self, name, value):
        if isinstance(value, str):
            return _folded(name, value, self.max_line_length, self.linesep, self.cte_type)
        return super().fold_binary(name, value)


_KEPT_FOLDING = _KeptFolding()


class _OutboxEmail(EmailMessage):
    """Django's message, written out with ``_KeptFolding`` and with a boundary chosen up front.

    Left to itself, the generator draws a random boundary and compiles a regular expression
    to search the whole text for it, per message. Ours is 128 random bits from ``secrets``:
    nothing written before it was drawn can contain it.
    """

    def message(self):
        message = super().message()
        message.policy = _KEPT_FOLDING
        if message.is_multipart():
            message.set_boundary(f"=_{secrets.token_hex(16)}")
        return message


def _message(notification: Notification) -> EmailMessage:
    message = _OutboxEmail(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.email],
        headers={
            "Message-ID": message_id(notification.key),
            "Auto-Submitted": "auto-generated",
            "X-Auto-Response-Suppress": "All",
        },
    )
    for attachment in notification.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return message


@dataclass
class DeliveryResult:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    retry_in: int | None = None


def _open_connection():
    """One SMTP connection for a whole batch: a backend that is not opened first connects,
    greets and quits for every message (seven round trips more per e-mail). If the server
    cannot be reached now, sending each message tries again and records the failure."""
    connection = get_connection()
    try:
        connection.open()
    except Exception:  # noqa: BLE001 - the per-message attempt reports it
        logger.info("notifications: SMTP server not reachable; each message will retry")
    return connection


class _Outbox:
    """The statements of a delivery, as plain SQL (through the ORM each cost more to build
    than to run, and a convening makes six thousand of them).

    A batch of rows is *claimed* with one statement: on PostgreSQL, an advisory lock per row,
    taken without waiting (another worker's rows are skipped, as ``SKIP LOCKED`` would). The
    lock belongs to the worker's database session, not to a transaction, so each message can
    be marked sent, and committed, the moment the SMTP server has accepted it, while the
    rest of the batch stays claimed; and it dies with the session, so a worker killed
    mid-batch leaves its rows to the next delivery at once (no lease to expire). What a crash
    can re-send is therefore the one message in flight: accepted by the server, not yet
    marked. The rows were read through the scoped manager first, so only ids of the active
    group reach here.
    """

    def __init__(self) -> None:
        ops = db_connection.ops
        q = ops.quote_name
        table = q(Notification._meta.db_table)
        self.postgresql = db_connection.vendor == "postgresql"
        self.pending_sql = (
            f"SELECT {q('id')}, {q('attempts')} FROM {table} "
            f"WHERE {q('id')} = ANY(%s) AND {q('status')} = %s"
        )
        # Inside a transaction (a test, a caller's atomic block) a mark is not visible to
        # other sessions before that transaction commits: the claim must last as long.
        in_transaction = db_connection.in_atomic_block
        lock = "pg_try_advisory_xact_lock" if in_transaction else "pg_try_advisory_lock"
        self.release_needed = self.postgresql and not in_transaction
        # The pending rows are read first (OFFSET 0 keeps the planner from locking rows it
        # would then filter out); the lock is taken on those only.
        self.lock_sql = (
            f"SELECT c.id FROM (SELECT {q('id')} AS id FROM {table} "
            f"WHERE {q('id')} = ANY(%s) AND {q('status')} = %s OFFSET 0) c "
            f"WHERE {lock}(%s, (c.id %% 2147483648)::integer)"
        )
        self.release_sql = (
            "SELECT pg_advisory_unlock(%s, (i %% 2147483648)::integer) FROM unnest(%s) i"
        )
        self.mark_sql = (
            f"UPDATE {table} SET {q('status')} = %s, {q('attempts')} = %s, {q('last_error')} = %s, "
            f"{q('next_attempt_at')} = %s, {q('sent_at')} = %s WHERE {q('id')} = %s"
        )

    def begin(self, cursor) -> None:
        # A mark's commit need not wait for the disk: if the database crashed in the instant
        # after, the row would be pending again and the notice sent again, with the same
        # Message-ID, which is the outbox's promise anyway (at least once). Six thousand
        # flushes were a third of a convening's time. For this session's delivery only.
        if self.postgresql:
            cursor.execute("SET synchronous_commit TO OFF")

    def end(self, cursor) -> None:
        if self.postgresql:
            cursor.execute("RESET synchronous_commit")

    def claim(self, cursor, ids: Sequence[int]) -> dict[int, int]:
        """Claim the rows of ``ids`` still pending and taken by nobody else; their attempts
        so far, by id."""
        pending = Notification.Status.PENDING
        if not self.postgresql:  # the embedded default (SQLite): tasks run in-process, alone
            return dict(
                Notification.objects.filter(pk__in=ids, status=pending).values_list(
                    "id", "attempts"
                )
            )
        cursor.execute(self.lock_sql, [list(ids), pending, LOCK_CLASS])
        locked = [row[0] for row in cursor.fetchall()]
        if not locked:
            return {}
        # Read again now that they are ours: a worker that sent one of them marks it before
        # it lets go, after the statement above began and might still have seen it pending.
        cursor.execute(self.pending_sql, [locked, pending])
        claimed = dict(cursor.fetchall())
        self.release(cursor, [nid for nid in locked if nid not in claimed])
        return claimed

    def release(self, cursor, ids: Iterable[int]) -> None:
        ids = list(ids)
        if ids and self.release_needed:
            cursor.execute(self.release_sql, [LOCK_CLASS, ids])

    def mark(
        self,
        cursor,
        nid: int,
        *,
        status,
        attempts,
        last_error="",
        next_attempt_at=None,
        sent_at=None,
    ):
        adapt = db_connection.ops.adapt_datetimefield_value
        cursor.execute(
            self.mark_sql,
            [status, attempts, last_error, adapt(next_attempt_at), adapt(sent_at), nid],
        )


def deliver(notification_ids: Iterable[int]) -> DeliveryResult:
    """Send each pending row once, within the active scope. Safe to call twice, concurrently.

    The rows are claimed ``CLAIM_BATCH`` at a time and sent over one SMTP connection; each
    is marked (and committed) as soon as the server has accepted it, so a worker killed at
    any point re-sends at most the message it was sending, with the same ``Message-ID``.
    Call it outside a transaction (a task, after commit): inside one, the marks and the
    claims last until that transaction ends.
    """
    result = DeliveryResult()
    ids = list(dict.fromkeys(notification_ids))
    rows = {n.pk: n for n in Notification.objects.filter(pk__in=ids)}
    result.skipped += [nid for nid in ids if nid not in rows]
    todo = [nid for nid in ids if nid in rows]
    if not todo:
        return result
    outbox = _Outbox()
    connection = None
    try:
        with db_connection.cursor() as cursor:
            outbox.begin(cursor)
            try:
                for start in range(0, len(todo), CLAIM_BATCH):
                    batch = todo[start : start + CLAIM_BATCH]
                    claimed = outbox.claim(cursor, batch)
                    try:
                        for nid in batch:
                            if nid not in claimed:
                                result.skipped.append(nid)
                                continue
                            if connection is None:
                                connection = _open_connection()
                            connection = _send_one(
                                connection, cursor, outbox, rows[nid], claimed[nid] + 1, result
                            )
                    finally:
                        outbox.release(cursor, claimed)
            finally:
                outbox.end(cursor)
    finally:
        if connection is not None:
            connection.close()
    return result


def _send_one(
    connection,
    cursor,
    outbox: _Outbox,
    notification: Notification,
    attempts: int,
    result: DeliveryResult,
):
    """Send one claimed row and mark it; returns the SMTP connection to go on with."""
    nid = notification.pk
    now = timezone.now()
    try:
        connection.send_messages([_message(notification)])
    except Exception as exc:  # noqa: BLE001 - every failure is recorded and retried
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if attempts >= MAX_ATTEMPTS:
            status, retry_at = Notification.Status.FAILED, None
        else:
            delay = backoff(attempts)
            status, retry_at = Notification.Status.PENDING, now + timedelta(seconds=delay)
            result.retry_in = min(result.retry_in or delay, delay)
        outbox.mark(
            cursor,
            nid,
            status=status,
            attempts=attempts,
            last_error=error,
            next_attempt_at=retry_at,
        )
        result.failed.append(nid)
        logger.warning("notification %s attempt %s failed: %s", nid, attempts, type(exc).__name__)
        # A refused message may have broken the connection; start a fresh one.
        connection.close()
        return _open_connection()
    outbox.mark(cursor, nid, status=Notification.Status.SENT, attempts=attempts, sent_at=now)
    result.sent.append(nid)
    return connection


def sweep(now=None) -> int:
    """Dispatch rows whose delivery was lost or is due for a retry; returns how many."""
    now = now or timezone.now()
    # Delivery bookkeeping across all groups: the sweep reads ids and group ids only.
    with scopes_disabled():
        due = list(
            Notification.objects.filter(status=Notification.Status.PENDING)
            .filter(
                Q(next_attempt_at__lte=now)
                | Q(next_attempt_at__isnull=True, created_at__lte=now - sweep_grace())
            )
            .values_list("working_group_id", "id")
            .order_by("working_group_id", "id")[:5000]
        )
    by_group: dict[int, list[int]] = {}
    for group_id, nid in due:
        by_group.setdefault(group_id, []).append(nid)
    for group_id, ids in by_group.items():
        dispatch(group_id, ids)
    return len(due)


# --- In-app -------------------------------------------------------------------------------


def mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notices read (all of them when ``notification_ids`` is None)."""
    qs = Notification.objects.filter(recipient=user, in_app=True, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())
