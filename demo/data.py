"""The demo's content: the Peruvian working group as of August 2016 (seed text, note 2), and a
small Ghanaian group so that tenant isolation can be seen. People are fictional; institutions
are those the seed lists."""

from __future__ import annotations

from dataclasses import dataclass

PASSWORD = "vpswg-demo-2026"

PERU = {
    "slug": "peru",
    "name": "Grupo de Trabajo de Principios Voluntarios – Perú",
    "country": "Perú",
    "default_language": "es",
    "timezone": "America/Lima",
    "public_description": (
        "Espacio de confianza donde empresas extractivas, instituciones del Estado, embajadas y "
        "organizaciones de la sociedad civil reflexionan juntas sobre los retos de seguridad y "
        "derechos humanos, y promueven la implementación de los Principios Voluntarios en el "
        "Perú. Creado en 2010 tras un estudio exploratorio de Socios Perú; se reúne al menos una "
        "vez por trimestre bajo la Regla de Chatham House."
    ),
    "applications_open": True,
}

# (name, short name, pillar, kind, participation, VPs member, representative, e-mail local part)
PERU_INSTITUTIONS = [
    (
        "Ministerio del Interior",
        "MININTER",
        "government",
        "national_government",
        "member",
        False,
        "Jorge Salinas Vera",
        "mininter",
    ),
    (
        "Ministerio de Energía y Minas",
        "MINEM",
        "government",
        "national_government",
        "member",
        False,
        "Rosa Quispe Huamán",
        "minem",
    ),
    (
        "Ministerio de Relaciones Exteriores",
        "RREE",
        "government",
        "national_government",
        "member",
        False,
        "Alberto Cárdenas Ríos",
        "rree",
    ),
    (
        "Ministerio de Justicia y Derechos Humanos",
        "MINJUSDH",
        "government",
        "national_government",
        "member",
        False,
        "Patricia Mendoza Flores",
        "minjusdh",
    ),
    (
        "Oficina Nacional de Diálogo y Sostenibilidad – PCM",
        "ONDS-PCM",
        "government",
        "national_government",
        "member",
        False,
        "Víctor Ayala Torres",
        "onds",
    ),
    (
        "SUCAMEC",
        "SUCAMEC",
        "government",
        "national_government",
        "member",
        False,
        "Carmen Rojas Delgado",
        "sucamec",
    ),
    (
        "Anglo American",
        "Anglo American",
        "companies",
        "company",
        "member",
        True,
        "Diego Fernández Castro",
        "angloamerican",
    ),
    (
        "Antamina",
        "Antamina",
        "companies",
        "company",
        "member",
        False,
        "Mariela Chávez León",
        "antamina",
    ),
    (
        "Barrick",
        "Barrick",
        "companies",
        "company",
        "member",
        True,
        "Ricardo Vargas Soto",
        "barrick",
    ),
    (
        "Glencore",
        "Glencore",
        "companies",
        "company",
        "member",
        True,
        "Sofía Gutiérrez Paz",
        "glencore",
    ),
    (
        "Las Bambas – MMG",
        "Las Bambas",
        "companies",
        "company",
        "member",
        False,
        "Hugo Medina Zapata",
        "lasbambas",
    ),
    ("Repsol", "Repsol", "companies", "company", "member", True, "Elena Navarro Ruiz", "repsol"),
    (
        "Rio Tinto",
        "Rio Tinto",
        "companies",
        "company",
        "member",
        True,
        "Martín Herrera Campos",
        "riotinto",
    ),
    (
        "Yanacocha – Newmont",
        "Yanacocha",
        "companies",
        "company",
        "member",
        True,
        "Julia Espinoza Tello",
        "yanacocha",
    ),
    (
        "APRODEH",
        "APRODEH",
        "civil_society",
        "ngo_academic",
        "member",
        False,
        "Gloria Huanca Mamani",
        "aprodeh",
    ),
    (
        "IDEH-PUCP",
        "IDEH-PUCP",
        "civil_society",
        "ngo_academic",
        "member",
        False,
        "Fernando Lozano Vidal",
        "idehpucp",
    ),
    (
        "Instituto de Defensa Legal",
        "IDL",
        "civil_society",
        "ngo_academic",
        "member",
        False,
        "Ana Beltrán Ochoa",
        "idl",
    ),
    (
        "Servicios Educativos Rurales",
        "SER",
        "civil_society",
        "ngo_academic",
        "member",
        False,
        "Raúl Pinedo Cueva",
        "ser",
    ),
    (
        "Socios Perú",
        "Socios Perú",
        "civil_society",
        "ngo_academic",
        "member",
        True,
        "Lucía Paredes Aguilar",
        "socios",
    ),
    (
        "Embajada de Australia",
        "Australia",
        "government",
        "foreign_government",
        "member",
        True,
        "Emma Clarke",
        "australia",
    ),
    (
        "Embajada Británica",
        "Reino Unido",
        "government",
        "foreign_government",
        "member",
        True,
        "Oliver Bennett",
        "uk",
    ),
    (
        "Embajada de Canadá",
        "Canadá",
        "government",
        "foreign_government",
        "member",
        True,
        "Claire Tremblay",
        "canada",
    ),
    (
        "Embajada de Colombia",
        "Colombia",
        "government",
        "foreign_government",
        "member",
        True,
        "Andrés Morales Díaz",
        "colombia",
    ),
    (
        "Embajada de los Países Bajos",
        "Países Bajos",
        "government",
        "foreign_government",
        "member",
        True,
        "Pieter de Vries",
        "netherlands",
    ),
    (
        "Embajada de Suiza",
        "Suiza",
        "government",
        "foreign_government",
        "member",
        True,
        "Lukas Meier",
        "switzerland",
    ),
    (
        "Embajada de los Estados Unidos",
        "Estados Unidos",
        "government",
        "foreign_government",
        "member",
        True,
        "Rachel Gordon",
        "usa",
    ),
    (
        "Delegación de la Unión Europea",
        "Unión Europea",
        "government",
        "foreign_government",
        "member",
        False,
        "Sophie Laurent",
        "eu",
    ),
    (
        "Comité Internacional de la Cruz Roja",
        "CICR",
        "",
        "international_organisation",
        "observer",
        False,
        "Thomas Keller",
        "icrc",
    ),
    (
        "UNLIREC",
        "UNLIREC",
        "",
        "international_organisation",
        "observer",
        False,
        "Mónica Salazar Prado",
        "unlirec",
    ),
]

#: The Secretariat is held by Socios Perú (seed step 6); one Coordination seat per pillar.
PERU_SECRETARIAT = "socios"
#: Its history (seed step 6c: the Secretariat rotates): a first term, then a hand-over decided
#: by the seats. (local name of the institution, from, until)
#: A year of contributions to the group's running: (local name, kind, amount, currency, what).
PERU_CONTRIBUTIONS = [
    ("canada", "financial", "15000", "USD", "Apoyo a la Secretaría técnica"),
    ("switzerland", "financial", "12000", "CHF", "Apoyo a la Secretaría técnica"),
    ("uk", "financial", "8000", "GBP", "Estudio de línea de base"),
    ("usa", "interpretation", None, "", "Interpretación inglés–castellano de dos plenarias"),
    ("antamina", "venue", None, "", "Sala de la plenaria de marzo"),
    ("repsol", "catering", None, "", "Refrigerio de la plenaria de junio"),
    ("yanacocha", "venue", None, "", "Sala de la plenaria de septiembre"),
    ("minem", "venue", None, "", "Sala de la plenaria de diciembre"),
    ("socios", "staff_time", "24000", "PEN", "Dos personas a tiempo parcial en la Secretaría"),
    ("idehpucp", "staff_time", None, "", "Relatoría de las plenarias"),
]
PERU_SECRETARIAT_TERMS = [("canada", "2010-03-01", "2014-07-01"), ("socios", "2014-07-01", None)]
PERU_SEATS = {"companies": "antamina", "government": "minjusdh", "civil_society": "idehpucp"}

GHANA = {
    "slug": "ghana",
    "name": "Ghana Voluntary Principles Working Group",
    "country": "Ghana",
    "default_language": "en",
    "timezone": "Africa/Accra",
    "public_description": (
        "Mining companies, government agencies and civil society in Ghana working together on "
        "security and human rights around extractive sites."
    ),
    "applications_open": True,
}

GHANA_INSTITUTIONS = [
    (
        "Ministry of Lands and Natural Resources",
        "MLNR",
        "government",
        "national_government",
        "member",
        False,
        "Kwame Mensah",
        "mlnr",
    ),
    (
        "Ghana Police Service",
        "GPS",
        "government",
        "national_government",
        "member",
        False,
        "Abena Owusu",
        "police",
    ),
    (
        "Gold Fields Ghana",
        "Gold Fields",
        "companies",
        "company",
        "member",
        False,
        "Kofi Asante",
        "goldfields",
    ),
    ("Newmont Ghana", "Newmont", "companies", "company", "member", True, "Ama Boateng", "newmont"),
    (
        "Centre for Democratic Development",
        "CDD-Ghana",
        "civil_society",
        "ngo_academic",
        "member",
        False,
        "Yaw Darko",
        "cdd",
    ),
    ("WACAM", "WACAM", "civil_society", "ngo_academic", "member", False, "Efua Addo", "wacam"),
    (
        "High Commission of Canada",
        "Canada",
        "government",
        "foreign_government",
        "member",
        True,
        "Claire Tremblay",
        "canada",
    ),
]
GHANA_SECRETARIAT = "cdd"
GHANA_SEATS = {"companies": "newmont", "government": "mlnr", "civil_society": "wacam"}


PERU_TERMS_ADOPTED_ON = "2010-09-28"
#: The Peruvian group's terms of reference in force (seed steps 2, 4, 5 and 6).
PERU_TERMS = {
    "objectives": (
        "Promover la implementación de los Principios Voluntarios en el Perú mediante un "
        "espacio de diálogo de confianza entre empresas, Estado y sociedad civil, y mejorar las "
        "prácticas de seguridad y derechos humanos en las operaciones extractivas."
    ),
    "criteria": (
        "El grupo considera también a las organizaciones de la sociedad civil que trabajan los "
        "temas del grupo aunque no las proponga su pilar, y los esfuerzos reales de una empresa "
        "por cumplir los Principios. Si hay dudas, se invita a representantes de las "
        "comunidades a expresar directamente sus puntos de vista."
    ),
    "working_rules": (
        "En cada reunión se acuerdan los temas, los invitados y la sede de la siguiente. "
        "Después de cada reunión la Secretaría redacta un informe de los principales aportes, "
        "que revisa el Grupo de Coordinación antes de circularlo entre los miembros."
    ),
    "management": (
        "La Secretaría la ejerce Socios Perú con recursos propios; idealmente rotará entre los "
        "participantes, que aportarán a su funcionamiento."
    ),
    "compliance": (
        "El grupo es deliberativo y voluntario: quien no cumple los requisitos es recordado por "
        "la Secretaría, y el Grupo de Coordinación puede proponer su suspensión."
    ),
}


#: A group founded a few weeks ago, halfway through the ten steps (portal.guide): its
#: Secretariat sees the founding guide on the dashboard.
COLOMBIA = {
    "slug": "colombia",
    "name": "Grupo de Trabajo de los Principios Voluntarios en Colombia",
    "country": "Colombia",
    "default_language": "es",
    "timezone": "America/Bogota",
    "public_description": (
        "Empresas, entidades del Estado y sociedad civil de Colombia, reunidas para mejorar el "
        "respeto de los derechos humanos en la seguridad de las operaciones extractivas."
    ),
    "applications_open": True,
}

COLOMBIA_INSTITUTIONS = [
    (
        "Fundación Paz y Territorio",
        "FPT",
        "civil_society",
        "ngo_academic",
        "member",
        False,
        "Andrés Rojas",
        "fpt",
    ),
    (
        "Ministerio de Minas y Energía",
        "MinEnergía",
        "government",
        "national_government",
        "observer",
        False,
        "Laura Gómez",
        "minenergia",
    ),
    (
        "Carbones del Norte S.A.",
        "Carbones del Norte",
        "companies",
        "company",
        "member",
        True,
        "Carolina Díaz",
        "carbones",
    ),
    (
        "Corporación Defensoras del Cauca",
        "Defensoras",
        "civil_society",
        "ngo_academic",
        "member",
        False,
        "Mariana Pérez",
        "defensoras",
    ),
    (
        "Embajada de Suiza en Colombia",
        "Suiza",
        "government",
        "foreign_government",
        "member",
        True,
        "Lukas Meier",
        "suiza",
    ),
]
COLOMBIA_SECRETARIAT = "fpt"
#: No government seat yet: step 1 of the guide is still open.
COLOMBIA_SEATS = {"companies": "carbones", "civil_society": "defensoras"}
COLOMBIA_FIRST_PLENARY = {
    "title": "Sesión constitutiva del Grupo de Trabajo",
    "days_ago": 20,
    "venue": "Bogotá, sede de la Fundación Paz y Territorio",
    "agenda": [
        ("Presentaciones institucionales: por qué participamos", "presentation", 60),
        ("Objetivos del grupo y primeras reglas de trabajo", "dialogue", 45),
        ("Estudio de situación: alcance y calendario", "dialogue", 15),
    ],
}
COLOMBIA_TERMS = {
    "objectives": (
        "Promover la implementación de los Principios Voluntarios en Colombia mediante el "
        "diálogo entre empresas, Estado y sociedad civil, y mejorar las prácticas de seguridad "
        "y derechos humanos en las regiones extractivas."
    ),
    "criteria": (
        "El grupo invita a las comunidades afectadas a expresar directamente sus puntos de "
        "vista cuando no estén representadas por una organización."
    ),
    "working_rules": (
        "En cada plenaria se acuerdan los temas, los invitados y la sede de la siguiente; la "
        "sede rota entre las instituciones miembros."
    ),
    "management": (
        "La Secretaría la ejerce la Fundación Paz y Territorio durante el primer año, con "
        "recursos propios."
    ),
    "change_note": "Primera versión, según lo conversado en la sesión constitutiva.",
    "votes": {"carbones": "approve"},
}


@dataclass(frozen=True)
class GroupSpec:
    fields: dict
    institutions: list[tuple]
    secretariat: str
    seats: dict[str, str]
    #: Accounts printed after seeding besides the Secretariat and the seats.
    showcase: tuple[str, ...]


GROUPS = (
    GroupSpec(
        PERU, PERU_INSTITUTIONS, PERU_SECRETARIAT, PERU_SEATS, ("angloamerican", "icrc", "canada")
    ),
    GroupSpec(GHANA, GHANA_INSTITUTIONS, GHANA_SECRETARIAT, GHANA_SEATS, ("goldfields",)),
    GroupSpec(COLOMBIA, COLOMBIA_INSTITUTIONS, COLOMBIA_SECRETARIAT, COLOMBIA_SEATS, ()),
)

#: E-mail addresses that are the same person in both groups (an embassy officer posted to both
#: countries, as DESIGN.md foresees): the demo of the group switcher.
SHARED_PEOPLE = {"canada"}


# --- Membership in motion (Peru) ------------------------------------------------------------------

#: Applications at different steps: (data, step, {seat local part: vote}).
PERU_APPLICATIONS = [
    (
        {
            "name": "Sociedad Nacional de Minería, Petróleo y Energía",
            "short_name": "SNMPE",
            "website": "https://snmpe.example.org",
            "pillar": "companies",
            "kind": "other",
            "participation": "member",
            "description": "Gremio que agrupa a las empresas mineras, petroleras y energéticas del Perú.",
            "contact_name": "Gabriela Ponce Ríos",
            "contact_email": "gponce@snmpe.example.org",
            "contact_position": "Gerente de Asuntos Sociales",
            "contact_language": "es",
            "vps_member": False,
            "proposed_by": "El pilar de empresas del Grupo de Trabajo",
            "attests_institutional": True,
            "attests_topics": True,
            "attests_standing": True,
        },
        "submitted",
        {},
    ),
    (
        {
            "name": "Coordinadora Nacional de Derechos Humanos",
            "short_name": "CNDDHH",
            "website": "https://cnddhh.example.org",
            "pillar": "civil_society",
            "kind": "ngo_academic",
            "participation": "member",
            "description": "Colectivo de organizaciones de derechos humanos con presencia en regiones mineras.",
            "contact_name": "Rocío Mamani Condori",
            "contact_email": "rmamani@cnddhh.example.org",
            "contact_position": "Secretaria Ejecutiva",
            "contact_language": "es",
            "vps_member": False,
            "proposed_by": "El pilar de sociedad civil del Grupo de Trabajo",
            "attests_institutional": True,
            "attests_topics": True,
            "attests_standing": True,
        },
        "screened",
        {"idehpucp": "approve"},
    ),
]

#: Plenaries held (quarterly, seed step 5) with their topics from seed step 8, and the
#: institutions (by e-mail local part) that were absent.
PERU_PLENARIES = [
    (
        "2025-12-04 09:00",
        "La situación de derechos humanos en las regiones mineras",
        {"glencore", "eu", "ser"},
    ),
    (
        "2026-03-05 09:00",
        "Empresas de seguridad privada y el proyecto de ley",
        {"glencore", "onds"},
    ),
    (
        "2026-06-04 09:00",
        "Convenios entre la Policía Nacional y las empresas extractivas",
        {"glencore", "unlirec"},
    ),
    ("2026-09-03 09:00", "Conflictos sociales y consulta previa", {"glencore", "eu", "colombia"}),
]

#: When the institutions joined (seed step 2: the group was set up late in 2010, after the
#: scoping study): the founders on the constituent meeting, the others (by e-mail local part)
#: admitted later. Fictional dates: the seed names the members as of August 2016 only. The
#: annual reports of past years count those who were members then.
PERU_FOUNDED = "2010-11-25"
PERU_ADMITTED_LATER = {
    "unlirec": "2012-12-06",
    "eu": "2013-09-05",
    "glencore": "2014-03-06",
    "lasbambas": "2016-03-03",
    "colombia": "2016-06-02",
}

#: How the institutions answered the invitation to each plenary held: those present said yes;
#: of the absent, these (by e-mail local part) said no, the others never answered.
PERU_DECLINED = {"glencore", "eu"}

#: Institutions (by e-mail local part) that have sent their report on 2025.
PERU_REPORTS_2025 = [
    "antamina",
    "angloamerican",
    "socios",
    "minjusdh",
    "idehpucp",
    "canada",
    "repsol",
]

#: Topics the Peruvian group has dealt with (seed step 8), proposed by members (local parts),
#: with those who marked interest.
PERU_TOPICS = [
    (
        "La situación de derechos humanos en el país y en regiones específicas",
        "aprodeh",
        ["idl", "ser", "canada"],
    ),
    ("Empresas de seguridad privada", "sucamec", ["antamina", "barrick", "switzerland"]),
    ("Legislación nacional sobre el uso de la fuerza", "mininter", ["idl", "icrc"]),
    (
        "Convenios entre la Policía Nacional y las empresas extractivas",
        "idl",
        ["aprodeh", "yanacocha", "uk"],
    ),
    (
        "Contratos entre empresas extractivas y empresas de seguridad privada",
        "antamina",
        ["glencore"],
    ),
    ("Conflictos sociales", "onds", ["ser", "lasbambas", "usa"]),
    ("Pueblos indígenas y consulta previa, libre e informada", "idehpucp", ["aprodeh", "eu"]),
    ("Iniciativas en curso de los miembros del Grupo", "socios", []),
    (
        "Principios Rectores de la ONU sobre las empresas y los derechos humanos",
        "minjusdh",
        ["canada", "netherlands"],
    ),
    (
        "Código Internacional de Conducta para Proveedores de Seguridad Privada (ICoC)",
        "switzerland",
        ["sucamec"],
    ),
]

PERU_GUESTS = [
    {
        "name": "Dra. Elena Villanueva",
        "organisation": "Defensoría del Pueblo",
        "position": "Adjunta para la Prevención de Conflictos Sociales",
        "email": "evillanueva@defensoria.example.org",
        "expertise": "Conflictos sociales y uso de la fuerza",
    },
    {
        "name": "Mg. Javier Rondón",
        "organisation": "Pontificia Universidad Católica del Perú",
        "position": "Investigador",
        "email": "jrondon@pucp.example.org",
        "expertise": "Empresas de seguridad privada y regulación",
    },
]

#: The next plenary, relative to the day the demo is seeded, with its agenda.
PERU_NEXT_PLENARY = {
    "title": "Plenaria: seguridad privada y uso de la fuerza",
    "days_ahead": 18,
    "venue": "Embajada de Suiza, Av. Salaverry 3240, San Isidro, Lima",
    "agenda": [
        ("Bienvenida y presentación de nuevos miembros", "presentation", 15, ["socios"], []),
        ("El proyecto de ley sobre empresas de seguridad privada", "panel", 60, ["sucamec"], [1]),
        ("Uso de la fuerza en contextos de conflicto social", "dialogue", 45, ["mininter"], [0]),
    ],
}

#: The Coordination Group prepares the plenary a week before (seed step 6b): a closed meeting,
#: which only the Secretariat and the three seats see.
PERU_COORDINATION = {
    "title": "Grupo de Coordinación: preparación de la plenaria",
    "days_ahead": 11,
    "venue": "Socios Perú, Lima",
    "agenda": [
        "Agenda y ponentes de la próxima plenaria",
        "Solicitudes de membresía en votación",
    ],
}

#: Minutes of the last two plenaries. The September ones are circulated; the June ones are a
#: draft in which the text still names a participant (the leak detection shows it).
#: The September minutes' first version is returned by a seat with a comment on one statement
#: (the first section's, by its index), amended and approved as version 2: the demo shows two
#: versions side by side and the comment beside the statement.
PERU_MINUTES_RETURN = {
    "minutes": "Conflictos sociales y consulta previa",
    "seat": "companies",
    "comment": "Antes de aprobar, conviene precisar el compromiso de las empresas: ver el comentario junto a la intervención.",
    "statement": 1,
    "note": "Las empresas se comprometieron a compartir sus planes, no solo dijeron que podían hacerlo; indicar también el plazo acordado.",
    "amended": "Las empresas se comprometieron a compartir sus planes de relacionamiento comunitario con la oficina de diálogo antes de fin de año.",
}

PERU_MINUTES = {
    "Conflictos sociales y consulta previa": {
        "summary": "La plenaria trató la prevención de conflictos sociales en zonas de operación minera y la consulta previa.",
        "sections": [
            (
                "Conflictos sociales en zonas mineras",
                "Se reconoció la necesidad de protocolos de diálogo antes de cualquier intervención policial.",
                [
                    (
                        "onds",
                        "Los conflictos activos se concentran en el corredor minero del sur; la mesa de diálogo debe convocarse antes de que escale la protesta.",
                    ),
                    (
                        "angloamerican",
                        "Las empresas pueden compartir sus planes de relacionamiento comunitario con la oficina de diálogo.",
                    ),
                    (
                        "aprodeh",
                        "Preocupa el uso de la fuerza en los desalojos recientes; se pidió que los informes de incidentes sean públicos.",
                    ),
                    (None, "Se sugirió invitar a representantes comunitarios a la próxima sesión."),
                ],
                [
                    "Elaborar una nota de orientación sobre protocolos de diálogo previos a intervenciones."
                ],
                [("Circular el borrador de la nota de orientación", "onds", 45)],
            ),
            (
                "Consulta previa, libre e informada",
                "Se discutieron los vacíos de la consulta previa en proyectos de exploración.",
                [
                    (
                        "idehpucp",
                        "Los procesos de consulta deben empezar en la etapa de exploración, no solo en la de explotación.",
                    ),
                    (
                        "minem",
                        "El ministerio está revisando el reglamento y recibirá aportes del grupo.",
                    ),
                ],
                ["Enviar aportes del grupo al proceso de revisión del reglamento."],
                [("Consolidar los aportes de los tres pilares", "socios", 30)],
            ),
        ],
    },
    "Convenios entre la Policía Nacional y las empresas extractivas": {
        "summary": "",
        "sections": [
            (
                "Convenios de prestación de servicios policiales",
                "",
                [
                    (
                        "idl",
                        "Los convenios deben publicarse; la señora Rojas Delgado explicó que la SUCAMEC no tiene competencia sobre ellos.",
                    ),
                    (
                        "mininter",
                        "El ministerio evalúa un modelo de convenio con cláusulas de derechos humanos.",
                    ),
                ],
                [],
                [],
            ),
        ],
    },
}

# --- What the group did (seed steps 3, 7, 9) -----------------------------------------------------

#: The scoping study of seed step 3 (published in April 2010).
PERU_SCOPING_STUDY = {
    "title": "Estudio exploratorio sobre la implementación de los Principios Voluntarios en el Perú",
    "kind": "study",
    "start_date": "2010-01-15",
    "end_date": "2010-04-30",
    "place": "Lima",
    "region": "Lima",
    "description": "Situación de la implementación de los Principios Voluntarios en el Perú, retos y recomendaciones.",
    "interviews_companies": 9,
    "interviews_government": 7,
    "interviews_civil_society": 8,
    "findings": "Conflictos sociales vinculados a los recursos naturales, gestión de regalías, rol de las comunidades indígenas, impactos sociales y ambientales y cumplimiento de estándares internacionales por las empresas.",
    "publication_date": "2010-04-20",
    "organisers": ["socios"],
}

#: The four key activities of seed step 7: (data, organisers, partner institutions, participants).
PERU_KEY_ACTIVITIES = [
    (
        {
            "title": "Desayuno para ejecutivos: Empresas y Derechos Humanos, introducción a los Principios Rectores de la ONU y a los Principios Voluntarios",
            "kind": "breakfast",
            "start_date": "2013-05-16",
            "place": "Lima",
            "region": "Lima",
            "partners": "Programa de las Naciones Unidas para el Desarrollo (PNUD)",
        },
        ["socios"],
        ["canada", "switzerland"],
        {"business": 38, "civil_servants": 4, "international": 3},
    ),
    (
        {
            "title": "Foro internacional: Buenas prácticas para el diálogo sobre gobernanza en América Latina: los Principios Rectores de la ONU y los Principios Voluntarios",
            "kind": "forum",
            "start_date": "2014-10-08",
            "end_date": "2014-10-09",
            "place": "Lima",
            "region": "Lima",
            "partners": "Proyecto Tejiendo Puentes",
            "funders": "Oficina de Democracia, Derechos Humanos y Trabajo (DRL) del Departamento de Estado de EE. UU.",
        },
        ["socios"],
        ["usa"],
        {"civil_servants": 40, "business": 35, "ngos": 45, "international": 20, "academia": 20},
    ),
    (
        {
            "title": "Seminario internacional: Principios Voluntarios en Seguridad y Derechos Humanos: perspectivas actuales",
            "kind": "seminar",
            "start_date": "2015-06-11",
            "place": "Lima",
            "region": "Lima",
        },
        ["socios"],
        ["canada", "switzerland"],
        {
            "civil_servants": 50,
            "police_military": 30,
            "business": 60,
            "security_companies": 20,
            "ngos": 30,
            "international": 20,
        },
    ),
    (
        {
            "title": "Curso de capacitación para la Policía Nacional del Perú",
            "kind": "course",
            "start_date": "2012-09-03",
            "end_date": "2012-09-07",
            "place": "Cusco",
            "region": "Cusco",
            "partners": "Comité Internacional de la Cruz Roja; empresas de la región de Cusco",
        },
        ["mininter", "icrc"],
        ["switzerland"],
        {"police_military": 110, "civil_servants": 10},
    ),
]

#: Kinds and places of the other training and dissemination activities of 2010-2015; their
#: participants are generated so that the period totals 28 activities and 2,213 participants.
PERU_OTHER_ACTIVITY_KINDS = [
    "workshop",
    "course",
    "seminar",
    "panel",
    "round_table",
    "training",
    "workshop",
    "forum",
]
#: How the group's own titles name those kinds: the content is Spanish, written here, not
#: drawn from the interface's catalogue (which speaks the reader's language and may lack one).
PERU_KIND_WORDS = {
    "workshop": "Taller",
    "course": "Curso",
    "seminar": "Seminario",
    "panel": "Panel",
    "round_table": "Mesa redonda",
    "training": "Capacitación",
    "forum": "Foro",
}
PERU_REGIONS = ["Lima", "Cusco", "Apurímac", "Cajamarca", "Áncash", "Arequipa", "Junín", "Puno"]
PERU_TOTAL_2010_2015 = (28, 2213)

PERU_OUTREACH = [
    (
        "2024-03-12",
        "Policía Nacional del Perú",
        "police",
        "mininter",
        "meeting",
        "Interés en un curso sobre uso de la fuerza para la región sur.",
    ),
    (
        "2024-06-20",
        "Ministerio del Interior",
        "ministry",
        "socios",
        "letter",
        "Designó un punto focal para el Grupo de Trabajo.",
    ),
    (
        "2024-09-05",
        "SUCAMEC",
        "regulator",
        "switzerland",
        "meeting",
        "Compartirá el borrador del reglamento de servicios de seguridad privada.",
    ),
    (
        "2025-02-18",
        "Ministerio de Justicia y Derechos Humanos / PNUD (Plan Nacional de Acción sobre Empresas y Derechos Humanos)",
        "ungp",
        "canada",
        "event",
        "El Grupo aportará a la sección sobre seguridad del Plan.",
    ),
    (
        "2025-07-01",
        "Asociación del Código Internacional de Conducta (ICoCA)",
        "icoc",
        "switzerland",
        "email",
        "Presentación sobre la certificación de empresas de seguridad privada en una próxima plenaria.",
    ),
    (
        "2026-04-22",
        "Defensoría del Pueblo",
        "other",
        "socios",
        "meeting",
        "Participará como ponente invitada.",
    ),
]

PERU_WORKPLAN = {
    "title": "Plan de trabajo 2026-2027",
    "start_date": "2026-01-01",
    "end_date": "2027-12-31",
    "objectives": [
        (
            "Fortalecer las capacidades de los actores de seguridad públicos y privados",
            [
                (
                    "Curso sobre uso de la fuerza para la Policía en el corredor minero del sur",
                    "capacity_building",
                    "mininter",
                    ["icrc", "antamina"],
                    "2026-10-31",
                    "in_progress",
                ),
                (
                    "Taller sobre los Principios Voluntarios para empresas de seguridad privada",
                    "capacity_building",
                    "sucamec",
                    ["glencore"],
                    "2026-08-30",
                    "done",
                ),
            ],
        ),
        (
            "Promover los Principios Voluntarios ante el Estado y las empresas",
            [
                (
                    "Seminario sobre convenios entre la Policía y las empresas",
                    "promotion",
                    "idl",
                    ["canada"],
                    "2027-03-31",
                    "planned",
                ),
                (
                    "Aportes al Plan Nacional de Acción sobre Empresas y Derechos Humanos",
                    "lobbying",
                    "minjusdh",
                    ["aprodeh", "angloamerican"],
                    "2026-12-15",
                    "planned",
                ),
            ],
        ),
        (
            "Conocer mejor la situación en las regiones",
            [
                (
                    "Estudio sobre conflictos sociales y seguridad en Apurímac",
                    "studies",
                    "idehpucp",
                    ["lasbambas"],
                    "2027-06-30",
                    "planned",
                ),
                (
                    "Visita a un proyecto minero en Cajamarca",
                    "site_visits",
                    "yanacocha",
                    ["ser"],
                    "2027-09-30",
                    "planned",
                ),
            ],
        ),
    ],
    "adopted_at": "Empresas de seguridad privada y el proyecto de ley",
}
