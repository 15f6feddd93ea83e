from django.urls import path, register_converter

from cascada.web import views
from cascada.web.converters import IsoDateConverter

register_converter(IsoDateConverter, "isodate")

app_name = "web"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("planes/<str:code>/", views.plan_detail, name="plan"),
    path("planes/<str:code>/cortes/<isodate:day>/", views.cut_detail, name="cut"),
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
]
