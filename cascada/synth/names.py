"""Spanish (es-CO) names for synthetic plans: long, with accents and ñ, as real plans write them.

Everything is drawn from the caller's ``random.Random``; nothing here holds state.
"""

from __future__ import annotations

import random

DISTRICT_SECTORS = (
    "Gestión Pública",
    "Gobierno",
    "Hacienda",
    "Planeación",
    "Desarrollo Económico, Industria y Turismo",
    "Educación",
    "Salud",
    "Integración Social",
    "Cultura, Recreación y Deporte",
    "Ambiente",
    "Movilidad",
    "Hábitat",
    "Mujeres",
    "Seguridad, Convivencia y Justicia",
    "Gestión Jurídica",
)

DEPARTMENTS = (
    "Antioquia",
    "Atlántico",
    "Bolívar",
    "Boyacá",
    "Caldas",
    "Caquetá",
    "Cauca",
    "Cesar",
    "Córdoba",
    "Cundinamarca",
    "Chocó",
    "Huila",
    "La Guajira",
    "Magdalena",
    "Meta",
    "Nariño",
    "Norte de Santander",
    "Quindío",
    "Risaralda",
    "Santander",
    "Sucre",
    "Tolima",
    "Valle del Cauca",
    "Arauca",
    "Casanare",
    "Putumayo",
    "San Andrés, Providencia y Santa Catalina",
    "Amazonas",
    "Guainía",
    "Guaviare",
    "Vaupés",
    "Vichada",
)

_TOWN_FIRST = (
    "San José de",
    "Santa Bárbara de",
    "Villa de",
    "Puerto",
    "San Andrés de",
    "Nuestra Señora de",
    "Santa María de",
    "El Peñón de",
    "La Unión de",
    "San Martín de",
    "Concepción de",
    "Belén de",
)
_TOWN_SECOND = (
    "Cúcuta",
    "los Andes",
    "la Montaña",
    "Guamalito",
    "Peñol",
    "Cañasgordas",
    "Fúquene",
    "Chámeza",
    "Ocaña",
    "Zipaquirá",
    "Güepsa",
    "Maní",
    "Tópaga",
    "Sácama",
    "Jericó",
    "Útica",
)

ENTITY_KINDS = (
    "Secretaría de Educación",
    "Secretaría de Salud",
    "Secretaría de Gobierno",
    "Secretaría de Hacienda",
    "Secretaría de Planeación",
    "Secretaría de Integración Social",
    "Instituto de Recreación y Deporte",
    "Oficina de Gestión del Riesgo",
    "Secretaría de Movilidad",
    "Empresa de Acueducto y Alcantarillado",
    "Instituto de Vivienda y Hábitat",
    "Secretaría de la Mujer",
)

_VERBS = (
    "Fortalecer",
    "Implementar",
    "Garantizar",
    "Consolidar",
    "Promover",
    "Mejorar",
    "Ampliar",
    "Reducir",
    "Modernizar",
)
_THEMES = (
    "la gestión pública eficiente y transparente",
    "el acceso a la educación inicial con enfoque diferencial",
    "la atención integral en salud de niñas, niños y adolescentes",
    "la participación ciudadana en la toma de decisiones",
    "la movilidad segura, sostenible y accesible",
    "la protección de los ecosistemas y la gestión del riesgo climático",
    "la seguridad alimentaria de los hogares campesinos",
    "el emprendimiento y la economía popular en los barrios",
    "la vivienda digna y el mejoramiento integral de barrios",
    "la convivencia pacífica y el acceso a la justicia",
    "la cultura, el deporte y el uso del tiempo libre",
    "la igualdad de oportunidades para las mujeres",
)
_PLACES = (
    "en el territorio",
    "en las zonas rurales y urbanas",
    "en las localidades con mayor pobreza multidimensional",
    "con enfoque de género y diferencial",
    "durante el cuatrienio",
    "para la población en situación de vulnerabilidad",
)

_MEASURES_SUM = (
    ("Número de personas atendidas en", "Personas"),
    ("Número de instrumentos de planeación suscritos para", "Documentos"),
    ("Número de jornadas de acompañamiento técnico realizadas para", "Jornadas"),
    ("Número de sedes educativas intervenidas para", "Sedes"),
    ("Kilómetros de vía construidos o mantenidos para", "Kilómetros"),
    ("Recursos ejecutados (millones de pesos) para", "Millones de pesos"),
)
_MEASURES_LEVEL = (
    ("Porcentaje de avance en la implementación del modelo de", "Porcentaje"),
    ("Índice de desempeño institucional en", "Índice"),
    ("Porcentaje de cobertura en", "Porcentaje"),
    ("Tasa de satisfacción ciudadana con", "Porcentaje"),
)
_MEASURES_DOWN = (
    ("Tasa de deserción escolar asociada a", "Tasa por cada 100"),
    ("Porcentaje de hogares con necesidades básicas insatisfechas en", "Porcentaje"),
    ("Tiempo promedio de respuesta (días) en", "Días"),
    ("Tasa de mortalidad evitable relacionada con", "Tasa por cada 100.000"),
)

ANALYSES = (
    "",  # no analysis: a data-quality alert where one is required
    "Se cumplió lo programado gracias a la articulación con las alcaldías locales.",
    "El avance es menor al programado por retrasos en la contratación; se espera recuperar en "
    "el siguiente trimestre con la adición presupuestal aprobada.",
    "Se superó la meta por la demanda ciudadana mayor a la prevista en la campaña de año nuevo.",
    "La ejecución se vio afectada por la ola invernal y el cierre de vías en la zona rural.",
    "Pendiente la validación de la información por parte de la Oficina Asesora de Planeación.",
    "El indicador avanza según el cronograma; la señora Muñoz coordinó las jornadas en campo.",
    "=SUMA(A1:A3) es un texto que no debe ejecutarse como fórmula.",
    "Se reprogramó la meta mediante acta de comité; el ajuste queda en trámite de aprobación.",
    "Avance reportado por la entidad adscrita; soporte en el repositorio de evidencias.",
)


def town(rng: random.Random, number: int) -> str:
    """A municipality name, unique by ``number``."""
    return f"{rng.choice(_TOWN_FIRST)} {rng.choice(_TOWN_SECOND)} {number}"


def objective_name(rng: random.Random) -> str:
    return f"{rng.choice(_VERBS)} {rng.choice(_THEMES)} {rng.choice(_PLACES)}"


def goal_name(rng: random.Random, kind: str) -> str:
    verb = rng.choice(_VERBS)
    theme = rng.choice(_THEMES)
    if kind == "actividad":
        return f"Actividad: {verb.lower()} {theme}"
    return f"{verb} en un {rng.randint(5, 60)} % {theme} {rng.choice(_PLACES)}"


def indicator_name(rng: random.Random, accumulation: str) -> tuple[str, str]:
    """(name, unit) suited to the accumulation type."""
    pool = (
        _MEASURES_SUM
        if accumulation == "suma"
        else _MEASURES_DOWN
        if accumulation == "decreciente"
        else _MEASURES_LEVEL
    )
    measure, unit = rng.choice(pool)
    return f"{measure} {rng.choice(_THEMES)} {rng.choice(_PLACES)}", unit
