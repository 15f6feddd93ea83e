"""``/importar/``: a template v1 file imported from the browser, with a preview."""

from django.urls import path

from cascada.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("vista-previa/", views.preview, name="preview"),
    path("confirmar/", views.confirm, name="confirm"),
    path("cancelar/", views.cancel, name="cancel"),
    path("resultado/", views.result, name="result"),
    path("plantilla.xlsx", views.template_file, name="template"),
]
