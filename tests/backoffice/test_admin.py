"""The admin covers every model, in Spanish, and keeps audit and results true."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from cascada.plans.models import Indicator
from cascada.tracking.models import AuditEvent, Cut, CutState, IndicatorCutResult, ProgressReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model._default_manager.create_superuser(
        "admin", "a@example.org", "clave-segura-2026"
    )
    client.force_login(user)
    return client


@pytest.fixture
def demo():
    call_command("demo", verbosity=0)


def test_every_cascada_model_is_registered():
    for app in ("plans", "tracking", "accounts"):
        for model in apps.get_app_config(app).get_models():
            assert admin.site.is_registered(model), model


def test_every_changelist_and_change_page_renders_in_spanish(staff, demo):
    for app in ("plans", "tracking", "accounts"):
        for model in apps.get_app_config(app).get_models():
            url = reverse(f"admin:{app}_{model._meta.model_name}_changelist")
            response = staff.get(url)
            assert response.status_code == 200, url
            obj = model._default_manager.first()
            if obj is not None:
                url = reverse(f"admin:{app}_{model._meta.model_name}_change", args=[obj.pk])
                assert staff.get(url).status_code == 200, url
    assert "Planes estratégicos sectoriales" in staff.get(reverse("admin:index")).content.decode()


def test_published_cut_is_read_only_in_the_admin(staff, demo):
    report = ProgressReport.objects.get(indicator__code="4075")
    url = reverse("admin:tracking_progressreport_change", args=[report.pk])
    response = staff.post(
        url, {"cut": report.cut_id, "indicator": report.indicator_id, "executed": "1"}
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.executed == Decimal(8)


def test_an_admin_edit_is_audited_and_recomputes_open_cuts(staff, demo):
    cut = Cut.objects.create(plan=Cut.objects.get().plan, date="2026-06-30")
    indicator = Indicator.objects.get(code="4075")
    url = reverse("admin:tracking_progressreport_add")
    response = staff.post(
        url,
        {
            "cut": cut.pk,
            "indicator": indicator.pk,
            "executed": "9",
            "analysis": "Buen ritmo",
            "evidence": "[]",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.filter(action="admin:crear").latest("id")
    assert event.actor_label == "admin"
    assert event.after is not None
    assert event.after["executed"] == "9"
    # No programming at 30 June: executed without programming, computed and stored.
    result = IndicatorCutResult.objects.get(cut=cut, indicator=indicator)
    assert result.status == "ejecutada_sin_programacion"
    assert Cut.objects.get(date="2026-03-31").state == CutState.PUBLICADO
