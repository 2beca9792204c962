"""A loopback file server with Range support and sendfile, for the download benchmark."""

from __future__ import annotations

import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def serve_file(path: Path) -> tuple[ThreadingHTTPServer, str]:
    """Serve ``path`` at ``http://127.0.0.1:PORT/video.mp4`` from a background thread."""
    size = path.stat().st_size

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            start = 0
            ranged = self.headers.get("range", "")
            if ranged.startswith("bytes="):
                start = int(ranged[6:].split("-")[0] or 0)
            self.send_response(206 if start else 200)
            self.send_header("content-type", "video/mp4")
            self.send_header("accept-ranges", "bytes")
            self.send_header("content-length", str(size - start))
            if start:
                self.send_header("content-range", f"bytes {start}-{size - 1}/{size}")
            self.end_headers()
            with path.open("rb") as handle:
                self.wfile.flush()
                os.sendfile(self.connection.fileno(), handle.fileno(), start, size - start)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/video.mp4"
