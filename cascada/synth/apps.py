from django.apps import AppConfig


class SynthConfig(AppConfig):
    name = "cascada.synth"
    label = "synth"
    verbose_name = "Datos sintéticos"
