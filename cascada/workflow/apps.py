from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "cascada.workflow"
    label = "workflow"
    verbose_name = "Gestión del seguimiento"
