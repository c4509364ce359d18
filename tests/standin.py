"""A local HTTP server standing in for a remote service (feeds, SMS provider APIs).

`routes` maps a path to (status, body, content type); a body may be a callable taking the
request body, for answers that depend on what was sent. Every request is logged with its
method, path, headers and body, so a test can check what the project sent.
"""

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class StandIn:
    base: str
    routes: dict = field(default_factory=dict)
    requests: list = field(default_factory=list)

    def serve(self, path: str, body, status: int = 200, content_type="application/xml") -> str:
        self.routes[path] = (status, body, content_type)
        return self.base + path


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a client that gave up (timeout test) is expected


def start_stand_in():
    stand_in = StandIn(base="")

    class Handler(BaseHTTPRequestHandler):
        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            sent = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            stand_in.requests.append(_Request(self.command, self.path, headers, sent))
            status, body, content_type = stand_in.routes.get(
                self.path, (404, b"introuvable", "text/plain")
            )
            if callable(body):
                body = body(sent) if self.command == "POST" else body()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer  # noqa: N815 — http.server's naming

        def log_message(self, *args):
            pass

    server = _QuietServer(("127.0.0.1", 0), Handler)
    stand_in.base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop():
        server.shutdown()
        server.server_close()
        thread.join()

    return stand_in, stop


class _Request(tuple):
    """(path, headers) as the watch tests read it, with the method and body besides."""

    def __new__(cls, method, path, headers, body):
        request = super().__new__(cls, (path, headers))
        request.method, request.body = method, body
        return request
