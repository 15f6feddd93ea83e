"""The follow-up report as a tagged PDF (PDF/UA-1), laid out by WeasyPrint from the same HTML
as ``render_html``: A4 landscape, the source line and "Página X de Y" on every page, the
project's own font embedded (so the output does not depend on the machine's fonts)."""

from __future__ import annotations

from cascada.reports.dataset import ReportDataset
from cascada.reports.html import STATIC_DIR, render_html


def render_pdf(dataset: ReportDataset) -> bytes:
    """The report of ``dataset`` as PDF bytes: tagged (PDF/UA-1), document language and title
    from the dataset, fonts embedded."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy: only when asked for

    html = render_html(dataset, for_print=True)
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/")
    pdf: bytes = document.write_pdf(pdf_variant="pdf/ua-1")
    return pdf
