from django.contrib import admin
from django.urls import include, path

from cascada.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("cuenta/", include("cascada.accounts.urls")),
    path("importar/", include("cascada.imports.urls")),
    path("api/", api.urls),
    path("datos/", include("cascada.opendata.urls")),
    path("gestion/", include("cascada.workflow.urls")),
    path("", include("cascada.workflow.review.public_urls")),
    path("", include("cascada.web.urls")),
]
