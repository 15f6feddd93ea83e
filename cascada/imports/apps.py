from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "cascada.imports"
    label = "imports"
    verbose_name = "Importación"
