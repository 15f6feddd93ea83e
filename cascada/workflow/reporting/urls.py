"""Entities report their indicators for a cut: to-do list, form with live preview, bulk entry."""

from django.urls import URLPattern, URLResolver, path

from cascada.workflow.reporting import views

CUT = "<str:plan>/cortes/<fechacorte_gestion:fecha>/"
REPORT = CUT + "indicadores/<str:codigo>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path(CUT + "pendientes/", views.todo, name="todo"),
    path(REPORT, views.report_form, name="report"),
    path(REPORT + "vista-previa/", views.report_preview, name="report_preview"),
    path(CUT + "masivo/", views.bulk, name="bulk"),
    path(CUT + "masivo/reportes.xlsx", views.bulk_download, name="bulk_download"),
    path(CUT + "masivo/confirmar/", views.bulk_confirm, name="bulk_confirm"),
    path(CUT + "masivo/cancelar/", views.bulk_cancel, name="bulk_cancel"),
]
