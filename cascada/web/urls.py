from django.urls import path, register_converter

from cascada.web import views
from cascada.web.converters import IsoDateConverter, ReportFormatConverter

register_converter(IsoDateConverter, "isodate")
register_converter(ReportFormatConverter, "reportformat")

app_name = "web"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("planes/<str:code>/", views.plan_detail, name="plan"),
    path("planes/<str:code>/cortes/<isodate:day>/", views.cut_detail, name="cut"),
    path(
        "planes/<str:code>/cortes/<isodate:day>/informe.<reportformat:fmt>",
        views.report_download,
        name="report",
    ),
    path(
        "planes/<str:code>/cortes/<isodate:day>/objetivos/<str:objective>/",
        views.objective_detail,
        name="objective",
    ),
    path(
        "planes/<str:code>/indicadores/<str:indicator>/",
        views.indicator_detail,
        name="indicator",
    ),
    path("informes/<uuid:job_id>/", views.report_job, name="report_job"),
    path("informes/<uuid:job_id>/descargar", views.report_job_file, name="report_job_file"),
]
