"""SIGTERM under load: signetd drains and exits 0, and no acknowledged write is lost."""

import http.client
import os
import signal
import ssl
import sys
import threading
import time

import harness

CLIENT_THREADS = 4
MIN_WRITES_PER_WRITER = 10
EXIT_DEADLINE_SECONDS = 30


class Writer(threading.Thread):
    """POSTs organizations in a loop on a keep-alive connection, recording acknowledged ids."""

    def __init__(self, server, key, index, stop):
        super().__init__(daemon=True, name=f"writer-{index}")
        self.server = server
        self.key = key
        self.index = index
        self.stop = stop
        self.acknowledged = []  # ids answered 201
        self.other_statuses = []  # (status, body) of answers that were neither 201 nor errors
        self.errors = []  # connection-level errors (expected once shutdown starts)
        self.dropped = []  # requests sent whole that got no answer (never expected)
        self.first_error_at = None

    def run(self):
        client = self.server.client(self.key, keep_alive=True, timeout=60)
        n = 0
        while not self.stop.is_set():
            n += 1
            try:
                response = client.post("/api/v1/organizations",
                                       {"name": f"Writer {self.index} #{n}", "country": "CN"})
            except (OSError, ssl.SSLError, http.client.HTTPException) as e:
                # The server closed the connection or refused a new one: expected after
                # SIGTERM. Keep trying (new connections) until told to stop.
                self.errors.append(repr(e))
                if getattr(e, "stage", "") == "response":
                    # The request went out whole and was never answered: dropped.
                    self.dropped.append(repr(e))
                if self.first_error_at is None:
                    self.first_error_at = time.monotonic()
                client.close()
                self.stop.wait(0.02)
                continue
            if response.status == 201 and isinstance(response.body, dict) and \
                    response.body.get("id"):
                self.acknowledged.append(response.body["id"])
            else:
                self.other_statuses.append((response.status, response.body))
        client.close()


class GracefulShutdown:
    def test_sigterm_under_load_loses_no_acknowledged_write(self):
        server = self.start_signetd()
        key = server.create_owner("load@x.com", "load")
        self.assertStatus(server.client(key).get("/api/v1/session"), 200)

        stop = threading.Event()
        writers = [Writer(server, key, i, stop) for i in range(CLIENT_THREADS)]
        try:
            for w in writers:
                w.start()
            # Every writer is going (its connection is busy with writes) when SIGTERM arrives.
            harness.wait_until(
                lambda: all(len(w.acknowledged) >= MIN_WRITES_PER_WRITER for w in writers) or
                any(w.errors or w.other_statuses for w in writers),
                60, message=f"{MIN_WRITES_PER_WRITER} acknowledged writes per writer")
            self.assertEqual([s for w in writers for s in w.other_statuses], [],
                             "only 201s before SIGTERM")
            self.assertEqual([e for w in writers for e in w.errors], [],
                             "no connection errors before SIGTERM")

            sent = time.monotonic()
            server.send_signal(signal.SIGTERM)
            code = server.wait(EXIT_DEADLINE_SECONDS)
            exit_seconds = time.monotonic() - sent
        finally:
            stop.set()
            for w in writers:
                w.join(timeout=60)
        self.assertFalse(any(w.is_alive() for w in writers), "a writer thread is stuck")
        self.assertEqual(code, 0, "signetd exits 0 after SIGTERM")
        self.assertLess(exit_seconds, EXIT_DEADLINE_SECONDS)

        acknowledged = [i for w in writers for i in w.acknowledged]
        after_sigterm = sum(len(w.errors) for w in writers)
        other = sorted(status for w in writers for status, _ in w.other_statuses)
        print(f"\n  {len(acknowledged)} writes acknowledged; exit code {code} "
              f"{exit_seconds:.2f}s after SIGTERM; {after_sigterm} connection errors after it; "
              f"other answers: {other}", file=sys.stderr)
        self.assertEqual(len(acknowledged), len(set(acknowledged)), "ids are unique")
        # Every request that reached the server was answered: after SIGTERM a client can only
        # fail to connect (or to send), never lose an answer to a request it sent.
        self.assertEqual([d for w in writers for d in w.dropped], [],
                         "requests in flight at SIGTERM were dropped unanswered")
        # Requests answered during the drain are ordinary answers (201, or 503 while
        # stopping), never a server error.
        for status, body in (s for w in writers for s in w.other_statuses):
            self.assertIn(status, (503,), body)

        # The log says it stopped on the signal.
        self.assertIn("stopped", [line.get("msg") for line in server.log_lines()])

        restarted = self.start_signetd(data_dir=server.data_dir,
                                       database_url=server.database_url)
        reader = restarted.client(key, keep_alive=True)
        missing = []
        for org_id in acknowledged:
            response = reader.get(f"/api/v1/organizations/{org_id}")
            if response.status != 200:
                missing.append((org_id, response.status))
        reader.close()
        self.assertEqual(missing, [], f"{len(missing)} of {len(acknowledged)} acknowledged "
                                      "writes are gone after the restart")
        # Every stored organization was acknowledged, or was in flight when the server stopped
        # (at most one per writer).
        stored = set()
        token = None
        while True:
            path = "/api/v1/organizations?page_size=200" + (f"&page_token={token}"
                                                            if token else "")
            page = restarted.client(key).get(path)
            self.assertStatus(page, 200)
            stored |= {o["id"] for o in page.body["items"]}
            token = page.body["next_page_token"]
            if not token:
                break
        self.assertTrue(set(acknowledged) <= stored)
        self.assertLessEqual(len(stored - set(acknowledged)), CLIENT_THREADS)
        self.assertEqual(restarted.stop(), 0)

    def test_idle_server_stops_promptly(self):
        server = self.start_signetd()
        # An idle keep-alive connection must not hold up the shutdown.
        idle = server.client(keep_alive=True)
        self.assertStatus(idle.get("/healthz"), 200)
        started = time.monotonic()
        self.assertEqual(server.stop(signal.SIGTERM), 0)
        self.assertLess(time.monotonic() - started, 10)
        idle.close()
        self.assertFalse(os.path.exists(server.addr_file),
                         "signetd.addr is removed on a clean stop")

    def test_sigint_also_stops_cleanly(self):
        server = self.start_signetd()
        self.assertStatus(server.client().get("/healthz"), 200)
        self.assertEqual(server.stop(signal.SIGINT), 0)


harness.make_backend_tests(globals(), GracefulShutdown)

if __name__ == "__main__":
    harness.main()
