from django.urls import URLPattern, URLResolver, path

from cascada.workflow.reporting import views

CUT = "<str:plan>/cortes/<fechacorte_gestion:fecha>/"
REPORT = CUT + "indicadores/<str:codigo>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path(CUT + "pendientes/", views.todo, name="todo"),
    path(REPORT, views.report_form, name="report"),
    path(REPORT + "vista-previa/", views.report_preview, name="report_preview"),
]
