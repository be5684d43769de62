"""``triggers create --env NAME=VALUE``: the value is everything after the first ``=``, and
a name given twice is a usage mistake rather than a silent choice of one value."""

from __future__ import annotations

import json

import pytest

from abeja_models.testing import PlatformEmulator

from .commands import CREATE, run


@pytest.mark.parametrize(
    ("pairs", "sent"),
    [
        (["URL=http://h/?a=b"], {"URL": "http://h/?a=b"}),
        (["EQUALS==", "A=1", "B=x=y=z"], {"EQUALS": "=", "A": "1", "B": "x=y=z"}),
    ],
)
def test_a_value_keeps_every_equals_sign_after_the_name(
    abeja_emulator: PlatformEmulator,
    capsys: pytest.CaptureFixture[str],
    pairs: list[str],
    sent: dict[str, str],
) -> None:
    argv = [*CREATE]
    for pair in pairs:
        argv += ["--env", pair]
    code, out, err = run(capsys, *argv)
    assert code == 0, err

    (request,) = abeja_emulator.requests
    assert json.loads(request.body)["environment"] == sent
    assert json.loads(out[0])["user_env_vars"] == sent


@pytest.mark.parametrize(
    "pairs",
    [["A=1", "A=2"], ["A=1", "B=2", "A=1"], ["URL=http://h/?a=b", "URL=x"]],
)
def test_a_name_given_twice_is_a_usage_mistake_and_nothing_is_sent(
    abeja_emulator: PlatformEmulator, capsys: pytest.CaptureFixture[str], pairs: list[str]
) -> None:
    argv = [*CREATE]
    for pair in pairs:
        argv += ["--env", pair]
    code, out, err = run(capsys, *argv)

    assert code == 2
    assert out == []
    assert err.count("\n") == 1
    assert err.startswith("abeja-models: error: ValidationError: invalid --env=")
    assert repr(pairs[0].partition("=")[0]) in err.partition("expected")[2]
    assert abeja_emulator.requests == []
