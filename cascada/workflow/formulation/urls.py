from django.urls import URLPattern, URLResolver, path

from cascada.workflow.formulation import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<str:plan>/formulacion/", views.index, name="formulation"),
    path(
        "<str:plan>/formulacion/metas/<str:indicator>/<int:vigencia>/",
        views.annual_target,
        name="annual_target",
    ),
    path("<str:plan>/formulacion/pesos/<int:vigencia>/", views.weights, name="weights"),
    path(
        "<str:plan>/formulacion/pesos/<int:vigencia>/<str:objective>/",
        views.weights,
        name="weights_objective",
    ),
]
