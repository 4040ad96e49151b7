"""The Peruvian group's documents: the scoping study (seed step 3), the work plan, a draft law
discussed (step 8), a guest's presentation at a past plenary, and a note for the Coordination
Group only, each with the audience a Secretariat would choose; the study in two versions."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from demo import data
from demo.documents import simple_pdf
from demo.seeding.people import demo_people
from meetings.models import Document, Meeting
from vpswg.models import WorkingGroup
from vpswg.uploads import validate_document

DOCUMENTS = [
    # title, kind, audience, year, lines, on the last held plenary?
    (
        "Estudio de línea de base: seguridad y derechos humanos en el sector extractivo",
        "study",
        "public",
        2012,
        [
            "Estudio de linea de base del Grupo de Trabajo de Principios Voluntarios",
            "Mapeo de actores: empresas mineras, Policia Nacional, sociedad civil.",
            "Hallazgos: contratos de seguridad con la policia, conflictos sociales,",
            "necesidad de un espacio de dialogo tripartito.",
        ],
        False,
    ),
    (
        "Plan de trabajo 2025-2026",
        "work_plan",
        "members",
        2025,
        [
            "Plan de trabajo del grupo: capacitaciones regionales en Cajamarca y Apurimac,",
            "dialogo con el Ministerio del Interior sobre convenios policiales.",
        ],
        False,
    ),
    (
        "Proyecto de ley de servicios de seguridad privada",
        "draft_text",
        "members",
        2024,
        [
            "Proyecto de ley que regula los servicios de seguridad privada.",
            "Articulo 12: capacitacion obligatoria en derechos humanos y uso de la fuerza.",
        ],
        False,
    ),
    (
        "Presentacion: prevencion de conflictos sociales y uso de la fuerza",
        "presentation",
        "members",
        None,
        [
            "Defensoria del Pueblo - Adjuntia para la Prevencion de Conflictos Sociales",
            "Reporte de conflictos sociales: casos activos en corredores mineros.",
            "Recomendaciones sobre el uso de la fuerza en protestas.",
        ],
        True,
    ),
    (
        "Nota reservada: evaluacion de la renovacion de la Secretaria",
        "other",
        "coordination",
        2026,
        [
            "Nota para los puestos del Grupo de Coordinacion.",
            "Opciones de rotacion de la Secretaria.",
        ],
        False,
    ),
]


def _upload(name: str, lines: list[str]) -> SimpleUploadedFile:
    upload = SimpleUploadedFile(name, simple_pdf(lines))
    upload.document_type = validate_document(upload)
    return upload


def seed_documents(group: WorkingGroup) -> None:
    from meetings.documents import services

    users, _ = demo_people(group)
    secretariat = users[data.PERU_SECRETARIAT]
    last = (
        Meeting.objects.filter(status=Meeting.Status.HELD, kind=Meeting.Kind.PLENARY)
        .order_by("-start")
        .first()
    )
    for title, kind, audience, year, lines, on_meeting in DOCUMENTS:
        if Document.objects.filter(title=title).exists():
            continue
        meeting = last if on_meeting else None
        item = meeting.agenda_items.order_by("position").first() if meeting else None
        when = meeting.start.date() if meeting is not None else datetime.date(year, 3, 15)
        document = services.add_document(
            working_group=group,
            actor=secretariat,
            upload=_upload(f"{kind}.pdf", lines),
            title=title,
            kind=kind,
            language="es",
            date=when,
            audience=audience,
            meeting=meeting,
            agenda_item=item,
        )
        if kind == "study":
            services.add_version(
                document=document,
                actor=secretariat,
                upload=_upload("study-v2.pdf", [*lines, "Version revisada con el anexo de mapeo."]),
                note="Anexo de mapeo de actores",
            )
