"""The [alerts] and [smtp] config: defaults, and errors that name the file and the key."""

from __future__ import annotations

import pytest

from pipelines.alerts.settings import load_alert_settings
from talkwatch.config import ConfigError, load_config


def settings(tmp_path, toml: str):
    path = tmp_path / "talkwatch.toml"
    path.write_text(f'[stack]\nhome = "{tmp_path}"\n' + toml)
    return load_alert_settings(load_config(path))


def test_defaults_write_to_the_local_mail_dir_with_the_default_rules(tmp_path):
    s = settings(tmp_path, "")
    assert s.smtp is None and s.mail_dir == tmp_path / "mail"
    assert [r.type_name for r in s.rules] == ["new_round", "status_change"]
    assert s.recipients_for("astana") == ["analyst@localhost"]


def test_the_shipped_config_is_valid():
    s = load_alert_settings(load_config())
    assert {r.name for r in s.rules} == {"new-round", "status-change"}


def test_recipients_subscribe_per_series(tmp_path):
    s = settings(tmp_path, '[[alerts.recipients]]\nemail = "all@example.org"\n'
                           '[[alerts.recipients]]\nemail = "g@example.org"\nseries = ["geneva"]\n')
    assert s.recipients_for("geneva") == ["all@example.org", "g@example.org"]
    assert s.recipients_for("astana") == ["all@example.org"]


def test_smtp_password_comes_from_the_named_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("TW_TEST_SMTP_PASSWORD", "s3cret")
    s = settings(tmp_path, '[smtp]\nhost = "mail.example.org"\nsecurity = "ssl"\n'
                           'user = "tw"\npassword_env = "TW_TEST_SMTP_PASSWORD"\n')
    assert (s.smtp.port, s.smtp.password()) == (465, "s3cret")
    assert "s3cret" not in repr(s)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[smtp]\nhost = "m"\nsecurity = "tls"\n', "[smtp] security must be one of"),
        ('[smtp]\nhost = "m"\nuser = "u"\npassword_env = "TW_UNSET_VAR_X"\n', "'TW_UNSET_VAR_X'"),
        ('[smtp]\nhost = "m"\nprt = 25\n', "[smtp] unknown key 'prt'"),
        ("[alerts]\npoll_seconds = \"often\"\n", "[alerts] poll_seconds must be"),
        ('[[alerts.recipients]]\nemail = "not an address"\n', "[[alerts.recipients]] #1 email"),
        ('[[alerts.recipients]]\nemail = "a@b.org"\nseries = ["x"]\n', "series must be"),
        ('[[alerts.rules]]\nname = "w"\ntype = "watched_actor"\n', "#1 ('w'): key 'actors'"),
    ],
)
def test_bad_config_fails_with_file_and_key(tmp_path, toml, message):
    with pytest.raises(ConfigError) as raised:
        settings(tmp_path, toml)
    assert str(tmp_path / "talkwatch.toml") in str(raised.value)
    assert message in str(raised.value)
