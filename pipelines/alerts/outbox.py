"""The outbox: alert documents in `<prefix>-alerts` and their `delivery` state.

    pending ---claim---> sending --accepted by the server--> sent
    retrying (due) ----'   |  |  '--temporary error (down, 4xx)--> retrying, next_attempt_at
                           |  '--permanent error (5xx)--> failed: `alerts send --retry-failed`
                           '--------no subscribed recipient-----> skipped
    A `sending` claim older than the lease is due again: its mailer died mid-send.

Every state change is an update conditioned on the `_seq_no`/`_primary_term` the mailer read,
so of two mailers that read the same pending alert only one claims it; the other gets a 409
and moves on.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from elasticsearch import ConflictError, Elasticsearch

log = logging.getLogger(__name__)

DUE_STATES = ("pending", "retrying")


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


@dataclass
class Claim:
    """An alert this mailer holds: its document and the version its next update must match."""

    alert: dict[str, Any]
    seq_no: int
    primary_term: int

    @property
    def id(self) -> str:
        return self.alert["id"]

    @property
    def delivery(self) -> dict[str, Any]:
        return self.alert["delivery"]


class Outbox:
    def __init__(self, es: Elasticsearch, index: str) -> None:
        self.es = es
        self.index = index

    def update_mapping(self, properties: dict[str, Any]) -> None:
        """Add fields new to the alerts template to an index created under an older one (a
        range query on an unmapped `delivery.claimed_at` would silently match nothing)."""
        self.es.options(ignore_status=404).indices.put_mapping(
            index=self.index, properties=properties
        )

    def refresh(self) -> None:
        """Make alerts the pipeline wrote in the last second visible to search."""
        self.es.options(ignore_status=404).indices.refresh(index=self.index)

    def due(self, now: datetime, lease_seconds: float, limit: int) -> list[dict[str, Any]]:
        stale = now - timedelta(seconds=lease_seconds)
        query = {"bool": {"minimum_should_match": 1, "should": [
            {"bool": {"filter": [
                {"terms": {"delivery.state": list(DUE_STATES)}},
                {"range": {"delivery.next_attempt_at": {"lte": iso(now)}}}]}},
            {"bool": {"filter": [
                {"term": {"delivery.state": "sending"}},
                {"range": {"delivery.claimed_at": {"lte": iso(stale)}}}]}},
        ]}}  # fmt: skip
        response = self.es.options(ignore_status=404).search(
            index=self.index, query=query, size=limit, seq_no_primary_term=True,
            sort=[{"created_at": {"order": "asc"}}],
        )
        return list(response.get("hits", {}).get("hits", []))

    def claim(self, hit: dict[str, Any], owner: str, now: datetime) -> Claim | None:
        """Take the alert for sending; None if another mailer changed it since it was read."""
        alert = hit["_source"]
        delivery = dict(alert.get("delivery") or {})
        if delivery.get("state") == "sending":
            log.warning("alert %s: claim by %s expired (mailer stopped mid-send?); it may have "
                        "been delivered already; sending again", alert["id"],
                        delivery.get("claimed_by"))
        delivery.update(state="sending", attempts=int(delivery.get("attempts") or 0) + 1,
                        claimed_by=owner, claimed_at=iso(now))
        claim = Claim({**alert, "delivery": delivery}, hit["_seq_no"], hit["_primary_term"])
        return claim if self.update(claim, delivery) else None

    def update(self, claim: Claim, delivery: dict[str, Any]) -> bool:
        """Write `delivery` if the alert is still at the claim's version; False on conflict."""
        try:
            response = self.es.update(
                index=self.index, id=claim.id, doc={"delivery": delivery},
                if_seq_no=claim.seq_no, if_primary_term=claim.primary_term,
            )
        except ConflictError:
            return False
        claim.seq_no, claim.primary_term = response["_seq_no"], response["_primary_term"]
        claim.alert["delivery"] = delivery
        return True

    def recent(self, limit: int, state: str | None = None) -> list[dict[str, Any]]:
        query = {"term": {"delivery.state": state}} if state else {"match_all": {}}
        response = self.es.options(ignore_status=404).search(
            index=self.index, query=query, size=limit,
            sort=[{"created_at": {"order": "desc"}}],
            source_excludes=["event"],
        )
        return [hit["_source"] for hit in response.get("hits", {}).get("hits", [])]

    def requeue_failed(self, now: datetime) -> int:
        """Failed alerts become pending again (once the cause, e.g. a refused address, is fixed)."""
        response = self.es.options(ignore_status=404).update_by_query(
            index=self.index, query={"term": {"delivery.state": "failed"}}, conflicts="proceed",
            refresh=True,
            script={"lang": "painless", "params": {"now": iso(now)}, "source":
                    "ctx._source.delivery.state = 'pending';"
                    " ctx._source.delivery.next_attempt_at = params.now;"},
        )  # fmt: skip
        return int(response.get("updated", 0))
