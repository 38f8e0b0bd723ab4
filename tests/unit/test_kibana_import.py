"""`talkwatch kibana import`: our HTTP client's request, checked by a loopback HTTP server
written here that parses the multipart body the way Kibana's saved objects API expects it."""

from __future__ import annotations

import json
import threading
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from deploy.kibana.client import KibanaImportError, bundled_saved_objects, import_saved_objects
from talkwatch.cli import main


class SavedObjectsImport(BaseHTTPRequestHandler):
    answer: dict = {}
    seen: list[dict] = []

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        form = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode() + body)
        files = [(p.get_param("name", header="content-disposition"), p.get_filename(),
                  p.get_payload(decode=True)) for p in form.iter_parts()]
        self.seen.append({"path": self.path, "xsrf": self.headers.get("kbn-xsrf"),
                          "auth": self.headers.get("Authorization"), "multipart":
                          form.get_content_type(), "files": files})
        payload = json.dumps(self.answer).encode()
        self.send_response(200 if self.answer.get("success") is not None else 400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        return None


@pytest.fixture
def kibana():
    """A loopback HTTP server answering like the import API: kibana(answer) -> (url, requests)."""
    servers = []

    def start(answer: dict):
        handler = type("Handler", (SavedObjectsImport,), {"answer": answer, "seen": []})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}", handler.seen

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_posts_the_ndjson_as_a_multipart_file_with_the_xsrf_header(kibana):
    url, seen = kibana({"success": True, "successCount": 14})
    result = import_saved_objects(url, bundled_saved_objects())
    assert result.success_count == 14
    (request,) = seen
    assert request["path"] == "/api/saved_objects/_import?overwrite=true"
    assert request["xsrf"] and request["multipart"] == "multipart/form-data"
    assert request["files"] == [("file", "saved_objects.ndjson", bundled_saved_objects())]
    assert request["auth"] is None


def test_a_space_and_basic_auth_go_into_the_request(kibana):
    url, seen = kibana({"success": True, "successCount": 1})
    import_saved_objects(url, b"{}\n", space="analysts", user="tw", password="pw")
    assert seen[0]["path"].startswith("/s/analysts/api/saved_objects/_import")
    assert seen[0]["auth"] == "Basic dHc6cHc="


def test_objects_kibana_refused_are_an_error(kibana):
    url, _ = kibana({"success": False, "successCount": 13, "errors": [
        {"id": "talkwatch-map-venues", "type": "map", "error": {"type": "missing_references"}}]})
    with pytest.raises(KibanaImportError, match="talkwatch-map-venues: missing_references"):
        import_saved_objects(url, bundled_saved_objects())


def test_an_http_error_is_an_error(kibana):
    url, _ = kibana({"statusCode": 400, "message": "bad request"})
    with pytest.raises(KibanaImportError, match="HTTP 400"):
        import_saved_objects(url, b"not json")


def test_the_command_reports_the_import(kibana, capsys):
    url, seen = kibana({"success": True, "successCount": 14})
    assert main(["kibana", "import", "--url", url]) == 0
    assert "imported 14 saved objects" in capsys.readouterr().out
    assert len(seen) == 1
