"""``/gestion/``: one URL module per area, each owned by its subpackage."""

from django.urls import include, path

app_name = "workflow"

urlpatterns = [
    path("", include("cascada.workflow.reporting.urls")),
    path("", include("cascada.workflow.review.urls")),
    path("", include("cascada.workflow.formulation.urls")),
    path("auditoria/", include("cascada.workflow.auditlog.urls")),
]
