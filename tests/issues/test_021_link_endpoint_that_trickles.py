"""Issue 8, item 11: ``kg link --endpoint`` hung on a server that sends one byte every few seconds.

The socket timeout bounds each read, not the answer: a server that keeps sending a byte now and
then never trips it, and ``kg link`` waited forever. Each answer is now read under one deadline
(the client's timeout), so the command gives up after its attempts with one ``Error:`` line.

The client's timeout and retries are shortened for the test (3 s, 2 attempts) and the server
sends a byte every second, well within the per-read timeout, as in the report.
"""

import socketserver
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from conftest import finish  # tests/ is on sys.path

KG_LINK = """
    import sys
    import kg.link
    kg.link.WikidataClient.__init__.__kwdefaults__.update(timeout=3.0, retries=1)
    from kg.cli import cli
    cli(sys.argv[1:])
"""


@pytest.fixture
def trickling_endpoint():
    stop = threading.Event()

    class Trickle(socketserver.BaseRequestHandler):
        def handle(self):
            self.request.recv(65536)
            try:
                self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                     b"Content-Length: 100000\r\n\r\n{")
                while not stop.wait(1.0):
                    self.request.sendall(b" ")
            except OSError:
                pass

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Trickle)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/w/api.php"
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


def test_a_trickling_endpoint_is_given_up_with_one_error(small_store_path, tmp_path, trickling_endpoint):
    # cwd outside the repository: the child imports the same `kg` as this test.
    process = subprocess.Popen([sys.executable, "-c", textwrap.dedent(KG_LINK), "link", "--endpoint",
                                trickling_endpoint, "--store", str(small_store_path)],
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = finish(process, 120, "kg link was still waiting for the trickling endpoint after 120 s")
    assert process.returncode == 1, out + err
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, err
    assert trickling_endpoint in errors[0] and "timed out" in errors[0], errors[0]


def test_a_normal_answer_is_still_read(tmp_path):
    """The deadline is for the whole answer: an answer sent in pieces in time is read whole."""
    from kg.link import WikidataClient

    class Pieces(socketserver.BaseRequestHandler):
        def handle(self):
            self.request.recv(65536)
            body = b'{"search": []}'
            self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                                 + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n")
            for byte in body:
                self.request.sendall(bytes([byte]))
                time.sleep(0.01)

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Pieces)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = WikidataClient(f"http://127.0.0.1:{server.server_address[1]}/w/api.php", retries=0)
        assert client.search("Vienna") == []
    finally:
        server.shutdown()
        server.server_close()
