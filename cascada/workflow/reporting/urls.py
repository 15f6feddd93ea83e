from django.urls import URLPattern, URLResolver, path

from cascada.workflow.reporting import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
]
