from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "cascada.reports"
    label = "reports"
    verbose_name = "Reportes"
