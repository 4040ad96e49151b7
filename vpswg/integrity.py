"""What an installation must still prove after a restore: ``manage.py verify_integrity``.

A backup is three things kept apart (docs/backup.md): the database, the uploaded files and the
two key rings. A restore can go wrong in each of them without a page failing at once: a frozen
version edited or damaged in the dump, a file missing from the media copy or cut short, a key
ring from another installation (or none) that opens nothing. Each check here reads every row it
is about and says how many it verified and which did not verify, by id, never by content: the
output goes to an operator's terminal and logs, and must not say who said what.

The checks are registered by the apps that own the data (``register_check`` in their
``AppConfig.ready``), as the key rotators are, so that the kernel's command needs to know none
of them. The kernel registers its own: every uploaded file (every ``FileField`` of every
installed model, so that a new upload field cannot be forgotten), each group's audit chain and
the second factors' secrets.

Uploads keep no checksum of their own (no column holds one): what a restore can be held to is
the manifest the backup wrote (``manage.py uploads_manifest``, a ``sha256sum`` file of every
file the database refers to), and, without one, that each file is there, of the size recorded
where one is (application letters), and whole (a PDF that ends with ``%%EOF``, a DOCX or XLSX
that ends with a ZIP's end record).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

#: How many failures one check lists per group; past that, only their number.
MAX_LISTED = 20
#: Bytes read at a time to hash a file.
CHUNK = 1024 * 1024
#: How far from the end a PDF's ``%%EOF`` (writers add a little padding) and a ZIP's end
#: record (after a comment of at most 64 KB) are looked for.
PDF_TAIL = 1024
ZIP_TAIL = 65536 + 22
MANIFEST_LINE = re.compile(r"^([0-9a-f]{64}) [ *](.+)$")


@dataclass
class Tally:
    """What one check found in one group (or on the platform): counts by what was verified,
    and the failures, each one line naming ids, never content."""

    counts: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    #: Failures past ``MAX_LISTED``: counted, not listed.
    unlisted: int = 0

    def fail(self, message: str) -> None:
        if len(self.failures) < MAX_LISTED:
            self.failures.append(message)
        else:
            self.unlisted += 1

    @property
    def failed(self) -> int:
        return len(self.failures) + self.unlisted

    def add(self, other: Tally) -> None:
        self.counts.update(other.counts)
        self.failures += other.failures
        self.unlisted += other.unlisted


@dataclass(frozen=True)
class Check:
    name: str
    #: ``(group, options) -> Tally``, run inside the group's scope; or ``(options) -> Tally``
    #: for data that belongs to no group (``per_group=False``).
    run: Callable[..., Tally]
    per_group: bool = True


@dataclass(frozen=True)
class Options:
    """What the operator gave the command: the uploads manifest, read once."""

    manifest: dict[str, str] | None = None


#: ``name -> Check``, in the order registered.
CHECKS: dict[str, Check] = {}


def register_check(name: str, run: Callable[..., Tally], *, per_group: bool = True) -> None:
    CHECKS[name] = Check(name, run, per_group)


# --- Uploaded files --------------------------------------------------------------------------


def file_fields() -> Iterator[tuple[type, str]]:
    """Every ``(model, field name)`` of an installed model that stores a file."""
    from django.apps import apps
    from django.db import models

    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            if isinstance(model_field, models.FileField):
                yield model, model_field.name


def stored_files(group=None) -> Iterator[tuple[str, int, str, int | None]]:
    """``(model label, row id, storage name, recorded size)`` of every file a row refers to:
    the group's rows, or (``group`` None) those of the models that belong to no group."""
    from vpswg.scoping import TenantModel

    for model, name in file_fields():
        if issubclass(model, TenantModel) != (group is not None):
            continue
        size_field = f"{name}_size"
        has_size = any(f.name == size_field for f in model._meta.get_fields())
        columns = ["pk", name, *([size_field] if has_size else [])]
        rows = model._default_manager.exclude(**{name: ""}).exclude(**{f"{name}__isnull": True})
        if group is not None:
            rows = rows.filter(working_group=group)
        for row in rows.order_by("pk").values_list(*columns).iterator(chunk_size=500):
            yield model._meta.label, row[0], row[1], (row[2] if has_size else None)


def sha256_of(storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _looks_whole(storage, name: str, size: int) -> str:
    """Why the file is not a whole document of its kind, or "" (a cut copy fails here)."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in {"pdf", "docx", "xlsx"}:
        return ""
    with storage.open(name, "rb") as handle:
        head = handle.read(8)
        tail_size = PDF_TAIL if extension == "pdf" else ZIP_TAIL
        handle.seek(max(size - tail_size, 0))
        tail = handle.read()
    if extension == "pdf":
        if not head.startswith(b"%PDF-"):
            return "does not start as a PDF"
        if b"%%EOF" not in tail:
            return "is cut short (no %%EOF at its end)"
        return ""
    if not head.startswith(b"PK\x03\x04"):
        return "does not start as a ZIP (DOCX, XLSX)"
    if b"PK\x05\x06" not in tail:
        return "is cut short (no ZIP end record)"
    return ""


def _check_files(files, options: Options) -> Tally:
    from django.core.files.storage import default_storage

    tally = Tally()
    tally.counts["uploads"] += 0  # said, even when there are none
    if options.manifest is not None:
        tally.counts["uploads checksummed"] += 0
    for label, pk, name, recorded in files:
        where = f"{label} {pk}: {name}"
        if not default_storage.exists(name):
            tally.fail(f"{where}: missing from the storage")
            continue
        size = default_storage.size(name)
        if recorded is not None and recorded and size != recorded:
            tally.fail(f"{where}: {size} bytes, the database recorded {recorded}")
            continue
        if options.manifest is not None:
            expected = options.manifest.get(name)
            if expected is None:
                tally.fail(f"{where}: not in the manifest")
                continue
            if sha256_of(default_storage, name) != expected:
                tally.fail(f"{where}: its SHA-256 differs from the manifest's")
                continue
            tally.counts["uploads checksummed"] += 1
        problem = _looks_whole(default_storage, name, size)
        if problem:
            tally.fail(f"{where}: {problem}")
            continue
        tally.counts["uploads"] += 1
    return tally


def check_group_uploads(group, options: Options) -> Tally:
    return _check_files(stored_files(group), options)


def check_platform_uploads(options: Options) -> Tally:
    return _check_files(stored_files(), options)


def write_manifest(out) -> tuple[int, list[str]]:
    """Write a ``sha256sum`` line for every file the database refers to, in every group;
    returns how many, and the names of those missing from the storage already (they cannot
    be restored: say so when the backup is taken, not at the restore). ``sha256sum -c`` in a
    local media folder reads the manifest too."""
    from django.core.files.storage import default_storage

    from vpswg.models import WorkingGroup
    from vpswg.scoping import group_scope

    names = {name for _, _, name, _ in stored_files()}
    for group in WorkingGroup.objects.order_by("pk"):
        with group_scope(group):
            names |= {name for _, _, name, _ in stored_files(group)}
    count, missing = 0, []
    for name in sorted(names):
        if not default_storage.exists(name):
            missing.append(name)
            continue
        out.write(f"{sha256_of(default_storage, name)}  {name}\n")
        count += 1
    return count, missing


def read_manifest(path: Path) -> dict[str, str]:
    """``storage name -> sha256`` from a manifest; a line that is not one is an error."""
    manifest = {}
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        match = MANIFEST_LINE.match(line)
        if match is None:
            raise ValueError(f"{path}, line {number}: not '<sha256>  <name>'")
        manifest[match[2]] = match[1]
    return manifest


# --- The audit chain and the second factors ---------------------------------------------------


def check_audit(group, options: Options) -> Tally:
    from vpswg.services.audit import verify_chain

    report = verify_chain(group)
    tally = Tally()
    tally.counts["audit entries"] = report.entries
    if not report.ok:
        tally.fail(f"audit entry {report.first_bad_id}: {report.explanation}")
    return tally


def check_second_factors(options: Options) -> Tally:
    """Every authenticator's secrets open with ``VPSWG_MFA_KEYS`` (a secret in clear fails:
    the adapter refuses one)."""
    from allauth.mfa.models import Authenticator

    from vpswg.adapters import MFA_AAD, SECRET_FIELDS, SECRET_LIST_FIELDS
    from vpswg.crypto import DecryptionError, KeyConfigurationError, mfa_ring

    tally = Tally()
    tally.counts["second factors"] += 0
    try:
        ring = mfa_ring()
    except KeyConfigurationError as exc:
        ring, problem = None, str(exc)
    rows = Authenticator.objects.order_by("pk").values_list("pk", "user_id", "type", "data")
    for pk, user_id, kind, data in rows.iterator(chunk_size=500):
        values = [data.get(name) for name in SECRET_FIELDS if isinstance(data.get(name), str)]
        for name in SECRET_LIST_FIELDS:
            values += [v for v in data.get(name) or [] if isinstance(v, str)]
        for value in values:
            if ring is None:
                tally.fail(f"authenticator {pk} (user {user_id}, {kind}): {problem}")
                break
            try:
                ring.decrypt(value, MFA_AAD)
            except DecryptionError as exc:
                tally.fail(f"authenticator {pk} (user {user_id}, {kind}): {exc}")
                break
        else:
            tally.counts["second factors"] += 1
    return tally


def register_kernel_checks() -> None:
    register_check("uploads", check_group_uploads)
    register_check("audit", check_audit)
    register_check("uploads outside groups", check_platform_uploads, per_group=False)
    register_check("second factors", check_second_factors, per_group=False)


# --- Running them ------------------------------------------------------------------------------


@dataclass
class Report:
    """Each group's tally (by slug; "" for the platform's data), and the sum of them."""

    groups: dict[str, Tally] = field(default_factory=dict)

    @property
    def total(self) -> Tally:
        total = Tally()
        for tally in self.groups.values():
            total.add(tally)
        return total

    @property
    def ok(self) -> bool:
        return self.total.failed == 0


def verify(*, slugs: list[str] | None = None, options: Options | None = None) -> Report:
    """Run every registered check, each group in its own scope, then the platform's."""
    from vpswg.models import WorkingGroup
    from vpswg.scoping import group_scope, scopes_disabled

    options = options or Options()
    report = Report()
    groups = WorkingGroup.objects.order_by("slug")
    if slugs:
        groups = groups.filter(slug__in=slugs)
    for group in groups:
        tally = Tally()
        # An operator tool across tenants: each group is read inside its own scope.
        with group_scope(group):
            for check in CHECKS.values():
                if check.per_group:
                    tally.add(_run(check, check.run, group, options))
        report.groups[group.slug] = tally
    if not slugs:
        tally = Tally()
        with scopes_disabled():
            for check in CHECKS.values():
                if not check.per_group:
                    tally.add(_run(check, check.run, options))
        report.groups[""] = tally
    return report


def _run(check: Check, run, *args) -> Tally:
    """One check's tally; a check that breaks is a failure of the restore, not a traceback."""
    try:
        return run(*args)
    except Exception as exc:  # noqa: BLE001 - reported as a failure, with its type
        tally = Tally()
        tally.fail(f"{check.name}: the check stopped: {type(exc).__name__}: {exc}")
        return tally
