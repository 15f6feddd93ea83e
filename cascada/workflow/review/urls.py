"""Review, data quality, cut states and publication (``/gestion/``); the public edition pages
are ``public_urls``."""

from django.urls import URLPattern, URLResolver, path

from cascada.workflow.review import views
from cascada.workflow.review.converters import CutDayConverter  # registers ``diacorte``

__all__ = ["CutDayConverter", "urlpatterns"]

CUT = "<str:code>/cortes/<diacorte:day>/"
REPORT = CUT + "revision/<str:indicator>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("<str:code>/cortes/", views.cuts, name="cuts"),
    path("<str:code>/cortes/abrir/", views.open_cut, name="open_cut"),
    path(CUT, views.cut_detail, name="cut"),
    *(
        path(f"{CUT}{action}/", views.cut_action, {"action": action}, name=f"cut_{action}")
        for action in ("cerrar", "reabrir", "publicar", "corregir")
    ),
    path(CUT + "revision/", views.review_list, name="review"),
    path(REPORT, views.report_detail, name="review_report"),
    *(
        path(f"{REPORT}{decision}/", views.report_decision, {"decision": decision}, name=name)
        for decision, name in (("aprobar", "report_approve"), ("devolver", "report_return"))
    ),
    path(CUT + "calidad/", views.quality_panel, name="quality"),
    path(CUT + "calidad/exceptuar/", views.override, name="override"),
]
