"""``/cuenta/``: signing in and out (Django's views, Spanish templates)."""

from django.contrib.auth import views as auth_views
from django.urls import path

app_name = "accounts"
urlpatterns = [
    path(
        "ingresar/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=False
        ),
        name="login",
    ),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
]
