"""Hostile and broken input: bad JSON, wrong types, huge bodies and headers, slow and non-TLS
clients. The server answers with problem documents or hangs up, and keeps serving others."""

import json
import socket
import ssl
import threading
import time

import harness

ORG = {"name": "Input Ltd", "country": "CN", "city": "Beijing"}
MIB = 1024 * 1024
READ_TIMEOUT_SECONDS = 2


class BadInput:
    def setUp(self):
        self.server = self.start_signetd(
            settings={"http.read_timeout_seconds": READ_TIMEOUT_SECONDS,
                      "http.max_body_bytes": str(MIB)})
        self.client = self.server.client(self.server.create_owner("a@x.com", "alpha"))
        self.anon = self.server.client()

    def assertHealthy(self):
        response = self.anon.get("/healthz")
        self.assertStatus(response, 200)
        self.assertTrue(self.server.running())

    def assertNothingStored(self):
        listed = self.client.get("/api/v1/organizations")
        self.assertStatus(listed, 200)
        self.assertEqual(listed.body["items"], [])

    def raw_request(self, data, method="POST", timeout=30):
        """Sends bytes over a fresh verified TLS connection; returns the parsed response.

        The server may answer and hang up before reading everything (a size limit); a failed
        send is then ignored and the answer read all the same.
        """
        with harness.raw_tls_socket(self.server.port, self.server.ca_file, timeout) as sock:
            try:
                sock.sendall(data)
            except (OSError, ssl.SSLError):
                pass
            return harness.read_raw_response(sock, method=method)

    def request_head(self, method, path, extra_headers=(), content_length=None):
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.server.port}",
                 f"Authorization: Bearer {self.client.key}", "Content-Type: application/json"]
        if content_length is not None:
            lines.append(f"Content-Length: {content_length}")
        lines += list(extra_headers)
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    # -- JSON bodies --

    def test_malformed_json(self):
        for body in ('{"name": "x",', "not json", '{"name": "x"} trailing', ""):
            response = self.client.post("/api/v1/organizations", raw_body=body,
                                        content_type="application/json")
            self.assertProblem(response, 400, "malformed_json")
        response = self.client.post("/api/v1/organizations", raw_body='["a", "list"]',
                                    content_type="application/json")
        self.assertProblem(response, 400, "malformed_json")
        self.assertNothingStored()

    def test_unknown_field(self):
        response = self.client.post("/api/v1/organizations", dict(ORG, is_admin=True))
        doc = self.assertProblem(response, 400, "unknown_field")
        self.assertIn("is_admin", doc["detail"])
        self.assertNothingStored()

    def test_missing_required_field(self):
        response = self.client.post("/api/v1/organizations", {"country": "CN", "city": "Beijing"})
        doc = self.assertProblem(response, 400, "missing_field")
        self.assertIn("name", doc["detail"])
        response = self.client.post("/api/v1/organizations", dict(ORG, name=""))
        self.assertProblem(response, 400, "missing_field")
        self.assertNothingStored()

    def test_invalid_field_values(self):
        for bad in ({"country": "CHN"}, {"country": "1X"}, {"name": 42}, {"phone": "call me"},
                    {"name": "x" * 1000}):
            response = self.client.post("/api/v1/organizations", dict(ORG, **bad))
            self.assertProblem(response, 400)
        self.assertNothingStored()

    def test_wrong_content_type(self):
        response = self.client.post("/api/v1/organizations", raw_body=json.dumps(ORG),
                                    content_type="text/plain")
        self.assertProblem(response, 415, "unsupported_media_type")
        response = self.client.post("/api/v1/organizations", raw_body=json.dumps(ORG))
        self.assertProblem(response, 415, "unsupported_media_type")
        # Parameters of the right type are fine.
        response = self.client.post("/api/v1/organizations", raw_body=json.dumps(ORG),
                                    content_type="application/json; charset=utf-8")
        self.assertStatus(response, 201)

    # -- size limits --

    def test_declared_body_over_limit_is_413(self):
        # Refused from the header alone: the client need not (and here does not) send the body,
        # so the server's hang-up cannot race with our sending.
        head = self.request_head("POST", "/api/v1/organizations", content_length=MIB + 1)
        response = self.raw_request(head)
        self.assertProblem(response, 413, "payload_too_large")
        self.assertHealthy()
        self.assertNothingStored()

    def test_streamed_body_over_limit_is_413(self):
        # Chunked, so the size is only known while reading: 1 MiB + 16 KiB of JSON whitespace.
        head = self.request_head("POST", "/api/v1/organizations",
                                 extra_headers=["Transfer-Encoding: chunked"])
        chunk = b" " * 65536
        body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(17)) + b"0\r\n\r\n"
        response = self.raw_request(head + body)
        self.assertProblem(response, 413, "payload_too_large")
        self.assertHealthy()
        self.assertNothingStored()

    def test_body_just_under_limit_is_read(self):
        # Padding inside a JSON string field keeps it valid but too long for the field: the body
        # is read in full and judged on its content (400), not refused for its size.
        body = json.dumps(dict(ORG, address="a" * (MIB - 1024)))
        self.assertLess(len(body), MIB)
        response = self.client.post("/api/v1/organizations", raw_body=body,
                                    content_type="application/json")
        self.assertProblem(response, 400, "invalid_field")
        self.assertHealthy()

    def test_huge_header_is_431(self):
        # One long header line...
        head = self.request_head("GET", "/api/v1/organizations",
                                 extra_headers=[f"X-Padding: {'a' * (17 * 1024)}"])
        self.assertProblem(self.raw_request(head, method="GET"), 431)
        self.assertHealthy()
        # ...or many ordinary ones.
        head = self.request_head("GET", "/api/v1/organizations",
                                 extra_headers=[f"X-Pad-{i}: {'b' * 200}" for i in range(90)])
        self.assertGreater(len(head), 16 * 1024)
        self.assertProblem(self.raw_request(head, method="GET"), 431)
        self.assertHealthy()
        # Just under the limit is fine.
        response = self.client.get("/api/v1/organizations",
                                   headers={"X-Padding": "c" * (12 * 1024)})
        self.assertStatus(response, 200)

    # -- slow and broken clients --

    def test_slow_loris_is_cut_off_while_others_are_served(self):
        loris = []
        for _ in range(8):
            sock = harness.raw_tls_socket(self.server.port, self.server.ca_file, timeout=30)
            # A partial header, then silence.
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            loris.append(sock)
        started = time.monotonic()

        outcomes = [None] * len(loris)

        def watch(i, sock):
            try:
                data = sock.recv(65536)
                outcomes[i] = ("data", time.monotonic() - started, data)
            except (ConnectionError, ssl.SSLError, OSError) as e:
                outcomes[i] = ("error", time.monotonic() - started, repr(e))

        watchers = [threading.Thread(target=watch, args=(i, s), daemon=True)
                    for i, s in enumerate(loris)]
        for w in watchers:
            w.start()
        # Meanwhile other clients are served: requests complete while the slow clients still
        # hold their connections.
        served_at = []
        while time.monotonic() - started < READ_TIMEOUT_SECONDS + 0.5:
            self.assertStatus(self.anon.get("/healthz"), 200)
            served_at.append(time.monotonic() - started)
        for w in watchers:
            w.join(timeout=READ_TIMEOUT_SECONDS + 10)
        for sock in loris:
            sock.close()
        for i, outcome in enumerate(outcomes):
            self.assertIsNotNone(outcome, f"slow client {i} was never disconnected")
            kind, elapsed, data = outcome
            # Disconnected (EOF, reset, TLS close) or answered 408, within about the timeout.
            if kind == "data" and data:
                self.assertTrue(data.startswith(b"HTTP/1.1 408"), data[:200])
            self.assertLess(elapsed, READ_TIMEOUT_SECONDS + 5, outcome)
        first_cut = min(outcome[1] for outcome in outcomes)
        served_meanwhile = [t for t in served_at if t < first_cut]
        self.assertGreaterEqual(len(served_meanwhile), 2,
                                f"requests served at {served_at}, slow clients cut at "
                                f"{sorted(o[1] for o in outcomes)}")
        self.assertHealthy()

    def test_idle_tls_handshake_is_cut_off(self):
        # Connects but never starts TLS.
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=30) as sock:
            started = time.monotonic()
            self.assertStatus(self.anon.get("/healthz"), 200)
            try:
                data = sock.recv(1024)
            except ConnectionError:
                data = b""
            self.assertEqual(data, b"")
            self.assertLess(time.monotonic() - started, READ_TIMEOUT_SECONDS + 5)
        self.assertHealthy()

    def test_non_tls_garbage_does_not_crash_it(self):
        payloads = [
            b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            b"\x00" * 1024,
            bytes(range(256)) * 64,
            b"\x16\x03\x01\x00\x05hello",  # a truncated TLS record
            b"\x16\x03\x03\xff\xff" + b"\x01" * 4096,  # a TLS record header announcing 64 KiB
        ]
        for payload in payloads:
            with socket.create_connection(("127.0.0.1", self.server.port), timeout=30) as sock:
                try:
                    sock.sendall(payload)
                    sock.shutdown(socket.SHUT_WR)
                    while sock.recv(65536):
                        pass
                except ConnectionError:
                    pass
            self.assertHealthy()

    def test_malformed_http_inside_tls(self):
        response = self.raw_request(b"THIS IS NOT HTTP\r\n\r\n", method="GET")
        self.assertProblem(response, 400)
        head = (b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n")
        response = self.raw_request(head, method="GET")
        self.assertProblem(response, 400)
        self.assertHealthy()


harness.make_backend_tests(globals(), BadInput)

if __name__ == "__main__":
    harness.main()
