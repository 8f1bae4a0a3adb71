"""kill -9 at every step of the REST and ACME order paths: after a restart, every accepted order
is finished (issued, exactly one certificate, no serial used twice) without anyone touching it.

signetd dies at a named crash point (SIGNET_TEST_CRASH_AT, src/common/crash_point.h):
  order.processing          the order moved to processing, before its advance job was stored
  acme.finalized            ACME finalize stored the CSR and moved the order, before issuing
  ca.reserved, ca.linted, ca.signed   the CA cycle's steps (docs/ISSUANCE.md)
  order.certificate_signed  the certificate is stored, the order not yet marked issued
  order.issued              the order is marked issued, before anything after it
  term.order_created        the next certificate of a term: its order exists, still empty
  term.order_filled         ... the order holds the application, not yet submitted
  term.order_submitted      ... the order is submitted, the certificate not yet marked done
The order's notifications are checked too: each is queued exactly once whatever the crash.
"""

import json
import os
import ssl

import dcv_servers
import harness
from test_acme_accounts import Key, b64
from test_acme_orders import ChallengeServer, csr_der, thumbprint
from test_orders import ADMIN, OrderFixture

DAY = 86400

CA_AND_ORDER_STEPS = ("ca.reserved", "ca.linted", "ca.signed", "order.certificate_signed",
                      "order.issued")
DIE_SECONDS = 60


class CrashFixture:
    def restart(self, crash_at=None):
        """Stops signetd (if running) and starts it again, dying at crash_at when given."""
        if self.server.running():
            self.server.stop()
        self.server.env = {"SIGNET_TEST_CRASH_AT": crash_at} if crash_at else {}
        self.server.start()

    def assertDiesAtCrashPoint(self, point):
        code = self.server.wait(DIE_SECONDS)
        self.assertEqual(code, -9, f"signetd did not die at {point}:\n{self.server.stderr()[-3000:]}")

    def assertExactlyOneCertificate(self, order_id):
        issuance = self.sql(self.server, f"SELECT issuance_id FROM orders WHERE id = '{order_id}'")
        count = self.sql(self.server, "SELECT count(*) FROM certificates WHERE issuance_id = "
                                      f"'{issuance.strip()}'")
        self.assertEqual(count.strip(), "1", f"certificates of order {order_id}")
        managed = self.sql(self.server, "SELECT count(*) FROM managed_certificates WHERE "
                                        f"order_id = '{order_id}'")
        self.assertEqual(managed.strip(), "1", "the account's list holds it once")
        serials = self.sql(self.server, "SELECT count(DISTINCT serial_hex) FROM issuances")
        issuances = self.sql(self.server, "SELECT count(*) FROM issuances")
        self.assertEqual(serials.strip(), issuances.strip(), "a serial was reserved twice")


class RestOrderCrashes(OrderFixture, CrashFixture):
    def prevalidate(self, name):
        v = self.create(name, "dns_txt")
        self.publish_txt(v)
        self.assertEqual(self.check(v)["status"], "valid")

    def ready_order(self, name):
        return self.order("dv-single", {
            "domains": [name], "key": {"generate": {"algorithm": "ecdsa-p256"}},
            "applicant_type": "individual", "administrator": ADMIN,
            "contact": "same_as_administrator", "validation_method": "dns_txt"})

    def assertAnnouncedOnce(self, order_id, event):
        """The order's notification of `event` is queued exactly once: it is stored in the
        transaction that makes the change, so a crash can neither lose nor repeat it."""
        count = self.sql(self.server, "SELECT count(*) FROM jobs WHERE kind = 'notify.webhook'"
                                      f" AND payload LIKE '%\"event\":\"{event}\"%'"
                                      f" AND payload LIKE '%{order_id}%'")
        self.assertEqual(count.strip(), "1", f"{event} notifications of order {order_id}")

    def test_kill_9_at_each_step_of_a_rest_order(self):
        # The operator's webhook (nothing listens there) makes every notification a stored job.
        self.start_world(web=False, smtp=False, extra={
            "notify.webhook_url": f"http://127.0.0.1:{dcv_servers.free_port()}/hook"})
        for point in ("order.processing",) + CA_AND_ORDER_STEPS:
            with self.subTest(point=point):
                # The domain is validated already, so nothing but the order's own record of
                # work (no validation changing later) can move it on after the crash.
                name = point.replace(".", "-").replace("_", "-") + ".insecure.test"
                self.prevalidate(name)
                order = self.ready_order(name)
                self.restart(crash_at=point)
                api = self.server.client(self.api.key)
                try:
                    api.post(f"/api/v1/orders/{order['id']}/submit")
                except OSError:
                    pass  # died while answering
                self.assertDiesAtCrashPoint(point)
                status = self.sql(self.server,
                                  f"SELECT status FROM orders WHERE id = '{order['id']}'")
                # Until the order is marked issued (the last step), the crash leaves it
                # processing: only a restart can finish it.
                self.assertEqual(status.strip(),
                                 "issued" if point == "order.issued" else "processing",
                                 f"after the crash at {point}")
                self.assertAnnouncedOnce(order["id"], "order.submitted")
                self.restart()
                self.api = self.server.client(self.api.key)
                done = self.wait_status(order, "issued", timeout=60)
                self.assertTrue(done["certificate_id"])
                self.assertExactlyOneCertificate(order["id"])
                self.assertAnnouncedOnce(order["id"], "order.issued")
                self.assertStatus(self.api.get(
                    f"/api/v1/certificates/{done['certificate_id']}/download?format=pem"), 200)
        self.assertEqual(self.server.admin("verify-audit")[0], 0)


class TermCrashes(OrderFixture, CrashFixture):
    def test_kill_9_while_starting_the_next_certificate_of_a_term(self):
        """The next certificate of a multi-year term is started by the scheduler in several
        steps; killed at each, the restarted server finishes the same order: none lost, none
        doubled."""
        tmp = self.temp_dir()
        catalog = os.path.join(tmp, "products.json")
        with open(catalog, "w") as f:
            json.dump({"products": [{"id": "dv-2y", "type": "dv", "coverage": "single",
                                     "max_domains": 1, "term_months": 24}]}, f)
        self.start_world(web=False, smtp=False, extra={"products.file": catalog,
                                                       "scheduler.interval_seconds": "1"})
        firsts = []
        for name in ("term-a.insecure.test", "term-b.insecure.test"):
            order = self.order("dv-2y", {"domains": [name],
                                         "key": {"generate": {"algorithm": "ecdsa-p256"}},
                                         "administrator": ADMIN}, submit=True)
            self.publish_all(order)
            firsts.append(self.wait_status(order, "issued"))

        # 175 days on, the first certificates (199 days) have 24 days left: next ones start.
        self.server.settings = list(dict(self.server.settings,
                                         **{"clock.offset_seconds": str(175 * DAY)}).items())
        for point in ("term.order_created", "term.order_filled", "term.order_submitted"):
            with self.subTest(point=point):
                try:
                    self.restart(crash_at=point)
                except harness.StartError:
                    pass  # the scheduler's first run may come before the address is written
                self.assertDiesAtCrashPoint(point)
        self.restart()
        self.api = self.server.client(self.api.key)
        self.api.context = ssl._create_unverified_context()  # noqa: SLF001

        def successors():
            rows = self.sql(self.server, "SELECT continues_certificate_id, status FROM orders"
                                         " WHERE continues_certificate_id IS NOT NULL")
            done = self.sql(self.server, "SELECT count(*) FROM reminders_sent WHERE days = 0")
            lines = [line.split("|") for line in rows.strip().splitlines() if line.strip()]
            if len(lines) == 2 and all(status == "processing" for _, status in lines) and \
                    done.strip() == "2":
                return lines
            return None

        lines = harness.wait_until(successors, 60, interval=0.2, message="both next orders")
        self.assertEqual(sorted(c for c, _ in lines),
                         sorted(o["certificate_id"] for o in firsts))
        orders = self.api.get("/api/v1/orders").body["items"]
        self.assertEqual(len(orders), 4, "two first orders and exactly one next order each")
        for o in orders:
            if o["id"] in {f["id"] for f in firsts}:
                continue
            self.assertEqual(o["status"], "processing")
            self.assertTrue(o["validations"], o)
            self.assertIn("term.next_certificate", [e["event"] for e in o["timeline"]])
            self.publish_all(o)
            self.wait_status(o, "issued", timeout=90)
        self.assertEqual(self.server.admin("verify-audit")[0], 0)


class AcmeOrderCrashes(CrashFixture):
    def setUp(self):
        tmp = self.temp_dir()
        self.dns = dcv_servers.AuthoritativeDns(f"{tmp}/dns")
        self.addCleanup(self.dns.stop)
        web_port = dcv_servers.free_port()
        self.web = ChallengeServer(web_port)
        self.addCleanup(self.web.stop)
        # A fixed port: ACME URLs (and the JWS "url" headers) must stay the same across restarts.
        self.server = self.start_signetd(settings={
            "listen": f"127.0.0.1:{dcv_servers.free_port()}",
            "validation.dns_resolvers": self.dns.address,
            "validation.dns_trust_anchors": self.dns.trust_anchor_file(f"{tmp}/anchors.txt"),
            "names.internal_suffixes": "test",
            "validation.allow_private_addresses": "true",
            "validation.http_port": str(web_port),
        })
        self.connect()

    def connect(self):
        self.client = self.server.client()
        self.directory = self.client.get("/acme/directory").body

    def post(self, url, key, payload, kid=None):
        nonce = self.client.request("HEAD", "/acme/new-nonce").headers["Replay-Nonce"]
        body = key.jws(url, nonce, payload, kid=kid)
        return self.client.request("POST", url[url.index("/acme/"):], raw_body=body,
                                   content_type="application/jose+json")

    def ready_order(self, key, kid, name):
        self.dns.set_records(name, "A", ["127.0.0.1"])
        r = self.post(self.directory["newOrder"], key,
                      {"identifiers": [{"type": "dns", "value": name}]}, kid=kid)
        self.assertStatus(r, 201)
        order_url, order = r.headers["Location"], r.body
        for authz_url in order["authorizations"]:
            authz = self.post(authz_url, key, None, kid=kid).body
            challenge = next(c for c in authz["challenges"] if c["type"] == "http-01")
            self.web.answers[challenge["token"]] = challenge["token"] + "." + thumbprint(key.jwk)
            self.assertStatus(self.post(challenge["url"], key, {}, kid=kid), 200)
            harness.wait_until(
                lambda: self.post(authz_url, key, None, kid=kid).body["status"] == "valid", 30,
                message="the authorization valid")
        harness.wait_until(lambda: self.post(order_url, key, None, kid=kid).body["status"] ==
                           "ready", 30, message="the order ready")
        return order_url, order

    def test_kill_9_at_each_step_of_an_acme_finalize(self):
        key = Key()
        r = self.post(self.directory["newAccount"], key, {"termsOfServiceAgreed": True})
        self.assertStatus(r, 201)
        kid = r.headers["Location"]
        for point in ("acme.finalized",) + CA_AND_ORDER_STEPS:
            with self.subTest(point=point):
                name = point.replace(".", "-").replace("_", "-") + ".acme.insecure.test"
                order_url, order = self.ready_order(key, kid, name)
                order_id = order_url.rsplit("/", 1)[-1]
                self.restart(crash_at=point)
                self.connect()
                try:
                    self.post(order["finalize"], key, {"csr": b64(csr_der([name]))}, kid=kid)
                except OSError:
                    pass  # died while answering: the client polls the order, as certbot does
                self.assertDiesAtCrashPoint(point)
                self.restart()
                self.connect()
                done = harness.wait_until(
                    lambda: (lambda o: o if o["status"] == "valid" else None)(
                        self.post(order_url, key, None, kid=kid).body), 60,
                    interval=0.2, message=f"the order valid after the crash at {point}")
                chain = self.post(done["certificate"], key, None, kid=kid)
                self.assertStatus(chain, 200)
                self.assertExactlyOneCertificate(order_id)


harness.make_backend_tests(globals(), RestOrderCrashes, AcmeOrderCrashes, TermCrashes)

if __name__ == "__main__":
    harness.main()
