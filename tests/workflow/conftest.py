from __future__ import annotations

import pytest
from django.test import Client

from tests.accounts.world import build_world


@pytest.fixture
def world(tmp_path, settings):
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    return build_world(tmp_path)


@pytest.fixture
def signed_in(world):
    """A client signed in as one of the world's actors."""

    def make(name: str) -> Client:
        client = Client()
        client.force_login(world.users[name])
        return client

    return make
