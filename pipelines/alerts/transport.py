"""Where an email goes: an SMTP server (smtplib), or a local mail directory of .eml files.

`send` either returns (the server accepted the message for at least one recipient) or raises
`DeliveryError`, which says whether trying again later can help: connection failures, timeouts
and 4xx answers are temporary; a 5xx answer (every recipient refused, sender refused, message
rejected) is permanent. The password is read from the environment when connecting and never
appears in a log line or an error.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from pipelines.alerts.settings import SmtpSettings

log = logging.getLogger(__name__)


class DeliveryError(Exception):
    def __init__(self, message: str, temporary: bool, connection: bool = False) -> None:
        super().__init__(message)
        self.temporary = temporary
        self.connection = connection  # no session with the server: later messages fail too


class Transport(Protocol):
    name: str

    def __enter__(self) -> Transport: ...

    def __exit__(self, *exc) -> None: ...

    def send(self, message: EmailMessage, sender: str, recipients: list[str]) -> str:
        """Deliver; returns a short description of where it went."""
        ...


class SmtpTransport:
    """One connection per mailer pass, opened on the first message."""

    name = "smtp"

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self.client: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(self, *exc) -> None:
        if self.client is not None:
            try:
                self.client.quit()
            except (smtplib.SMTPException, OSError) as error:
                log.debug("smtp: quit failed: %s", error)
            self.client = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context()
        try:
            if s.security == "ssl":
                client = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout_seconds,
                                          context=context)
            else:
                client = smtplib.SMTP(s.host, s.port, timeout=s.timeout_seconds)
                if s.security == "starttls":
                    client.starttls(context=context)
            if s.user:
                client.login(s.user, s.password() or "")
        except smtplib.SMTPAuthenticationError as error:
            raise DeliveryError(f"smtp {s.host}:{s.port}: login as {s.user!r} refused "
                                f"({error.smtp_code})", temporary=True, connection=True) from None
        except smtplib.SMTPResponseException as error:
            failure = _response_error(error, f"smtp {s.host}:{s.port}")
            failure.connection = True
            raise failure from None
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryError(f"smtp {s.host}:{s.port}: {type(error).__name__}: {error}",
                                temporary=True, connection=True) from None
        return client

    def send(self, message: EmailMessage, sender: str, recipients: list[str]) -> str:
        if self.client is None:
            self.client = self._connect()
        where = f"smtp {self.settings.host}:{self.settings.port}"
        try:
            refused = self.client.send_message(message, from_addr=sender, to_addrs=recipients)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            raise DeliveryError(f"{where}: every recipient refused {sorted(set(codes))}",
                                temporary=all(400 <= c < 500 for c in codes)) from None
        except smtplib.SMTPResponseException as error:
            self.client = None  # the session is in an unknown state: reconnect next time
            raise _response_error(error, where) from None
        except (smtplib.SMTPException, OSError) as error:
            self.client = None
            raise DeliveryError(f"{where}: {type(error).__name__}: {error}",
                                temporary=True) from None
        if refused:
            log.warning("%s: refused %s; delivered to the others", where, sorted(refused))
        return where


def _response_error(error: smtplib.SMTPResponseException, where: str) -> DeliveryError:
    text = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) \
        else str(error.smtp_error)
    return DeliveryError(f"{where}: {error.smtp_code} {text}",
                         temporary=not 500 <= error.smtp_code < 600)


class MailDirTransport:
    """No SMTP configured: each message becomes `<dir>/<name>.eml` (name from the alert ids).

    The file name is derived from the message, so sending the same alert twice rewrites the
    same file instead of adding one.
    """

    name = "maildir"

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def __enter__(self) -> MailDirTransport:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def send(self, message: EmailMessage, sender: str, recipients: list[str]) -> str:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            stem = str(message["Message-ID"]).strip("<>").split("@")[0]
            path = self.directory / f"{stem}.eml"
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(message.as_bytes())
            os.replace(tmp, path)
        except OSError as error:
            raise DeliveryError(f"mail dir {self.directory}: {error}", temporary=True) from None
        return str(path)


def transport_for(smtp: SmtpSettings | None, mail_dir: Path) -> Transport:
    return SmtpTransport(smtp) if smtp is not None else MailDirTransport(mail_dir)
