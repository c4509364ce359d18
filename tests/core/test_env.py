import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_int, env_list, env_str


def test_booleans_accept_usual_spellings(monkeypatch):
    monkeypatch.setenv("FLAG", "oui")
    assert env_bool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", True) is False


def test_malformed_values_stop_the_start_up(monkeypatch):
    monkeypatch.setenv("FLAG", "peut-être")
    monkeypatch.setenv("COUNT", "dix")
    monkeypatch.setenv("MODE", "pigeon")
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG", False)
    with pytest.raises(ImproperlyConfigured, match="COUNT"):
        env_int("COUNT", 1)
    with pytest.raises(ImproperlyConfigured, match="MODE"):
        env_choice("MODE", "file", {"file", "smtp"})


def test_secret_read_from_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("API_KEY_FILE", str(secret))
    assert env_str("API_KEY") == "s3cret"
    monkeypatch.setenv("API_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured):
        env_str("API_KEY")


def test_lists_drop_blank_items(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.fr, ,b.fr,")
    assert env_list("HOSTS", []) == ["a.fr", "b.fr"]
    monkeypatch.delenv("HOSTS")
    assert env_list("HOSTS", ["x"]) == ["x"]
