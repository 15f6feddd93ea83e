"""``/gestion/``: one URL module per area, each owned by its subpackage."""

from django.urls import include, path, register_converter

from cascada.workflow.converters import CutDateConverter

# Registered before the areas' modules are included, so every one of them can use it.
register_converter(CutDateConverter, "fechacorte_gestion")

app_name = "workflow"

urlpatterns = [
    path("", include("cascada.workflow.reporting.urls")),
    path("", include("cascada.workflow.review.urls")),
    path("", include("cascada.workflow.formulation.urls")),
    path("auditoria/", include("cascada.workflow.auditlog.urls")),
]
