"""The OpenAPI document is the truth: schemathesis sends generated requests to every operation, with and without a
token, and every built-in check must pass (no server error, every status documented, every body matching its
schema, auth enforced where declared).

The run is bounded (a few examples per operation) so it fits in the normal suite; a failure prints the request
that reproduces it. The operation that revokes tokens is left out of the run that authenticates with one (it would
revoke the token under the run's feet).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

pytestmark = [pytest.mark.contract, pytest.mark.django_db(transaction=False)]

EXAMPLES = 8
TOKEN_REVOKE = "POST /api/v1/accounts/tokens/{token_id}/revoke"

# Every check runs. Data valid by the schema may still be refused with 422 when it breaks a rule only the database
# knows (a language code that is not in the reference data, an id that names nothing, an empty required text), so
# 422 counts as an accepted answer to well-formed data, beside schemathesis' defaults; a 5xx never does.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "422", "429"],
            }
        }
    }
)
# Django's own WSGI handler, so the run answers exactly as the deployed application does. The document is read at
# collection (it needs no database); every operation becomes a test of its own, so parallel workers share them.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler(), config=CONFIG)
BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def world(kazan: Any, sao_paulo: Any, secretariat: Any) -> dict[str, Any]:
    """A little of everything, with small ids, so generated ids often name something that exists."""
    from tests.contract.world import build

    return build(kazan=kazan, sao_paulo=sao_paulo, secretariat=secretariat)


@schema.parametrize()
@BOUNDED
def test_anonymous(case: Any, world: dict[str, Any]) -> None:
    case.call_and_validate()


@schema.exclude(name=TOKEN_REVOKE).parametrize()
@BOUNDED
def test_with_token(case: Any, world: dict[str, Any]) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {world['token']}"})
