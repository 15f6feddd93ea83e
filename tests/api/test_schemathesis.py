"""A bounded schemathesis run against ``/api/openapi.json`` (the Django WSGI app in process, the
test database with the seed and an open cut): no server error, and every response matches the
schema. At most 20 examples per operation, derandomized, so the run is short and repeatable.

Generated path parameters rarely name real rows, so each case is sometimes pointed at the seed
plan, its published or open cut and a real indicator, and sometimes sent with a superuser's or a
reporter's token: the generated queries and bodies then reach the database and the write path.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.api.conftest import DRAFT, PUBLISHED, SEED

REAL = {
    "plan": [SEED],
    "fecha": [PUBLISHED.isoformat(), DRAFT.isoformat()],
    "indicador": ["4075", "4074", "IE-77"],
}


# Loaded when the module is collected, from the app itself (no database involved); the
# seed's rows come from the ``seed`` fixture of each test. (``schemathesis.pytest.from_fixture``
# would load it per test, but does not work with pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture
def database_kept():
    """The WSGI handler closes the database connection around each request, which ends the
    test's transaction on PostgreSQL; Django's test client avoids it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@schema.given(data=st.data())
@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_against_its_schema(case, data, seed, database_kept):
    for name, values in REAL.items():
        if name in (case.path_parameters or {}):
            generated = case.path_parameters[name]
            case.path_parameters[name] = data.draw(st.sampled_from([*values, generated]))
    who = data.draw(st.sampled_from([None, "superusuario", "reportante"]))
    headers = {"Authorization": f"Bearer {seed.keys[who]}"} if who else None
    case.call_and_validate(
        headers=headers, checks=[not_a_server_error, response_schema_conformance]
    )
