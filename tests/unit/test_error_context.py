"""Every error about an answer carries the whole exchange: method, URL, status, headers, body.

They are built in one place (``abeja_models._http._decode``) from the answer itself, so
an error raised after the transport returned (an answer about another trigger, a body
that is not JSON) carries as much as one raised for an error status.
"""

from __future__ import annotations

import pickle
from typing import Any

import pytest
import responses

from abeja_models import Client
from abeja_models.errors import InvalidResponseError, LocalBadRequest, TooManyRequests
from abeja_models.triggers import APIClient as TriggerAPIClient

from .conftest import BASE_URL

ORG, DEPLOYMENT = "1234567890123", "1111111111111"
TRIGGERS = f"{BASE_URL}/organizations/{ORG}/deployments/{DEPLOYMENT}/triggers"


def test_a_retry_after_too_long_to_wait_is_kept_on_the_error(
    api: responses.RequestsMock, client: Client
) -> None:
    # Past MAX_RETRY_AFTER the SDK does not wait: the caller decides, and needs the value.
    api.get(
        f"{TRIGGERS}/tri-1",
        status=429,
        json={"error": "too_many_requests", "error_description": "slow down"},
        headers={"Retry-After": "3600", "X-Request-Id": "req-7"},
    )
    triggers = client.organization(ORG).deployment(DEPLOYMENT).triggers

    with pytest.raises(TooManyRequests) as caught:
        triggers.get("tri-1")

    error = caught.value
    assert len(api.calls) == 1
    assert (error.method, error.url, error.status_code) == ("GET", f"{TRIGGERS}/tri-1", 429)
    assert error.headers["Retry-After"] == "3600"
    assert error.headers["X-Request-Id"] == "req-7"
    assert error.error_description == "slow down"
    assert '"slow down"' in error.body


def test_an_answer_about_another_trigger_carries_the_exchange(
    api: responses.RequestsMock, client: Client, trigger_doc: dict[str, Any]
) -> None:
    trigger_doc.update(organization_id=ORG, deployment_id=DEPLOYMENT, trigger_id="tri-other")
    api.get(f"{TRIGGERS}/tri-1", json=trigger_doc, headers={"X-Request-Id": "req-8"})

    with pytest.raises(InvalidResponseError) as caught:
        client.organization(ORG).deployment(DEPLOYMENT).triggers.get("tri-1")

    error = caught.value
    assert (error.method, error.url, error.status_code) == ("GET", f"{TRIGGERS}/tri-1", 200)
    assert error.headers["X-Request-Id"] == "req-8"
    assert "tri-other" in error.body
    assert "tri-1" in error.error_description


def test_a_body_that_is_not_json_carries_the_exchange(
    api: responses.RequestsMock, trigger_api: TriggerAPIClient
) -> None:
    api.post(TRIGGERS, body="<html>oops</html>", content_type="text/html")

    with pytest.raises(InvalidResponseError) as caught:
        trigger_api.create_trigger(ORG, DEPLOYMENT, "ver-1", "datalake", "2222222222222")

    error = caught.value
    assert (error.method, error.url) == ("POST", TRIGGERS)
    assert error.headers["Content-Type"] == "text/html"
    assert error.body == "<html>oops</html>"


def test_the_exchange_survives_a_pickle(api: responses.RequestsMock, client: Client) -> None:
    api.get(f"{TRIGGERS}/tri-1", status=429, json={}, headers={"Retry-After": "3600"})
    with pytest.raises(TooManyRequests) as caught:
        client.organization(ORG).deployment(DEPLOYMENT).triggers.get("tri-1")

    copy = pickle.loads(pickle.dumps(caught.value))

    assert (copy.method, copy.url, copy.headers["Retry-After"]) == (
        "GET",
        f"{TRIGGERS}/tri-1",
        "3600",
    )


def test_a_local_refusal_names_no_exchange(trigger_api: TriggerAPIClient) -> None:
    with pytest.raises(LocalBadRequest) as caught:
        trigger_api.create_trigger(
            ORG, DEPLOYMENT, "ver-1", "datalake", "2222222222222", retry_count=10
        )

    assert (caught.value.method, caught.value.url, caught.value.headers) == ("", "", {})
