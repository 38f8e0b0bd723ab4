"""The email: subject line, a text and an HTML part from Jinja2 templates (templates/).

Text from articles is hostile until proven otherwise. Everything that reaches a header goes
through `one_line` (control characters, CR and LF become spaces), and the message is built with
an `email.policy` that refuses a header value containing CR or LF, as a second line of defence.
The HTML part is rendered with autoescaping on, and only http(s) URLs become links.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined

SERIES_NAMES = {"astana": "Astana", "geneva": "Geneva", "sochi": "Sochi",
                "constitutional_committee": "Constitutional Committee",
                "other": "Syria talks"}  # fmt: skip
ROLE_ORDER = ("host", "guarantor/sponsor", "mediator/envoy", "delegation", "observer",
              "absent/boycotting")  # fmt: skip
MAX_SUBJECT = 200
MAX_QUOTE = 400
# email.policy.SMTP: CRLF line endings, RFC 2047 for non-ASCII headers; header values with CR
# or LF raise ValueError instead of being folded into a new header.
MESSAGE_POLICY = policy.SMTP
_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")

_TEXT = Environment(loader=PackageLoader("pipelines.alerts", "templates"), autoescape=False,
                    undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                    keep_trailing_newline=True)  # fmt: skip
_HTML = Environment(loader=PackageLoader("pipelines.alerts", "templates"), autoescape=True,
                    undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def one_line(text: Any, limit: int | None = None) -> str:
    """Text safe for a header or a one-line field: no control characters, single spaces."""
    flat = " ".join(_CONTROL.sub(" ", str(text or "")).split())
    if limit and len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return flat


def round_label(event: Mapping[str, Any]) -> str:
    series = SERIES_NAMES.get(event.get("series") or "other", "Syria talks")
    number = event.get("round")
    if number:
        return f"{series} {number}"
    return series if series.endswith("talks") else f"{series} talks"


def format_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(str(value)[:10])
    except ValueError:
        return one_line(value, 40)
    return f"{day.day} {day:%b %Y}"


def place(event: Mapping[str, Any]) -> str | None:
    venue = event.get("venue") or {}
    return one_line(event.get("location") or venue.get("city"), 80) or None


def subject_line(headline: str, event: Mapping[str, Any]) -> str:
    """`[talkwatch] New round: Astana 2 — Astana, 15 Feb 2017` (parts missing are left out)."""
    where_when = ", ".join(p for p in (place(event), format_date(event.get("start_date"))) if p)
    subject = f"[talkwatch] {one_line(headline)}: {round_label(event)}"
    if where_when:
        subject += f" — {where_when}"
    return one_line(subject, MAX_SUBJECT)


def digest_subject(alerts: Sequence[Mapping[str, Any]]) -> str:
    if len(alerts) == 1:
        return one_line(alerts[0]["subject"], MAX_SUBJECT)
    names = "; ".join(one_line(a["subject"]).removeprefix("[talkwatch] ") for a in alerts[:3])
    more = f"; +{len(alerts) - 3} more" if len(alerts) > 3 else ""
    return one_line(f"[talkwatch] Digest, {len(alerts)} alerts: {names}{more}", MAX_SUBJECT)


def discover_url(kibana_url: str, index_prefix: str, event_id: str) -> str:
    """Kibana Discover on the events data view (deploy/kibana), filtered to this event."""
    query = f'event_id:"{event_id}"'.replace("!", "!!").replace("'", "!'")
    state = (f"_g=(time:(from:'2011-01-01T00:00:00.000Z',to:now))"
             f"&_a=(dataSource:(dataViewId:'{index_prefix}-events',type:dataView),"
             f"query:(language:kuery,query:'{query}'))")  # fmt: skip
    return f"{kibana_url}/app/discover#/?" + quote(state, safe="/?=&(),:'!*-_.~")


def _link(url: Any) -> str | None:
    text = one_line(url, 2000)
    return text if re.match(r"https?://[^\s\"'<>]+$", text) else None


def alert_view(alert: Mapping[str, Any], kibana_url: str, index_prefix: str) -> dict[str, Any]:
    """What the templates show for one alert, from its event snapshot."""
    event = alert.get("event") or {}
    venue = event.get("venue") or {}
    by_role: dict[str, list[str]] = {}
    for participant in event.get("participants") or []:
        role = one_line(participant.get("role"), 40) or "participant"
        by_role.setdefault(role, []).append(one_line(participant.get("actor"), 120))
    roles = sorted(by_role, key=lambda r: ROLE_ORDER.index(r) if r in ROLE_ORDER else 99)
    start, end = format_date(event.get("start_date")), format_date(event.get("end_date"))
    dates = f"{start} to {end}" if start and end and start != end else start
    evidence = [
        {
            "field": one_line(name, 40),
            "sentence": one_line(item.get("sentence"), MAX_QUOTE),
            "confidence": f"{float(item.get('confidence') or 0):.2f}",
        }
        for name, item in sorted((event.get("evidence") or {}).items())
        if isinstance(item, Mapping) and item.get("sentence")
    ]
    sources = [
        {
            "title": one_line(s.get("title"), 300) or one_line(s.get("url"), 300) or s.get("id"),
            "url": one_line(s.get("url"), 2000),
            "href": _link(s.get("url")),
            "source": one_line(s.get("source"), 80),
            "published": format_date(s.get("published") or s.get("published_at")),
        }
        for s in event.get("sources") or []
    ]
    next_round = event.get("next_round") or {}
    next_text = ", ".join(p for p in (
        f"round {next_round['round']}" if next_round.get("round") else "",
        format_date(next_round.get("start_date")) or "",
    ) if p)  # fmt: skip
    event_id = str(alert.get("event_id") or event.get("event_id"))
    return {
        "subject": one_line(alert.get("subject"), MAX_SUBJECT),
        "headline": one_line(alert.get("headline") or alert.get("rule")),
        "label": round_label(event),
        "status": one_line(event.get("status")) or "not reported",
        "dates": dates or "not reported",
        "venue": ", ".join(p for p in (place(event), one_line(venue.get("country") or
                                                               event.get("country"))) if p)
        or "not reported",
        "participants": [(role, by_role[role]) for role in roles],
        "outcomes": [one_line(o, 300) for o in event.get("outcomes") or []],
        "next_round": next_text,
        "evidence": evidence,
        "sources": sources,
        "mentions": event.get("mention_count") or len(sources),
        "event_id": one_line(event_id, 80),
        "discover_url": discover_url(kibana_url, index_prefix, event_id),
    }


def render_bodies(views: list[dict[str, Any]]) -> tuple[str, str]:
    context = {"alerts": views, "digest": len(views) > 1}
    text = _TEXT.get_template("alert.txt.j2").render(context)
    html = _HTML.get_template("alert.html.j2").render(context)
    return text, html


def build_message(
    alerts: Sequence[Mapping[str, Any]],
    *,
    sender: str,
    recipients: Sequence[str],
    message_id: str,
    kibana_url: str,
    index_prefix: str,
    now: datetime | None = None,
) -> EmailMessage:
    views = [alert_view(a, kibana_url, index_prefix) for a in alerts]
    text, html = render_bodies(views)
    message = EmailMessage(policy=MESSAGE_POLICY)
    message["Subject"] = digest_subject(alerts)
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = format_datetime(now or datetime.now(UTC))
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    message["X-Talkwatch-Alerts"] = " ".join(one_line(a.get("id"), 40) for a in alerts)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message
