# Seed text is copied verbatim, one string per line, so that it can be compared with the seed.
# ruff: noqa: E501
"""Build ``samples/gestion_publica_2026-03-31.xlsx``: the seed report's plan in template v1.

The seed is ``seeds/plan_estrategico_sectorial_seguimiento_2026-03-31.txt`` (the follow-up of the
Plan Estratégico Sectorial 2024-2027 of the Sector Gestión Pública, cut 31 March 2026). Names,
mission and vision are copied verbatim; figures are copied as the seed prints them, dirt included
("00,00%", "75%" beside "46,00", ``<p>`` tags), because the import must survive exactly that
(DESIGN §4). The seed uses equal weights, so there is no ``ponderaciones`` sheet.

Judgment calls (the seed is silent on them):

* ``tipo_anualizacion``: counts ("Número de …") are ``suma``; the four strategic indices are
  ``constante``; the accumulated levels (a model, a portfolio, a scheme, a portal, channels, a
  service, a strategy, measured as the share built so far) are ``creciente`` with a blank
  ``linea_base``, which DESIGN §3 counts as 0 -- that is how SEGPLAN gets 60,67 / 75 = 80,89 %.
* ``meta_cuatrienio``: for the non-``suma`` indicators, the four-year magnitude stated in the
  goal's text, in the indicator's unit (1 modelo measured in percent -> 100; 3 canales -> 3;
  "Fortalecer 100% del modelo" measured 0-1 -> 1). It is blank for the ``suma`` indicators (the
  seed gives no execution of earlier vigencias, so E / M4 would understate the four-year progress)
  and for the strategic indices (the seed states no four-year value for them).
* Goal and indicator names lose the label and number that the seed puts in front of them
  ("Meta sectorial 127 -2057: ", "3979. ") and the ``<p>`` tags around Objetivo 7's row; figures
  and Objetivo 7's analysis keep theirs.
* Indicators without a number in the seed get ``IE-<goal>`` (strategic goals) and ``A3``
  (Actividad 3).
* ``observacion`` holds only real analyses (4075, Actividad 3, 4200). The seed's "Cumplida" and
  "No programada al corte." are statuses that cascada recomputes, and Objetivo 8's "No aplica" is
  not an analysis.
* ``corte`` is a real date cell in most rows and ISO text in a few (both are valid in v1), so the
  sample exercises both readings.

The output is deterministic: fixed document properties and fixed timestamps inside the zip, so a
rerun gives a byte-identical file (for a given openpyxl and zlib).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.constants import ARC_CORE
from openpyxl.xml.functions import tostring

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "samples" / "gestion_publica_2026-03-31.xlsx"

FIXED_TIMESTAMP = dt.datetime(2026, 3, 31, 0, 0, 0)
CORTE = dt.date(2026, 3, 31)
VIGENCIA = 2026

Cell = str | int | dt.date | None

SECRETARIA_GENERAL = "Secretaría General de la Alcaldía Mayor de Bogotá, D.C."
SERVICIO_CIVIL = "Departamento Administrativo del Servicio Civil Distrital"

PLAN: list[tuple[str, Cell]] = [
    ("codigo", "PES-GP-2024-2027"),
    ("nombre", "Plan Estratégico Sectorial 2024-2027"),
    ("sector", "Sector Gestión Pública"),
    ("entidad_cabeza", SECRETARIA_GENERAL),
    ("plan_desarrollo", "Bogotá Camina Segura 2024-2027"),
    ("vigencia_inicial", 2024),
    ("vigencia_final", 2027),
    (
        "mision",
        "La Secretaría General de la Alcaldía Mayor de Bogotá es la entidad que lidera la articulación y coordinación de la administración distrital, dedicada a desarrollar capacidades institucionales para contribuir al bienestar integral de la ciudadanía, fomentar la confianza en la gestión pública y promover un orden institucional eficiente.",
    ),
    (
        "vision",
        "En 2038 la Secretaría General de la Alcaldía Mayor de Bogotá D.C., será referente por posicionar a la ciudad con un modelo de gestión pública participativa, confiable, innovadora y transparente orientada hacia la generación de valor público",
    ),
    (
        "acto_adopcion",
        'Resolución No. 630 de 2024 "Por la cual se adopta la plataforma estratégica de la Secretaría General de la Alcaldía Mayor de Bogotá, D.C. y se deroga la Resolución 277 de 2020"',
    ),
    (
        "fuente",
        'SEGPLAN. Plan de Desarrollo "Bogotá Camina Segura". Plan de Acción 2024 - 2027 Componente de Inversión y Gestión por Sector. Sector Gestión Pública.',
    ),
    ("tope_indicador", None),
    ("umbral_sobreejecucion", 100),
    # Optional extension of v1 (extra campos are ignored by readers that do not know them).
    (
        "base_legal",
        "Se soporta en la Ley Orgánica del Plan de Desarrollo, Ley 152 de 1994, que en su artículo 29 establece que los organismos de la administración pública nacional deben elaborar un plan indicativo cuatrienal que luego se exprese en planes de acción anuales, que se constituyan en la base para la evaluación de resultados.",
    ),
]

OBJECTIVES: list[tuple[str, str]] = [
    (
        "O1",
        "Fortalecer la Política de Gestión Estratégica del Talento Humano a través del desarrollo de capacidades servidoras, servidores, colaboradoras y colaboradores de la administración distrital para que diseñen e implementen soluciones a los problemas públicos donde el eje fundamental sea la ciudadanía y, de esta manera, recobrar su confianza en las entidades públicas distritales",
    ),
    (
        "O2",
        "Promover la paz y la reconciliación en Bogotá a través de la integración local de las poblaciones afectadas por el conflicto armado, para contribuir a la superación de condiciones de vulnerabilidad y la reconstrucción del tejido social en la ciudad.",
    ),
    (
        "O3",
        "Mejorar el uso y aprovechamiento de las tecnologías de la información y las comunicaciones TIC de las entidades distritales que generan valor público y confianza digital.",
    ),
    (
        "O4",
        "Desarrollar y consolidar la arquitectura institucional, los instrumentos de política pública y las alianzas estratégicas necesarias para posicionar a Bogotá como una ciudad globalmente accesible y abierta al mundo",
    ),
    (
        "O5",
        "Mejorar la calidad del servicio que las entidades distritales prestan a la ciudadanía con el fin de aumentar la confianza y la satisfacción ciudadana.",
    ),
    (
        "O6",
        "Consolidar una gestión pública eficiente, mediante la solución de los retos de ciudad, el mejoramiento de la gestión y desempeño de las entidades distritales, para la generación de valor público.",
    ),
    (
        "O7",
        "Fortalecer el modelo de gobierno abierto con el fin de promover la confianza de la ciudadanía en la gestión pública",
    ),
    (
        "O8",
        "Posicionar la memoria histórica de Bogotá a través de la investigación y la difusión del patrimonio documental, para facilitar el acceso y la consulta por parte de la ciudadanía.",
    ),
]


@dataclass(frozen=True)
class Goal:
    codigo: str
    objetivo: str
    tipo: str  # sectorial | estrategica | proyecto_inversion | actividad
    nombre: str
    entidad_responsable: str = SECRETARIA_GENERAL


GOALS: list[Goal] = [
    Goal(
        "2307",
        "O1",
        "sectorial",
        "Asistir 46 Entidad(es) y organismos distritales para fortalecer la Política de Gestión Estratégica del Talento Humano del Índice de Desempeño Institucional (IDI)",
        SERVICIO_CIVIL,
    ),
    Goal(
        "77",
        "O1",
        "estrategica",
        "Índice de Desarrollo del Servicio Civil Distrital",
        SERVICIO_CIVIL,
    ),
    Goal(
        "127-2057",
        "O2",
        "sectorial",
        "Consolidar 1 Modelo(s) de integración de servicios institucionales a nivel territorial para las víctimas del conflicto orientado a la asistencia, reparación integral y a la superación de su condición de vulnerabilidad, a través de un análisis sistémico, conforme a las competencias del Distrito. Este modelo contará con enfoques diferencial, étnico y de género",
    ),
    Goal(
        "128-2058",
        "O2",
        "sectorial",
        "Desarrollar 81 Proceso(s) de investigación memoria y verdad como aporte a la reconciliación en Bogotá",
    ),
    Goal("78", "O3", "estrategica", "Índice de gobierno digital"),
    Goal(
        "391-2320",
        "O3",
        "sectorial",
        "Poner en funcionamiento 1 Portafolio(s) de servicios TIC para la transformación digital en entidades distritales que mejore su eficiencia y la toma de decisiones",
    ),
    Goal(
        "222-2152",
        "O4",
        "sectorial",
        "Implementar 1 Esquema(s) de Gobernanza Internacional en el Distrito",
    ),
    Goal(
        "223-2153",
        "O4",
        "sectorial",
        "Participar en 50 Instrumento(s) estratégicos de cooperación internacional tales como redes hermanamientos convenios memorandos de entendimiento cartas de intención y otros similares a nivel bilateral y multilateral con el objetivo de fomentar la cooperación internacional y la internacionalización de la ciudad",
    ),
    Goal(
        "73",
        "O5",
        "estrategica",
        "Índice de calidad del servicio brindado en las entidades distritales",
    ),
    Goal(
        "410-2339",
        "O5",
        "sectorial",
        "Crear 1 Portal(es) transaccional para el acceso ágil y sencillo a toda la oferta de servicios del Distrito Capital",
    ),
    Goal(
        "414-2343",
        "O5",
        "sectorial",
        "Fortalecer la capacidad de los 3 Canal(es) de atención (presencial virtual y telefónico) para atender orientar y responder a las necesidades de la población con un enfoque diferencial en cada rincón de la Ciudad",
    ),
    Goal("72", "O6", "estrategica", "Índice de Gestión Pública Distrital (Puntos)"),
    Goal(
        "372-2302",
        "O6",
        "sectorial",
        "Implementar 1 Servicio(s) de asistencia técnica integral para el mejoramiento de la gestión y el desempeño en la administración distrital orientado a la solución de los retos de ciudad",
    ),
    Goal(
        "Actividad 3",
        "O6",
        "actividad",
        "Implementar 1 modelo para la intervención integral y sincronizada de los retos de ciudad",
    ),
    Goal(
        "395-2324",
        "O6",
        "sectorial",
        "Desarrollar 6 Prototipo(s) que den solución a retos prioritarios/estratégicos de ciudad, así como de trámites y servicios que busquen mejorar la relación con la ciudadanía",
    ),
    Goal(
        "346-2276",
        "O7",
        "sectorial",
        "Fortalecer 100% del modelo de Gobierno Abierto que integre y articule acciones interinstitucionales de transparencia, integridad, participación y colaboración propiciando alianzas con organizaciones internacionales y nacionales que fomenten confianza y acerquen a la ciudadanía con la Administración",
    ),
    Goal(
        "351-2281",
        "O8",
        "sectorial",
        "Poner en marcha 1 Estrategia(s) de posicionamiento de la memoria histórica y difusión del patrimonio documental orientada a la consulta ciudadana.",
    ),
]


@dataclass(frozen=True)
class Indicator:
    """One row of the seed's tables: the indicator, its 2026 target and its 31 March report."""

    codigo: str
    meta: str
    nombre: str
    unidad: str
    tipo_anualizacion: str  # suma | constante | creciente (decreciente: none in the seed)
    meta_cuatrienio: int | None
    meta_vigencia: str  # "Programación 2026", as printed
    programado_corte: str  # "Programación al corte", as printed
    ejecutado_corte: str  # "Magnitud ejecutada al corte", as printed
    observacion: str | None = None
    corte_como_texto: bool = False  # write the cut as ISO text instead of a date cell


OBS_4075 = "Al corte 31 de marzo de 2026 la actividad tenía una magnitud programada de 3 instrumentos y logro 8, con una sobre ejecución de 5, presentando un porcentaje de avance superior a lo programado debido a una mayor dinámica de gestión por parte de los sectores del Distrito y el acompañamiento técnico de la Consejería, para la suscripción de instrumentos de cooperación internacional."
OBS_A3 = "Al corte del mes de marzo del 2026, se presentó un rezago debido a que no se entregaron los documentos de Implementación de la hoja de ruta para la mejora de la operación del distrito en razón a que durante el mes de febrero se logró la aprobación final de la fase II, durante el mes de marzo se diseñó la metodología y se está a la espera de la aprobación por parte de la entidad. El rezago se subsanará en el mes de mayo."
OBS_4200 = "<p>Al corte, la meta sectorial 2276 registró una ejecución de 0,03 frente a una programación de 0,05, presentando un rezago de 0,02. Esta situación se originó por dificultades operativas en el documento de planeación con la ruta de evaluación de la Política de Transparencia, Integridad y Lucha contra la Corrupción, especialmente en la coordinación de agendas de directivos(as) y servidores(as) distritales para el desarrollo de entrevistas semiestructuradas y grupos focales de la fase cualitativa. Lo anterior generó el aplazamiento de la entrega del Producto 3 de la consultoría y ajustes en el cronograma de cierre de la evaluación. Como medida correctiva, se reprogramaron las actividades pendientes y se proyectó subsanar el rezago durante el mes de abril..</p>"

# Row order is the seed's. meta_cuatrienio: see the module docstring (blank for suma and indices).
INDICATORS: list[Indicator] = [
    Indicator(
        "4231",
        "2307",
        "Número de entidades y organismos distritales asistidas para fortalecer la Política de Gestión Estratégica del Talento Humano",
        "Número",
        "suma",
        None,
        "46,00",
        "0,00",
        "0,00",
    ),
    Indicator(
        "IE-77",
        "77",
        "Índice de Desarrollo del Servicio Civil Distrital",
        "Índice",
        "constante",
        None,
        "73,00",
        "0,00",
        "0,00",
    ),
    Indicator(
        "3979",
        "127-2057",
        "Porcentaje del modelo de integración de servicios institucionales a nivel territorial para las víctimas del conflicto armado en Bogotá",
        "Porcentaje",
        "creciente",
        100,  # 1 modelo, measured in percent
        "75%",
        "60,67%",
        "60,67%",
    ),
    Indicator(
        "3980",
        "128-2058",
        "Número de procesos de investigación memoria y verdad como aporte a la reconciliación en Bogotá realizados",
        "Número",
        "suma",
        None,
        "27,00",
        "0,00",
        "0,00",
    ),
    Indicator(
        "IE-78",
        "78",
        "Índice de gobierno digital",
        "Índice",
        "constante",
        None,
        "93,50",
        "0,00",
        "0,00",
    ),
    Indicator(
        "4244",
        "391-2320",
        "Implementación del portafolio de servicios TIC para la transformación digital en entidades distritales",
        "Porcentaje",
        "creciente",
        100,  # 1 portafolio, measured in percent
        "70%",
        "61,00%",
        "61,00%",
    ),
    Indicator(
        "4074",
        "222-2152",
        "Esquema implementado de gobernanza internacional en el Distrito",
        "Número",
        "creciente",
        1,  # 1 esquema
        "1,00",
        "0,18",
        "0,18",
    ),
    Indicator(
        "4075",
        "223-2153",
        "Número Instrumentos Estratégicos de Cooperación Internacional suscritos",
        "Número",
        "suma",
        None,
        "17,00",
        "3,00",
        "8,00",
        observacion=OBS_4075,
    ),
    Indicator(
        "IE-73",
        "73",
        "Índice de calidad del servicio brindado en las entidades distritales",
        "Índice",
        "constante",
        None,
        "85,50%",
        "00,00%",
        "00,00%",
        corte_como_texto=True,
    ),
    Indicator(
        "4263",
        "410-2339",
        "Portal web de trámites y servicios del Distrito Capital creado",
        "Número",
        "creciente",
        1,  # 1 portal
        "0,75",
        "0,48",
        "0,48",
    ),
    Indicator(
        "4267",
        "414-2343",
        "Canales de atención de la Red CADE presencial virtual y telefónico fortalecidos",
        "Número",
        "creciente",
        3,  # 3 canales
        "2,50",
        "1,71",
        "1,71",
    ),
    Indicator(
        "IE-72",
        "72",
        "Índice de Gestión Pública Distrital (Puntos)",
        "Puntos",
        "constante",
        None,
        "90,50",
        "0,00",
        "0,00",
    ),
    Indicator(
        "4226",
        "372-2302",
        "Servicio de asistencia técnica integral para el mejoramiento de la gestión y el desempeño en la administración distrital orientado a la solución de los retos de ciudad implementado.",
        "Número",
        "creciente",
        1,  # 1 servicio
        "0,70",
        "0,45",
        "0,45",
    ),
    Indicator(
        "A3",
        "Actividad 3",
        "Modelo para la intervención integral y sincronizada de los retos de ciudad implementado",
        "Número",
        "creciente",
        1,  # 1 modelo
        "0,80",
        "0,66",
        "0,64",
        observacion=OBS_A3,
    ),
    Indicator(
        "4248",
        "395-2324",
        "Número de prototipos desarrollados sobre retos prioritarios/estratégicos de ciudad",
        "Número",
        "suma",
        None,
        "5,00",
        "0,00",
        "0,00",
        corte_como_texto=True,
    ),
    Indicator(
        "4200",
        "346-2276",
        "Estrategia distrital para un Gobierno Abierto y Confiable implementada",
        "Proporción",
        "creciente",
        1,  # "Fortalecer 100% del modelo", measured 0-1
        "<p>0,27</p>",
        "<p>0,05</p>",
        "<p>0,03</p>",
        observacion=OBS_4200,
        corte_como_texto=True,
    ),
    Indicator(
        "4205",
        "351-2281",
        "Estrategia de posicionamiento de la memoria histórica y difusión del patrimonio documental orientada a la consulta ciudadana en puesta en marcha",
        "Número",
        "creciente",
        1,  # 1 estrategia
        "0,70",
        "0,51",
        "0,51",
    ),
]

# Columns whose cells get the text number format '@', so that a spreadsheet program never turns
# "127-2057" into a date or "0,18" into a number when someone edits the cell.
TEXT_FORMAT_COLUMNS = frozenset(
    {
        "campo",
        "codigo",
        "objetivo",
        "meta",
        "indicador",
        "meta_vigencia",
        "programado_corte",
        "ejecutado_corte",
    }
)
MIN_WIDTH = 10
MAX_WIDTH = 70


def sheets() -> list[tuple[str, list[str], list[list[Cell]]]]:
    """The workbook's content: (sheet name, header, rows), in template v1's order."""
    return [
        ("plan", ["campo", "valor"], [[campo, valor] for campo, valor in PLAN]),
        (
            "objetivos",
            ["codigo", "nombre", "orden"],
            [[codigo, nombre, orden] for orden, (codigo, nombre) in enumerate(OBJECTIVES, 1)],
        ),
        (
            "metas",
            ["codigo", "objetivo", "tipo", "nombre", "entidad_responsable"],
            [[g.codigo, g.objetivo, g.tipo, g.nombre, g.entidad_responsable] for g in GOALS],
        ),
        (
            "indicadores",
            [
                "codigo",
                "meta",
                "nombre",
                "unidad",
                "tipo_anualizacion",
                "linea_base",
                "meta_cuatrienio",
            ],
            [
                [i.codigo, i.meta, i.nombre, i.unidad, i.tipo_anualizacion, None, i.meta_cuatrienio]
                for i in INDICATORS
            ],
        ),
        (
            "programacion_anual",
            ["indicador", "vigencia", "meta_vigencia", "linea_base_vigencia"],
            [[i.codigo, VIGENCIA, i.meta_vigencia, None] for i in INDICATORS],
        ),
        (
            "avances",
            ["indicador", "corte", "programado_corte", "ejecutado_corte", "observacion"],
            [
                [
                    i.codigo,
                    CORTE.isoformat() if i.corte_como_texto else CORTE,
                    i.programado_corte,
                    i.ejecutado_corte,
                    i.observacion,
                ]
                for i in INDICATORS
            ],
        ),
    ]


def check_references() -> None:
    """Fail early on a typo: unique codes and resolvable references, as the importer demands."""
    objective_codes = [code for code, _ in OBJECTIVES]
    goal_codes = [g.codigo for g in GOALS]
    indicator_codes = [i.codigo for i in INDICATORS]
    for codes in (objective_codes, goal_codes, indicator_codes):
        assert len(codes) == len(set(codes)), codes
    assert {g.objetivo for g in GOALS} <= set(objective_codes)
    assert [i.meta for i in INDICATORS] == goal_codes  # one indicator per goal, same order


def write_sheet(ws: Worksheet, header: list[str], rows: list[list[Cell]]) -> None:
    ws.append(header)
    for row in rows:
        ws.append(row)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for column, name in enumerate(header, 1):
        ws.cell(row=1, column=column).font = bold
        longest = len(name)
        for row_number in range(2, len(rows) + 2):
            cell = ws.cell(row=row_number, column=column)
            value = cell.value
            if isinstance(value, str):
                # A text cell must stay text: nothing here may turn into a formula.
                assert cell.data_type == "s", (ws.title, cell.coordinate, value)
                if name in TEXT_FORMAT_COLUMNS:
                    cell.number_format = "@"
                longest = max(longest, len(value))
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
                longest = max(longest, 10)
            elif value is not None:
                longest = max(longest, len(str(value)))
            cell.alignment = wrap if value is not None and len(str(value)) > MAX_WIDTH else top
        width = min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = "A2"


def build_workbook() -> Workbook:
    check_references()
    wb = Workbook()
    wb.remove(wb.worksheets[0])
    for title, header, rows in sheets():
        write_sheet(wb.create_sheet(title), header, rows)
    props = wb.properties
    props.creator = "cascada scripts/build_sample.py"
    props.lastModifiedBy = "cascada scripts/build_sample.py"
    props.title = (
        "Plan Estratégico Sectorial 2024-2027, Sector Gestión Pública: seguimiento 31 marzo 2026"
    )
    props.created = FIXED_TIMESTAMP
    props.modified = FIXED_TIMESTAMP
    return wb


def deterministic_xlsx(wb: Workbook) -> bytes:
    """Save ``wb`` with fixed timestamps.

    openpyxl stamps ``modified`` with the current time on save and zipfile stamps every entry
    with it too, so the core properties are written again and the zip is rewritten.
    """
    raw = io.BytesIO()
    wb.save(raw)
    raw.seek(0)
    wb.properties.modified = FIXED_TIMESTAMP
    core_xml = tostring(wb.properties.to_tree())
    out = io.BytesIO()
    with (
        zipfile.ZipFile(raw) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 3
            fixed.external_attr = 0o644 << 16
            data = core_xml if entry.filename == ARC_CORE else source.read(entry.filename)
            target.writestr(fixed, data)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    output: Path = args.output
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(deterministic_xlsx(build_workbook()))
    print(output)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
