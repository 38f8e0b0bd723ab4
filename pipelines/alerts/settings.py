"""The [alerts], [[alerts.rules]], [[alerts.recipients]] and [smtp] config, validated at start.

The SMTP password is never in the file: `[smtp] password_env` names the environment variable
that holds it, read when a connection is opened and never logged.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from pipelines.alerts.rules import DEFAULT_RULE_TABLES, SERIES, Rule, load_rules
from talkwatch.config import Config, ConfigError

SECURITY = ("starttls", "ssl", "none")


@dataclass(frozen=True)
class Recipient:
    email: str
    series: tuple[str, ...] = ()  # empty: every series

    def wants(self, series: str | None) -> bool:
        return not self.series or series in self.series


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    user: str
    password_env: str
    timeout_seconds: float

    def password(self) -> str | None:
        return os.environ.get(self.password_env) if self.user else None


@dataclass(frozen=True)
class AlertSettings:
    rules: list[Rule]
    rule_tables: list[dict[str, Any]]
    recipients: tuple[Recipient, ...]
    sender: str
    kibana_url: str
    mail_dir: Path
    smtp: SmtpSettings | None  # None: write .eml files to mail_dir
    es_url: str
    index_prefix: str
    digest: bool = False
    poll_seconds: float = 10.0
    digest_interval_seconds: float = 3600.0
    retry_base_seconds: float = 30.0
    retry_max_seconds: float = 3600.0
    lease_seconds: float = 300.0
    batch_size: int = 100

    @property
    def destination(self) -> str:
        if self.smtp is None:
            return f"mail dir {self.mail_dir}"
        return f"smtp {self.smtp.host}:{self.smtp.port} ({self.smtp.security})"

    def recipients_for(self, series: str | None) -> list[str]:
        return [r.email for r in self.recipients if r.wants(series)]


def validated_rule_tables(config: Config) -> list[dict[str, Any]]:
    """The [[alerts.rules]] tables (or the default rules), checked; for the pipeline option."""
    tables = config.section("alerts").get("rules", DEFAULT_RULE_TABLES)
    load_rules(tables, str(config.path))
    return tables


def load_alert_settings(config: Config) -> AlertSettings:
    path = config.path
    table = config.section("alerts")
    smtp_table = config.section("smtp")

    def get(section: str, source: dict[str, Any], key: str, kind, default):
        value = source.get(key, default)
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            names = " or ".join(k.__name__ for k in kinds)
            raise ConfigError(f"{path}: [{section}] {key} must be {names}, got {value!r}")
        return value

    known = {"rules", "recipients", "sender", "kibana_url", "mail_dir", "digest", "poll_seconds",
             "digest_interval_seconds", "retry_base_seconds", "retry_max_seconds",
             "lease_seconds", "batch_size"}  # fmt: skip
    for key in table:
        if key not in known:
            raise ConfigError(f"{path}: [alerts] unknown key {key!r}; allowed: "
                              f"{', '.join(sorted(known))}")
    rule_tables = table.get("rules", DEFAULT_RULE_TABLES)
    rules = load_rules(rule_tables, str(path))
    sender = get("alerts", table, "sender", str, "talkwatch <talkwatch@localhost>")
    _check_address(sender, f"{path}: [alerts] sender")
    mail_dir = Path(get("alerts", table, "mail_dir", str, "mail")).expanduser()
    if not mail_dir.is_absolute():
        mail_dir = config.stack.home / mail_dir
    number = (int, float)
    settings = AlertSettings(
        rules=rules,
        rule_tables=rule_tables,
        recipients=_recipients(path, table.get("recipients", [{"email": "analyst@localhost"}])),
        sender=sender,
        kibana_url=get("alerts", table, "kibana_url", str, "http://127.0.0.1:5601").rstrip("/"),
        mail_dir=mail_dir,
        smtp=_smtp(path, smtp_table, get),
        es_url=config.elasticsearch.url,
        index_prefix=config.elasticsearch.index_prefix,
        digest=get("alerts", table, "digest", bool, False),
        poll_seconds=float(get("alerts", table, "poll_seconds", number, 10)),
        digest_interval_seconds=float(
            get("alerts", table, "digest_interval_seconds", number, 3600)
        ),
        retry_base_seconds=float(get("alerts", table, "retry_base_seconds", number, 30)),
        retry_max_seconds=float(get("alerts", table, "retry_max_seconds", number, 3600)),
        lease_seconds=float(get("alerts", table, "lease_seconds", number, 300)),
        batch_size=get("alerts", table, "batch_size", int, 100),
    )
    if settings.smtp and settings.lease_seconds <= 2 * settings.smtp.timeout_seconds:
        raise ConfigError(f"{path}: [alerts] lease_seconds must exceed twice "
                          "[smtp] timeout_seconds, or a live send could be taken over")
    return settings


def _check_address(value: str, where: str) -> None:
    if "\r" in value or "\n" in value:
        raise ConfigError(f"{where}: line breaks are not allowed")
    _, addr = parseaddr(value)
    try:
        Address(addr_spec=addr)
    except (ValueError, IndexError) as exc:
        raise ConfigError(f"{where}: {value!r} is not an email address") from exc
    if "@" not in addr:
        raise ConfigError(f"{where}: {value!r} is not an email address")


def _recipients(path: Path, tables: Any) -> tuple[Recipient, ...]:
    key = "[[alerts.recipients]]"
    if not isinstance(tables, list):
        raise ConfigError(f"{path}: {key} must be a list of tables")
    recipients = []
    for number, table in enumerate(tables, start=1):
        where = f"{path}: {key} #{number}"
        if not isinstance(table, dict) or not isinstance(table.get("email"), str):
            raise ConfigError(f"{where}: key 'email' is required (a string)")
        for extra in set(table) - {"email", "series"}:
            raise ConfigError(f"{where}: unknown key {extra!r}; allowed: email, series")
        _check_address(table["email"], f"{where} email")
        series = table.get("series", [])
        if not isinstance(series, list) or any(s not in SERIES for s in series):
            raise ConfigError(f"{where}: series must be a list of {', '.join(SERIES)}; "
                              f"got {series!r}")
        recipients.append(Recipient(table["email"], tuple(series)))
    return tuple(recipients)


def _smtp(path: Path, table: dict[str, Any], get) -> SmtpSettings | None:
    known = {"host", "port", "security", "user", "password_env", "timeout_seconds"}
    for key in table:
        if key not in known:
            raise ConfigError(f"{path}: [smtp] unknown key {key!r}; allowed: "
                              f"{', '.join(sorted(known))}")
    host = get("smtp", table, "host", str, "")
    if not host:
        return None
    security = get("smtp", table, "security", str, "starttls")
    if security not in SECURITY:
        raise ConfigError(f"{path}: [smtp] security must be one of {', '.join(SECURITY)}, "
                          f"got {security!r}")
    default_port = {"starttls": 587, "ssl": 465, "none": 25}[security]
    smtp = SmtpSettings(
        host=host,
        port=get("smtp", table, "port", int, default_port),
        security=security,
        user=get("smtp", table, "user", str, ""),
        password_env=get("smtp", table, "password_env", str, "TALKWATCH_SMTP_PASSWORD"),
        timeout_seconds=float(get("smtp", table, "timeout_seconds", (int, float), 30)),
    )
    if smtp.user and not os.environ.get(smtp.password_env):
        raise ConfigError(f"{path}: [smtp] user is set but the environment variable "
                          f"{smtp.password_env!r} named by password_env is empty")
    return smtp
