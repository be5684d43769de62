"""The models against the documents' quirks, and JSON round trips as properties."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import example, given, settings, strategies as st

from abeja_models import Creator, LogEvent, Notebook, Trigger, TriggerRun
from abeja_models.models import NotebookList, NotebookLogPage, TriggerList, TriggerRunPage

# -- quirks, one example each ----------------------------------------------------------------


def test_training_notebook_id_0_is_held_as_the_string_0(notebook_zero_doc: dict[str, Any]) -> None:
    notebook = Notebook.model_validate(notebook_zero_doc)

    assert notebook.training_notebook_id == "0"
    assert notebook.notebook_id == "0"
    assert json.loads(notebook.to_json())["training_notebook_id"] == "0"
    assert Notebook.model_validate_json(json.dumps(notebook_zero_doc)).training_notebook_id == "0"


def test_integer_ids_are_held_as_strings(
    notebook_doc: dict[str, Any], trigger_doc: dict[str, Any]
) -> None:
    notebook_doc["job_definition_id"] = 1234567890123
    notebook_doc["creator"]["id"] = 1122334455660
    trigger_doc["input_service_id"] = 2222222222222

    notebook = Notebook.model_validate(notebook_doc)
    trigger = Trigger.model_validate(trigger_doc)

    assert notebook.job_definition_id == "1234567890123"
    assert notebook.creator is not None
    assert notebook.creator.id == "1122334455660"
    assert trigger.input_service_id == "2222222222222"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018-06-07T04:42:34.913644Z", datetime(2018, 6, 7, 4, 42, 34, 913644, timezone.utc)),
        ("2018-06-07T04:42:34.000000Z", datetime(2018, 6, 7, 4, 42, 34, tzinfo=timezone.utc)),
        ("2019-10-16T00:00:00.000Z", datetime(2019, 10, 16, tzinfo=timezone.utc)),
        ("2019-10-16T00:00:00.123Z", datetime(2019, 10, 16, 0, 0, 0, 123000, timezone.utc)),
        ("2018-01-04T03:02:12Z", datetime(2018, 1, 4, 3, 2, 12, tzinfo=timezone.utc)),
        ("2018-01-04T12:02:12+09:00", datetime(2018, 1, 4, 3, 2, 12, tzinfo=timezone.utc)),
    ],
)
def test_every_timestamp_form_is_read(
    notebook_doc: dict[str, Any], text: str, expected: datetime
) -> None:
    notebook_doc["created_at"] = text
    notebook_doc["creator"]["created_at"] = text

    for notebook in (
        Notebook.model_validate(notebook_doc),
        Notebook.model_validate_json(json.dumps(notebook_doc)),
    ):
        assert notebook.created_at == expected
        assert notebook.creator is not None
        assert notebook.creator.created_at == expected
        written = json.loads(notebook.to_json())
        # Written back as the SDK documents it: always with microseconds, in UTC.
        assert written["created_at"] == expected.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        assert written["creator"]["created_at"] == written["created_at"]


def test_the_documented_answers_timestamps_are_read_and_written_with_microseconds(
    trigger_doc: dict[str, Any], notebook_doc: dict[str, Any], logs_page_doc: dict[str, Any]
) -> None:
    # The documents show all three forms: "...000000Z" (a trigger), "...Z" (a notebook's
    # creator) and "...000Z" (a log event).
    trigger = Trigger.model_validate_json(json.dumps(trigger_doc))
    notebook = Notebook.model_validate_json(json.dumps(notebook_doc))
    page = NotebookLogPage.model_validate_json(json.dumps(logs_page_doc))
    assert notebook.creator is not None
    read = {
        "2018-01-01T00:00:00.000000Z": trigger.created_at,
        "2018-01-04T03:02:12Z": notebook.creator.updated_at,
        "2019-10-16T00:00:00.000Z": page.events[0].timestamp,
    }
    assert read == {
        "2018-01-01T00:00:00.000000Z": datetime(2018, 1, 1, tzinfo=timezone.utc),
        "2018-01-04T03:02:12Z": datetime(2018, 1, 4, 3, 2, 12, tzinfo=timezone.utc),
        "2019-10-16T00:00:00.000Z": datetime(2019, 10, 16, tzinfo=timezone.utc),
    }
    written = [
        json.loads(trigger.to_json())["created_at"],
        json.loads(notebook.to_json())["creator"]["updated_at"],
        json.loads(page.events[0].to_json())["timestamp"],
    ]
    assert written == [
        "2018-01-01T00:00:00.000000Z",
        "2018-01-04T03:02:12.000000Z",
        "2019-10-16T00:00:00.000000Z",
    ]


def test_a_timestamp_without_a_zone_is_refused(notebook_doc: dict[str, Any]) -> None:
    notebook_doc["created_at"] = "2018-06-07T04:42:34"

    with pytest.raises(ValueError, match="created_at"):
        Notebook.model_validate(notebook_doc)


def test_unknown_fields_are_kept_at_every_level(
    notebook_doc: dict[str, Any], runs_page_doc: dict[str, Any]
) -> None:
    notebook_doc["gpu_count"] = 2
    notebook_doc["labels"] = {"team": "vision", "tags": ["a", None, 1.5]}
    notebook_doc["creator"]["department"] = "research"
    runs_page_doc["entries"][0]["attempt"] = 3
    runs_page_doc["total"] = 99

    notebook = Notebook.model_validate_json(json.dumps(notebook_doc))
    page = TriggerRunPage.model_validate(runs_page_doc)

    assert notebook.model_extra == {
        "gpu_count": 2,
        "labels": {"team": "vision", "tags": ["a", None, 1.5]},
    }
    assert notebook.creator is not None
    assert notebook.creator.model_extra == {"department": "research"}
    again = json.loads(notebook.to_json())
    assert again["gpu_count"] == 2
    assert again["labels"] == {"team": "vision", "tags": ["a", None, 1.5]}
    assert again["creator"]["department"] == "research"
    assert page.to_dict()["total"] == 99
    assert page.to_dict()["entries"][0]["attempt"] == 3
    assert Notebook.model_validate_json(notebook.to_json()) == notebook


def test_list_documents_parse_every_documented_shape(
    trigger_list_doc: dict[str, Any],
    notebook_list_doc: dict[str, Any],
    notebook_doc: dict[str, Any],
    logs_page_doc: dict[str, Any],
) -> None:
    assert TriggerList.model_validate(trigger_list_doc).entries[0].trigger_id.startswith("tri-")
    enveloped = NotebookList.model_validate(notebook_list_doc)
    bare = NotebookList.model_validate([notebook_doc])
    assert (enveloped.total, enveloped.offset, enveloped.limit) == (1, 0, 10)
    assert (bare.total, bare.offset, bare.limit) == (1, 0, 1)
    assert enveloped.entries == bare.entries
    page = NotebookLogPage.model_validate(logs_page_doc)
    assert isinstance(page.events[0], LogEvent)
    assert page.next_forward_token == "..."


def test_equality_is_about_the_data(trigger_doc: dict[str, Any]) -> None:
    first = Trigger.model_validate(trigger_doc)
    second = Trigger.model_validate(trigger_doc)
    changed = Trigger.model_validate({**trigger_doc, "retry_count": 1})
    extra = Trigger.model_validate({**trigger_doc, "surprise": True})

    assert first == second
    assert first != changed
    assert first != extra


# -- strategies ------------------------------------------------------------------------------

_ids = st.text("0123456789", min_size=1, max_size=13)
_names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=20)
_maybe = st.one_of(st.none(), _names)


def _prefixed(prefix: str) -> st.SearchStrategy[str]:
    """A platform id such as ``tri-0123456789abcdef``."""
    return st.text("0123456789abcdef", min_size=16, max_size=16).map(lambda tail: prefix + tail)


_str_dicts = st.dictionaries(_names, _names, max_size=3)


@st.composite
def _timestamps(draw: st.DrawFn) -> str:
    """A platform timestamp, in any of the three forms the documents show."""
    moment = draw(
        st.datetimes(
            min_value=datetime(1970, 1, 2), max_value=datetime(2200, 1, 1), timezones=st.none()
        )
    )
    form = draw(st.sampled_from(["micro", "milli", "none"]))
    if form == "micro":
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if form == "milli":
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | _names,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_names, children, max_size=3),
    max_leaves=8,
)


def _extras() -> st.SearchStrategy[dict[str, Any]]:
    """Fields the documents do not list (no field name starts with ``x_``), any JSON value."""
    keys = st.text("abcdefghijklmnopqrstuvwxyz0123456789_", min_size=1, max_size=10).map(
        lambda suffix: "x_" + suffix
    )
    return st.dictionaries(keys, _json_values, max_size=3)


def _document(
    required: dict[str, st.SearchStrategy[Any]],
    optional: dict[str, st.SearchStrategy[Any]],
) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(required, optional=optional).flatmap(
        lambda doc: _extras().map(lambda extra: {**doc, **extra})
    )


trigger_documents = _document(
    {
        "trigger_id": _prefixed("tri-"),
        "organization_id": _ids,
        "deployment_id": _ids,
        "model_version_id": _names,
        "model_version": _names,
        "input_service_name": st.just("datalake"),
        "input_service_id": _ids,
        "retry_count": st.integers(0, 9),
        "models": st.fixed_dictionaries({"alias": _ids}),
        "user_env_vars": _str_dicts,
    },
    {
        "output_service_name": _maybe,
        "output_service_id": st.one_of(st.none(), _ids),
        "distribution": st.one_of(st.none(), st.integers(0, 10**6)),
        "created_at": _timestamps(),
        "modified_at": _timestamps(),
    },
)

run_documents = _document(
    {
        "run_id": _prefixed("run-"),
        "trigger_id": _prefixed("tri-"),
        "deployment_id": _ids,
        "status": st.sampled_from(["PENDING", "RUNNING", "SUCCEEDED", "FAILED"]),
        "model_version_id": _names,
        "input_data": _str_dicts,
        "models": _str_dicts,
        "retry_count": st.integers(0, 9),
        "user_env_vars": _str_dicts,
        "created_at": _timestamps(),
        "modified_at": _timestamps(),
    },
    {"output_template": _json_values},
)

creator_documents = _document(
    {"id": st.one_of(_ids, st.integers(0, 10**13))},
    {
        "email": _maybe,
        "display_name": _maybe,
        "role": st.sampled_from(["admin", "member"]),
        "is_registered": st.booleans(),
        "created_at": _timestamps(),
        "updated_at": _timestamps(),
    },
)

notebook_documents = _document(
    {
        "training_notebook_id": st.one_of(_ids, st.just(0)),
        "job_definition_id": _ids,
        "name": _names,
        "status": st.sampled_from(["Pending", "Running", "Stopped", "Failed"]),
        "instance_type": st.sampled_from(["cpu-1", "cpu-0.25", "gpu:b-4"]),
        "image": st.sampled_from(["abeja-inc/all-cpu:18.10", "abeja-inc/all-gpu:19.10"]),
    },
    {
        "description": _maybe,
        "status_message": _maybe,
        "creator": st.one_of(st.none(), creator_documents),
        "created_at": _timestamps(),
        "modified_at": _timestamps(),
    },
)

MODELS = [
    pytest.param(Trigger, trigger_documents, id="Trigger"),
    pytest.param(TriggerRun, run_documents, id="TriggerRun"),
    pytest.param(Notebook, notebook_documents, id="Notebook"),
]

TIMESTAMP_FIELDS = {"created_at", "modified_at", "updated_at"}
INT_ID_FIELDS = {"training_notebook_id", "id"}  # generated as ints, held as str
# Free-form maps come back exactly as sent, whatever their keys (hypothesis may well
# draw a key such as "created_at" for them).
FREE_FORM_FIELDS = {"input_data", "models", "user_env_vars", "output_template"}


def _same_document(original: Any, written: Any) -> None:
    """``written`` has every key of ``original`` with the same value, ids as str, times equal."""
    if isinstance(original, dict):
        assert isinstance(written, dict)
        assert set(original) <= set(written)
        for key, value in original.items():
            if key in FREE_FORM_FIELDS or key.startswith("x_"):  # free-form, or an extra
                assert written[key] == value
            elif key in TIMESTAMP_FIELDS and isinstance(value, str):
                assert _instant(written[key]) == _instant(value)
            elif key in INT_ID_FIELDS and isinstance(value, int):
                assert written[key] == str(value)
            else:
                _same_document(value, written[key])
    elif isinstance(original, list):
        assert isinstance(written, list)
        assert len(original) == len(written)
        for left, right in zip(original, written):
            _same_document(left, right)
    else:
        assert written == original
        assert type(written) is type(original)


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# -- properties ------------------------------------------------------------------------------


def test_generated_unknown_keys_cannot_collide_with_fields() -> None:
    for model in (Trigger, TriggerRun, Notebook, Creator):
        assert not any(name.startswith("x_") for name in model.model_fields)


@pytest.mark.parametrize(("model", "documents"), MODELS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_api_json_to_model_to_json_keeps_every_key_and_value_and_reads_back_equal(
    model: type[Trigger | TriggerRun | Notebook],
    documents: st.SearchStrategy[dict[str, Any]],
    data: st.DataObject,
) -> None:
    document = data.draw(documents)

    parsed = model.model_validate_json(json.dumps(document))
    written = json.loads(parsed.to_json())
    again = model.model_validate_json(parsed.to_json())

    assert model.model_validate(document) == parsed
    _same_document(document, written)
    assert parsed.to_dict() == written
    assert again == parsed
    assert again.to_json() == parsed.to_json()
    assert again.model_extra == parsed.model_extra


@settings(max_examples=60, deadline=None)
@example(moment=datetime(999, 12, 31, 23, 59, 59, 1, timezone.utc), offset=0)
@given(
    moment=st.datetimes(
        min_value=datetime(2, 1, 1),
        max_value=datetime(9998, 12, 31),
        timezones=st.just(timezone.utc),
    ),
    offset=st.integers(-12, 14),
)
def test_any_instant_survives_a_round_trip_whatever_its_offset(
    moment: datetime, offset: int
) -> None:
    local = moment.astimezone(timezone(timedelta(hours=offset)))
    event = LogEvent(message="x", timestamp=local)

    again = LogEvent.model_validate_json(event.to_json())

    assert again.timestamp == moment
    assert again.to_json().endswith('Z"}')
