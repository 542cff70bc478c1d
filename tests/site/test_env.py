import pytest
from django.core.exceptions import ImproperlyConfigured

from labitory.env import env_bool, env_int, env_list, env_required, env_str


@pytest.mark.parametrize("raw", ["1", "true", "True", "YES", "on", " true "])
def test_env_bool_reads_true_spellings(monkeypatch, raw):
    monkeypatch.setenv("LABITORY_FLAG", raw)

    assert env_bool("LABITORY_FLAG") is True


@pytest.mark.parametrize("raw", ["0", "false", "No", "OFF"])
def test_env_bool_reads_false_spellings(monkeypatch, raw):
    monkeypatch.setenv("LABITORY_FLAG", raw)

    assert env_bool("LABITORY_FLAG", default=True) is False


def test_env_bool_refuses_maybe(monkeypatch):
    monkeypatch.setenv("LABITORY_FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured, match="LABITORY_FLAG"):
        env_bool("LABITORY_FLAG")


@pytest.mark.parametrize("raw", [None, ""])
def test_env_bool_falls_back_to_the_default_when_unset_or_empty(monkeypatch, raw):
    if raw is None:
        monkeypatch.delenv("LABITORY_FLAG", raising=False)
    else:
        monkeypatch.setenv("LABITORY_FLAG", raw)

    assert env_bool("LABITORY_FLAG", default=True) is True


def test_env_int_reads_an_integer(monkeypatch):
    monkeypatch.setenv("LABITORY_NUMBER", "42")

    assert env_int("LABITORY_NUMBER", 7) == 42


def test_env_int_refuses_a_non_integer(monkeypatch):
    monkeypatch.setenv("LABITORY_NUMBER", "forty-two")

    with pytest.raises(ImproperlyConfigured, match="LABITORY_NUMBER"):
        env_int("LABITORY_NUMBER", 7)


def test_env_int_falls_back_to_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("LABITORY_NUMBER", raising=False)

    assert env_int("LABITORY_NUMBER", 7) == 7


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("LABITORY_HOSTS", " a.example.org, ,b.example.org ,")

    assert env_list("LABITORY_HOSTS") == ["a.example.org", "b.example.org"]


def test_env_list_falls_back_to_a_copy_of_the_default(monkeypatch):
    monkeypatch.delenv("LABITORY_HOSTS", raising=False)
    default = ["localhost"]

    hosts = env_list("LABITORY_HOSTS", default)
    hosts.append("changed")

    assert default == ["localhost"]


def test_env_str_falls_back_to_the_default(monkeypatch):
    monkeypatch.delenv("LABITORY_NAME", raising=False)

    assert env_str("LABITORY_NAME", "fallback") == "fallback"


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_env_required_refuses_a_missing_or_blank_value(monkeypatch, raw):
    if raw is None:
        monkeypatch.delenv("LABITORY_SECRET", raising=False)
    else:
        monkeypatch.setenv("LABITORY_SECRET", raw)

    with pytest.raises(ImproperlyConfigured, match="LABITORY_SECRET must be set"):
        env_required("LABITORY_SECRET")


def test_env_required_returns_the_value(monkeypatch):
    monkeypatch.setenv("LABITORY_SECRET", "s3cret")

    assert env_required("LABITORY_SECRET") == "s3cret"
