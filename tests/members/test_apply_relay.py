"""The public application form is not a relay: the contact address is confirmed before anything
else is sent or anyone sees the application; limits per client, per address and per group and
day; a hidden field for robots; unconfirmed applications expire with their letter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from members import apply_views
from members.models import Application
from members.services import applications as service
from tests.factories import APPLICATION_DATA, MINIMAL_PDF, make_secretariat, sign_in
from vpswg.models import Notification
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db

MARKER = "INJECTED-CANARY-TEXT"


def _form(**extra) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {
        k: ("on" if v is True else "" if v is False else v) for k, v in APPLICATION_DATA.items()
    }
    data.update(
        name=f"{MARKER} Mining",
        contact_name=f"{MARKER} Person",
        description=f"Visit http://evil.example/{MARKER}",
        letter=SimpleUploadedFile("letter.pdf", MINIMAL_PDF, content_type="application/pdf"),
    )
    data.update(extra)
    return {k: v for k, v in data.items() if v != ""}


def _post(client, group, ip="203.0.113.5", **extra):
    return client.post(
        reverse("apply:form", kwargs={"wg": group.slug}),
        _form(**extra),
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=ip,
    )


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def _applications(group):
    with group_scope(group):
        return list(Application.objects.all())


def test_nothing_is_sent_on_until_the_address_is_confirmed(
    client, group, smtp_server, eager_tasks, django_capture_on_commit_callbacks, behind_proxy
):
    secretariat = make_secretariat(group)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, group, contact_email="victim@example.test")
    assert response.status_code == 302
    (application,) = _applications(group)
    assert application.status == "unconfirmed"
    # One e-mail, to the address typed, with nothing the form's author wrote in it.
    (mail,) = smtp_server.recorder.received
    assert mail.recipients == ["victim@example.test"]
    assert MARKER not in mail.message.as_string() and "evil.example" not in mail.text
    assert f"/{group.slug}/apply/a/" in mail.text
    with group_scope(group):
        assert not Notification.objects.filter(recipient=secretariat).exists()
    # The Secretariat does not see it.
    sign_in(client, secretariat)
    page = client.get(reverse("members:applications", kwargs={"wg": group.slug}))
    assert MARKER not in page.content.decode()
    detail = reverse("members:application", kwargs={"wg": group.slug, "pk": application.pk})
    assert client.get(detail).status_code == 404
    client.logout()
    # The link shows a button: opening it (a mail scanner does) confirms nothing.
    link = mail.text.split(f"/{group.slug}/apply/a/")[1].split()[0]
    url = f"/{group.slug}/apply/a/{link}"
    assert "Confirm and send" in client.get(url).content.decode()
    assert _applications(group)[0].status == "unconfirmed"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    (application,) = _applications(group)
    assert application.status == "submitted" and application.submitted_at
    kinds = {m.subject for m in smtp_server.recorder.received}
    assert any(application.reference in s for s in kinds)  # the acknowledgement, now
    with group_scope(group):
        assert Notification.objects.filter(
            recipient=secretariat, kind="application_to_screen"
        ).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)  # twice: nothing more
    with group_scope(group):
        assert Notification.objects.filter(kind="application_to_screen").count() == 1


def test_unconfirmed_applications_expire_with_their_letter(group):
    from tests.factories import make_application

    waiting = make_application(group, "unconfirmed")
    confirmed = make_application(group, "submitted", contact_email="real@example.test")
    with group_scope(group):
        letter = Application.objects.get(pk=waiting.pk).letter.name
        assert default_storage.exists(letter)
        assert service.expire_unconfirmed(group) == 0  # not yet
        Application.objects.filter(pk=waiting.pk).update(
            created_at=timezone.now() - timedelta(hours=service.CONFIRM_HOURS + 1)
        )
        Application.objects.filter(pk=confirmed.pk).update(
            created_at=timezone.now() - timedelta(days=30)
        )
        assert service.expire_unconfirmed(group) == 1
        assert list(Application.objects.values_list("pk", flat=True)) == [confirmed.pk]
    assert not default_storage.exists(letter)


def test_a_client_sending_many_is_limited_and_others_are_not(client, group, behind_proxy):
    """Thirty submissions in a few seconds from one client: five are taken (what a real
    applicant never reaches), the rest refused with a message and nothing stored."""
    statuses = [
        _post(client, group, contact_email=f"a{n}@example.test").status_code for n in range(30)
    ]
    assert statuses.count(302) == apply_views.SUBMISSIONS_PER_HOUR
    refused = _post(client, group, contact_email="late@example.test")
    assert refused.status_code == 429 and "Too many" in refused.content.decode()
    assert len(_applications(group)) == apply_views.SUBMISSIONS_PER_HOUR
    assert (
        _post(client, group, ip="198.51.100.7", contact_email="b@example.test").status_code == 302
    )


def test_one_address_is_limited_whoever_types_it(client, group, behind_proxy):
    for n in range(apply_views.SUBMISSIONS_PER_ADDRESS_PER_DAY):
        assert (
            _post(client, group, ip=f"203.0.113.{n}", contact_email="v@example.test").status_code
            == 302
        )
    refused = _post(client, group, ip="203.0.113.99", contact_email="V@Example.test")
    assert refused.status_code == 429 and "this contact address" in refused.content.decode()


def test_the_group_takes_so_many_a_day_and_the_secretariat_is_told_once(
    client, group, behind_proxy, monkeypatch
):
    secretariat = make_secretariat(group)
    monkeypatch.setattr(apply_views, "SUBMISSIONS_PER_GROUP_PER_DAY", 2)
    results = [
        _post(client, group, ip=f"203.0.113.{n}", contact_email=f"c{n}@example.test")
        for n in range(4)
    ]
    assert [r.status_code for r in results] == [302, 302, 429, 429]
    assert "Try again tomorrow" in results[2].content.decode()
    assert len(_applications(group)) == 2
    with group_scope(group):
        told = Notification.objects.filter(recipient=secretariat, kind="application_cap_reached")
        assert told.count() == 1


def test_a_robot_filling_the_hidden_field_is_thanked_and_nothing_is_kept(
    client, group, behind_proxy, smtp_server, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, group, homepage="http://spam.example")
    assert response.status_code == 302 and response["Location"].endswith("/apply/thanks/")
    assert _applications(group) == [] and smtp_server.recorder.received == []
    assert client.get(response["Location"]).status_code == 200


def test_too_many_attempts_even_invalid_ones_are_limited(client, group, behind_proxy):
    url = reverse("apply:form", kwargs={"wg": group.slug})
    codes = [
        client.post(url, {}, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.8").status_code
        for _ in range(apply_views.POSTS_PER_HOUR + 1)
    ]
    assert codes[:-1] == [200] * apply_views.POSTS_PER_HOUR and codes[-1] == 429
