"""Fixtures of the workflow tests: the access tests' small world (plan A with a published cut,
an open cut with reports and an empty open cut; a user for every role)."""

from __future__ import annotations

import pytest
from django.test import Client

from cascada.tracking.models import AuditEvent, Cut, ProgressReport, ReportState
from tests.accounts.world import OPEN, World, build_world


@pytest.fixture
def world(db, tmp_path, settings) -> World:
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    return build_world(tmp_path)


@pytest.fixture
def signed_in(world):
    """A client signed in as one of the world's actors."""

    def make(name: str) -> Client:
        return client_of(world, name)

    return make


@pytest.fixture
def open_cut(world: World) -> Cut:
    return world.cut(OPEN)


def client_of(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])  # type: ignore[arg-type]
    return client


def submit_all(cut: Cut) -> None:
    """Every report of ``cut`` sent for review (the reporting area's submit, as data)."""
    ProgressReport.objects.filter(cut=cut).update(state=ReportState.ENVIADO)


class AuditCounter:
    """How many audit rows an action wrote."""

    def __init__(self) -> None:
        self.start = AuditEvent.objects.count()

    def new(self) -> list[AuditEvent]:
        return list(AuditEvent.objects.order_by("id")[self.start :])
