"""Imports deploy/kibana/saved_objects.ndjson through Kibana's saved objects API.

`POST <kibana>/api/saved_objects/_import?overwrite=true` (or `/s/<space>/api/...`) with the
NDJSON as the multipart form field `file` and the `kbn-xsrf` header Kibana requires on every
write request. Kibana answers 200 even when some objects fail; `success` and `errors` in the
body say which.
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib import error, request

SAVED_OBJECTS = "saved_objects.ndjson"


class KibanaImportError(RuntimeError):
    pass


@dataclass(frozen=True)
class ImportResult:
    success_count: int
    errors: list[dict[str, Any]]


def bundled_saved_objects() -> bytes:
    return resources.files("deploy.kibana").joinpath(SAVED_OBJECTS).read_bytes()


def multipart_file(field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    """A multipart/form-data body with one file; returns (body, content type)."""
    boundary = f"talkwatch-{uuid.uuid4().hex}"
    head = (f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
            "Content-Type: application/ndjson\r\n\r\n").encode()  # fmt: skip
    body = head + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def import_saved_objects(
    kibana_url: str,
    ndjson: bytes,
    *,
    space: str | None = None,
    overwrite: bool = True,
    user: str | None = None,
    password: str | None = None,
    timeout: float = 60.0,
) -> ImportResult:
    base = kibana_url.rstrip("/") + (f"/s/{space}" if space else "")
    url = f"{base}/api/saved_objects/_import?overwrite={'true' if overwrite else 'false'}"
    body, content_type = multipart_file("file", SAVED_OBJECTS, ndjson)
    headers = {"kbn-xsrf": "talkwatch", "Content-Type": content_type}
    if user:
        token = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    req = request.Request(url, data=body, headers=headers, method="POST")
    try:
        with request.urlopen(req, timeout=timeout) as response:
            answer = json.loads(response.read().decode("utf-8"))
    except error.HTTPError as exc:
        detail = exc.read().decode("utf-8", errors="replace")[:500]
        raise KibanaImportError(f"{url}: HTTP {exc.code}: {detail}") from None
    except (error.URLError, OSError) as exc:
        raise KibanaImportError(f"{url}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise KibanaImportError(f"{url}: answer is not JSON: {exc}") from None
    result = ImportResult(int(answer.get("successCount", 0)), list(answer.get("errors", [])))
    if not answer.get("success", False):
        first = "; ".join(
            f"{e.get('type')} {e.get('id')}: {e.get('error', {}).get('type')}"
            for e in result.errors[:5]
        )
        raise KibanaImportError(
            f"{url}: {len(result.errors)} objects failed, {result.success_count} imported: {first}"
        )
    return result
