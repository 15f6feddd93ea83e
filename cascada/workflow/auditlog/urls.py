from django.urls import URLPattern, URLResolver, path

from cascada.workflow.auditlog import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.audit_log, name="audit_log"),
    path("exportar.csv", views.export_csv, name="audit_log_csv"),
    path("exportar.xlsx", views.export_xlsx, name="audit_log_xlsx"),
]
