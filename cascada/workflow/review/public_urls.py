"""``/planes/<plan>/cortes/<fecha>/ediciones/…``: the public pages of a cut's editions."""

from django.urls import URLPattern, URLResolver, path

from cascada.workflow.review import public
from cascada.workflow.review.converters import CutDayConverter  # registers ``diacorte``

__all__ = ["CutDayConverter", "urlpatterns"]

app_name = "editions"
BASE = "planes/<str:code>/cortes/<diacorte:day>/ediciones/"

urlpatterns: list[URLPattern | URLResolver] = [
    path(BASE, public.edition_list, name="list"),
    path(BASE + "<int:number>/", public.edition_detail, name="detail"),
    path(BASE + "<int:a>/diferencias/<int:b>/", public.edition_diff, name="diff"),
]
