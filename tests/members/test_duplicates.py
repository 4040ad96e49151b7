"""A duplicate institution is caught when the application is sent (with the existing name) and
shown at screening, not only at the decision."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members import duplicates
from tests.factories import make_application, make_institution, make_secretariat
from vpswg.scoping import group_scope

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("existing", "short", "typed", "typed_short"),
    [
        ("Compañía Minera Antamina S.A.", "", "compania minera ANTAMINA", ""),
        ("Antamina", "", "Antamina S.A.A.", ""),
        (
            "Superintendencia Nacional de Control de Servicios de Seguridad",
            "SUCAMEC",
            "Sucamec",
            "",
        ),
        ("Pontificia Universidad Católica del Perú", "", "PUCP", ""),
        ("Instituto de Defensa Legal", "IDL", "Instituto Defensa Legal (IDL)", "IDL"),
    ],
)
def test_the_same_institution_written_otherwise_is_found(
    group, existing, short, typed, typed_short
):
    institution = make_institution(group, name=existing, short_name=short)
    with group_scope(group):
        assert duplicates.find(typed, typed_short) == institution


@pytest.mark.parametrize(
    "typed", ["Minera Andina del Sur", "Antamina Foundation Trust", "Red Muqui"]
)
def test_another_institution_is_not(group, typed):
    make_institution(group, name="Compañía Minera Antamina S.A.", short_name="Antamina")
    make_institution(group, name="Minera Andina")
    with group_scope(group):
        assert duplicates.find(typed) is None


def test_the_apply_form_warns_with_the_existing_name(client, group, other_group):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import MINIMAL_PDF

    make_institution(group, name="Compañía Minera Antamina S.A.")
    make_institution(other_group, name="Red Muqui")  # another group's: not a duplicate here
    group.applications_open = True
    group.save()
    data = {
        "name": "Compania Minera Antamina",
        "participation": "member",
        "pillar": "companies",
        "kind": "company",
        "contact_name": "Valeria Torres",
        "contact_email": "valeria@antamina.example",
        "vps_member": "on",
        "attests_institutional": "on",
        "attests_topics": "on",
        "attests_standing": "on",
    }
    url = reverse("apply:form", kwargs={"wg": group.slug})
    letter = SimpleUploadedFile("carta.pdf", MINIMAL_PDF, content_type="application/pdf")
    response = client.post(url, {**data, "letter": letter})
    body = response.content.decode()
    assert response.status_code == 200
    # The public form does not say which: anyone could learn the members name by name.
    assert "An institution with a similar name already takes part in the group" in body
    assert "Compañía Minera Antamina S.A." not in body
    assert 'name="different_institution"' in body and 'type="checkbox"' in body
    assert 'value="valeria@antamina.example"' in body  # nothing typed is lost
    letter = SimpleUploadedFile("carta.pdf", MINIMAL_PDF, content_type="application/pdf")
    response = client.post(url, {**data, "letter": letter, "different_institution": "on"})
    assert response.status_code == 302
    # Another group's institution of the same name is no duplicate here.
    letter = SimpleUploadedFile("carta.pdf", MINIMAL_PDF, content_type="application/pdf")
    response = client.post(
        url, {**data, "name": "Red Muqui", "contact_email": "a@muqui.example", "letter": letter}
    )
    assert response.status_code == 302


def test_screening_shows_the_likely_duplicate(client, group):
    existing = make_institution(group, name="Compañía Minera Antamina S.A.")
    application = make_application(group, "submitted", name="Antamina SAA")
    client.force_login(make_secretariat(group))
    page = client.get(
        reverse("members:application", kwargs={"wg": group.slug, "pk": application.pk})
    )
    body = page.content.decode()
    assert "This looks like “Compañía Minera Antamina S.A.”, already in the group." in body
    assert reverse("members:institution", kwargs={"wg": group.slug, "pk": existing.pk}) in body


def test_the_nomination_names_the_match_for_a_member(client, group):
    from tests.factories import make_member

    make_institution(group, name="Compañía Minera Antamina S.A.")
    client.force_login(make_member(group))
    response = client.post(
        reverse("members:nominate", kwargs={"wg": group.slug}),
        {"name": "Antamina", "participation": "member", "pillar": "companies", "kind": "company"},
    )
    assert "“Compañía Minera Antamina S.A.” is already in the group" in response.content.decode()


def test_an_expelled_institution_is_not_hinted_at_publicly(group):
    from members.services.institutions import decide_standing
    from tests.factories import make_coordination

    gone = make_institution(group, name="Minera Expulsada")
    with group_scope(group):
        decide_standing(
            institution=gone, actor=make_coordination(group), decision="expulsion", reason="r"
        )
        assert duplicates.find("Minera Expulsada", active_only=True) is None
        assert duplicates.find("Minera Expulsada") == gone
