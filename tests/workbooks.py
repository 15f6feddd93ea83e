"""Build template-v1 workbooks for tests: sheets as lists of rows, header first."""

from pathlib import Path

from openpyxl import Workbook

Rows = list[list[object]]


def write_workbook(path: Path, sheets: dict[str, Rows]) -> Path:
    book = Workbook()
    for default in book.worksheets:
        book.remove(default)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def small_plan(**overrides: Rows) -> dict[str, Rows]:
    """A two-objective plan with one indicator of each accumulation type, 2026 weights and a cap."""
    sheets: dict[str, Rows] = {
        "plan": [
            ["campo", "valor"],
            ["codigo", "PM-2024"],
            ["nombre", "Plan de prueba"],
            ["sector", "Sector de prueba"],
            ["vigencia_inicial", 2024],
            ["vigencia_final", 2027],
            ["tope_indicador", 100],
        ],
        "objetivos": [["codigo", "nombre", "orden"], ["B", "Segundo", 2], ["A", "Primero", 1]],
        "metas": [
            ["codigo", "objetivo", "tipo", "nombre", "entidad_responsable"],
            ["M1", "A", "sectorial", "Meta uno", "Entidad X"],
            ["M2", "B", "proyecto_inversion", "Meta dos", "Entidad Y"],
        ],
        "indicadores": [
            [
                "codigo",
                "meta",
                "nombre",
                "unidad",
                "tipo_anualizacion",
                "linea_base",
                "meta_cuatrienio",
            ],
            ["S", "M1", "Suma", "Número", "incremento", None, 40],
            ["C", "M1", "Constante", "Índice", "mantenimiento", None, None],
            ["D", "M2", "Decreciente", "Tasa", "reduccion", "50", "20"],
        ],
        "programacion_anual": [
            ["indicador", "vigencia", "meta_vigencia", "linea_base_vigencia"],
            ["S", 2025, 10, None],
            ["S", 2026, 10, None],
            ["C", 2026, 80, None],
            ["D", 2026, "30", "45"],
        ],
        "avances": [
            ["indicador", "corte", "programado_corte", "ejecutado_corte", "observacion"],
            ["S", "2025-12-31", 10, 9, ""],
            ["S", "2026-06-30", 4, 6, "Más demanda de la prevista."],
            ["C", "2026-06-30", 80, 60, ""],
            ["D", "2026-06-30", "40", "42,5", "Avance parcial."],
        ],
        "ponderaciones": [
            ["nivel", "codigo", "vigencia", "peso"],
            ["indicador", "S", 2026, 25],
            ["indicador", "C", 2026, 75],
            ["indicador", "D", 2026, 100],
            ["objetivo", "A", 2026, 40],
            ["objetivo", "B", 2026, 60],
        ],
    }
    sheets.update(overrides)
    return sheets
