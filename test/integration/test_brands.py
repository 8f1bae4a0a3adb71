"""Brands issued by an upstream public CA over ACME (issue 18, docs/BRANDS.md), with Debian's
pebble as the upstream: the applicant's journey is Signet's own (order, application,
validation instructions, download); Signet is pebble's ACME client. Each certificate verifies
against pebble's root with `openssl verify`."""

import datetime
import json
import os
import ssl
import subprocess

import harness
import upstream_servers
from test_orders import ADMIN, OrderFixture


class Brands(OrderFixture):
    def start(self, eab=None, product_upstream=None, pebble_http_port=None):
        tmp = self.temp_dir()
        self.pebble = upstream_servers.Pebble(os.path.join(tmp, "pebble"))
        self.addCleanup(self.pebble.stop)
        upstream = {"acme_directory": self.pebble.directory_url,
                    "ca_file": self.pebble.ca_file, "contact": "ops@example.com"}
        upstream.update(product_upstream or {})
        catalog = os.path.join(tmp, "products.json")
        with open(catalog, "w") as f:
            json.dump({"products": [
                {"id": "pebble-dv", "name": "Pebble DV", "type": "dv", "coverage": "single",
                 "upstream": upstream}]}, f)
        self.start_world(web=True, extra={"upstream.allow_private_addresses": "true",
                                          "products.file": catalog})
        # pebble validates against the test's DNS (Knot) and web server.
        self.pebble.start(self.dns.address, pebble_http_port or self.web.http_port, eab=eab)

    def brand_order(self, name, method):
        return self.order("pebble-dv", {
            "domains": [name], "key": {"generate": {"algorithm": "ecdsa-p256"}},
            "administrator": ADMIN, "validation_method": method}, submit=True)

    def validations(self, order):
        return harness.wait_until(
            lambda: (lambda o: o["validations"] or None)(self.get(order)), 30, interval=0.2,
            message="the upstream's challenges to show as validations")

    def issue_by_dns_txt(self, name):
        """An order of the brand for `name` by dns_txt, its records published and checked, once
        issued."""
        order = self.brand_order(name, "dns_txt")
        for v in self.validations(order):
            self.publish_txt(v)
        self.assertStatus(self.api.post(f"/api/v1/orders/{order['id']}/validations/check"), 200)
        return self.wait_status(order, "issued", timeout=90)

    def failed_upstream(self, order):
        """The order once the upstream refused it, and its upstream.failed event."""
        failed = harness.wait_until(
            lambda: (lambda o: o if o["progress"]["dcv"] == "failed" else None)(self.get(order)),
            60, interval=0.2, message="the order to fail")
        (event,) = [e for e in failed["timeline"] if e["event"] == "upstream.failed"]
        return failed, event

    def verify_with_pebble_root(self, certificate_id):
        d = self.temp_dir()
        paths = {n: os.path.join(d, n) for n in ("root.pem", "leaf.pem", "chain.pem")}
        for name, form in (("leaf.pem", "pem"), ("chain.pem", "chain")):
            r = self.api.get(f"/api/v1/certificates/{certificate_id}/download?format={form}")
            self.assertStatus(r, 200)
            with open(paths[name], "wb") as f:
                f.write(r.raw)
        with open(paths["root.pem"], "w") as f:
            f.write(self.pebble.root_pem())
        out = subprocess.run(["openssl", "verify", "-CAfile", paths["root.pem"], "-untrusted",
                              paths["chain.pem"], paths["leaf.pem"]],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.assertEqual(out.returncode, 0, out.stdout)
        self.assertIn(": OK", out.stdout)

    def test_dns_txt_order_is_issued_by_the_upstream(self):
        self.start()
        # An ACME CA has no email validation.
        r = self.api.put(f"/api/v1/orders/{self.order('pebble-dv')['id']}/application",
                         {"domains": ["www.insecure.test"], "validation_method": "email"})
        self.assertProblem(r, 422, "method_not_allowed")
        (product,) = self.api.get("/api/v1/products").body["items"]
        self.assertEqual(product["upstream"], {"acme_directory": self.pebble.directory_url,
                                               "profile": "", "external_account_binding": False})
        admin = self.server.client(self.server.initial_admin()["api_key"])
        self.assertStatus(self.api.get("/api/v1/upstreams"), 403)
        (health,) = admin.get("/api/v1/upstreams").body["items"]
        self.assertTrue(health["reachable"], health)
        self.assertEqual(health["products"], ["pebble-dv"])
        self.assertTrue(health["account_url"].startswith("https://127.0.0.1:"), health)
        order = self.brand_order("www.insecure.test", "dns_txt")
        self.assertEqual(order["status"], "processing")
        # www.x covers x too (the product's rule): the upstream asks for both.
        found = self.validations(order)
        self.assertEqual(sorted(v["instructions"]["record_name"] for v in found),
                         ["_acme-challenge.insecure.test", "_acme-challenge.www.insecure.test"])
        for v in found:
            self.assertEqual(v["method"], "dns_txt")
            self.publish_txt(v)
        r = self.api.post(f"/api/v1/orders/{order['id']}/validations/check")
        self.assertStatus(r, 200)
        issued = self.wait_status(order, "issued", timeout=90)
        self.assertIn("upstream.challenge_answered", self.events(order))
        r = self.api.get(f"/api/v1/certificates/{issued['certificate_id']}")
        self.assertStatus(r, 200)
        cert = r.body
        self.assertEqual(cert["source"], "upstream")
        self.assertIn("Pebble", cert["issuer"])
        self.verify_with_pebble_root(cert["id"])
        self.assertEqual(self.pebble.status_of(cert["serial"])["Status"], "Valid")

        # Revocation goes to the upstream, with the reason; Signet's own CRL does not list it.
        r = self.api.post(f"/api/v1/certificates/{cert['id']}/revoke", {"reason": "superseded"})
        self.assertStatus(r, 200)
        self.assertEqual(r.body["status"], "revoked")
        self.assertEqual(r.body["revocation_reason"], "superseded")
        status = self.pebble.status_of(cert["serial"])
        self.assertEqual(status["Status"], "Revoked", status)
        self.assertStatus(self.api.post(f"/api/v1/certificates/{cert['id']}/revoke",
                                        {"reason": "superseded"}), 200)
        self.assertEqual(self.sql(self.server, "SELECT count(*) FROM certificates WHERE"
                                               f" serial_hex = '{cert['serial']}'").strip(), "0")

    def test_file_order_is_issued_by_the_upstream_over_http_01(self):
        self.start()
        self.dns.set_records("insecure.test", "A", ["127.0.0.1"])
        order = self.brand_order("www.insecure.test", "file")
        found = self.validations(order)
        self.assertEqual(len(found), 2)
        for v in found:
            path = v["instructions"]["path"]
            self.assertTrue(path.startswith("/.well-known/acme-challenge/"), v)
            self.web.put(path, v["instructions"]["content"].encode())
        self.assertStatus(self.api.post(f"/api/v1/orders/{order['id']}/validations/check"), 200)
        issued = self.wait_status(order, "issued", timeout=90)
        self.verify_with_pebble_root(issued["certificate_id"])

    def test_dns_cname_order_needs_no_applicant_action(self):
        """The applicant delegated _acme-challenge once (a CNAME into Signet's zone); an order
        by dns_cname is then validated and issued with nobody acting: Signet publishes the
        upstream's TXT values itself (RFC 2136).

        pebble asks the test's Knot without recursion, and Knot follows a CNAME only within one
        zone, so here Signet's delegation zone is insecure.test itself (with a key that may
        update it); a real upstream uses a recursive resolver and any zone works."""
        self.start()
        secret = os.path.join(self.temp_dir(), "delegation-key.secret")
        with open(secret, "w") as f:
            f.write(self.dns.applicant_key.secret + "\n")
        self.server.stop()
        again = self.new_signetd(data_dir=self.server.data_dir, settings=dict(
            self.server.settings, **{"validation.cname_zone": "insecure.test",
                                     "validation.cname_key_name": self.dns.applicant_key.name,
                                     "validation.cname_key_secret_file": secret}))
        again.start()
        self.server, self.api = again, again.client(self.api.key)
        for name in ("www.insecure.test", "insecure.test"):
            r = self.api.post("/api/v1/domain-validations", {"domain": name,
                                                             "method": "dns_cname"})
            self.assertStatus(r, 201)
            self.dns.set_records(f"_acme-challenge.{name}", "CNAME",
                                 [r.body["instructions"]["target"] + "."])
        order = self.brand_order("www.insecure.test", "dns_cname")
        issued = self.wait_status(order, "issued", timeout=60)
        self.verify_with_pebble_root(issued["certificate_id"])

        # Renewal at two thirds of the lifetime (pebble offers no ARI), with nobody acting.
        first = self.api.get(f"/api/v1/certificates/{issued['certificate_id']}").body
        start, end = (datetime.datetime.fromisoformat(first[k].replace("Z", "+00:00"))
                      for k in ("not_before", "not_after"))
        now = datetime.datetime.now(datetime.timezone.utc)
        offset = start + (end - start) * 2 / 3 + datetime.timedelta(hours=1) - now
        self.server.stop()
        later = self.new_signetd(data_dir=self.server.data_dir, settings=dict(
            self.server.settings, **{"clock.offset_seconds": str(int(offset.total_seconds())),
                                     "scheduler.interval_seconds": "1"}))
        later.start()
        self.server, self.api = later, later.client(self.api.key)
        self.api.context = ssl._create_unverified_context()  # noqa: SLF001

        def renewal():
            orders = self.api.get("/api/v1/orders").body["items"]
            done = [o for o in orders if o.get("continues_certificate_id") == first["id"]
                    and o["status"] == "issued"]
            return done[0] if done else None

        successor = harness.wait_until(renewal, 90, interval=0.5, message="the renewal")
        self.assertNotEqual(successor["certificate_id"], first["id"])
        self.assertIn("upstream.renewal", self.events(successor))
        self.verify_with_pebble_root(successor["certificate_id"])

    def test_an_upstream_requiring_eab_gets_it_from_the_catalog(self):
        """pebble requiring external account binding: the catalog's eab_kid and key file make
        Signet's account there; a wrong key leaves orders failed with the upstream's reason."""
        key = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W"
        key_file = os.path.join(self.temp_dir(), "eab.key")
        with open(key_file, "w") as f:
            f.write(key + "\n")
        self.start(eab={"kid-1": key},
                   product_upstream={"eab_kid": "kid-1", "eab_hmac_key_file": key_file})
        issued = self.issue_by_dns_txt("www.insecure.test")
        self.verify_with_pebble_root(issued["certificate_id"])

    def test_a_wrong_eab_key_fails_the_order_with_the_upstreams_reason(self):
        key_file = os.path.join(self.temp_dir(), "eab.key")
        with open(key_file, "w") as f:
            f.write("b10lLJs8l1GPIzsLP0s6pMt8O0XVGnfTaCeROxQM0BIt2XrJMDHJZBM5NuQmQJQH\n")
        self.start(eab={"kid-1": "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W"},
                   product_upstream={"eab_kid": "kid-1", "eab_hmac_key_file": key_file})
        order = self.brand_order("www.insecure.test", "dns_txt")
        failed, event = self.failed_upstream(order)
        self.assertIn("the upstream CA refused", event["detail"])
        self.assertEqual(failed["validations"], [])
        # Nothing half-written: no account was stored for the refused binding.
        self.assertEqual(self.sql(self.server, "SELECT count(*) FROM upstream_accounts").strip(),
                         "0")

    def test_a_challenge_the_upstream_refuses_fails_the_order_with_its_reason(self):
        """Signet sees the file, the upstream cannot (here: it looks on another port): the
        upstream's verdict decides, and the order says why."""
        import dcv_servers
        self.start(pebble_http_port=dcv_servers.free_port())
        self.dns.set_records("insecure.test", "A", ["127.0.0.1"])
        order = self.brand_order("www.insecure.test", "file")
        for v in self.validations(order):
            self.web.put(v["instructions"]["path"], v["instructions"]["content"].encode())
        self.assertStatus(self.api.post(f"/api/v1/orders/{order['id']}/validations/check"), 200)
        failed, event = self.failed_upstream(order)
        self.assertRegex(event["detail"], "insecure.test: .*(connect|refused)")
        self.assertEqual(failed["status"], "processing")
        self.assertIsNone(failed["certificate_id"])

    def test_an_upstream_that_is_down_leaves_the_order_waiting_with_the_reason(self):
        import dcv_servers
        closed = dcv_servers.free_port()
        self.start(product_upstream={"acme_directory": f"https://127.0.0.1:{closed}/dir"})
        order = self.brand_order("www.insecure.test", "dns_txt")
        waiting = harness.wait_until(
            lambda: (lambda o: o if "upstream.unavailable" in [e["event"] for e in o["timeline"]]
                     else None)(self.get(order)), 30, interval=0.2,
            message="the outage to show on the order")
        (event, *_) = [e for e in waiting["timeline"] if e["event"] == "upstream.unavailable"]
        self.assertIn(f"127.0.0.1:{closed}", event["detail"])
        self.assertIn("could not be reached", event["detail"])
        self.assertEqual(waiting["status"], "processing")
        self.assertEqual(waiting["progress"]["dcv"], "pending")
        self.assertEqual(waiting["validations"], [])
        self.assertEqual(self.sql(self.server, "SELECT count(*) FROM upstream_accounts").strip(),
                         "0")
        admin = self.server.client(self.server.initial_admin()["api_key"])
        (health,) = admin.get("/api/v1/upstreams").body["items"]
        self.assertFalse(health["reachable"])
        self.assertIn("could not be reached", health["error"])

    def test_dns_auto_order_publishes_into_the_applicants_zone(self):
        """dns_auto: Signet publishes the upstream's TXT values into the applicant's own zone
        with the applicant's TSIG key (RFC 2136); nobody acts after submitting."""
        self.start()
        key = self.dns.applicant_key
        order = self.order("pebble-dv", {
            "domains": ["www.insecure.test"], "key": {"generate": {"algorithm": "ecdsa-p256"}},
            "administrator": ADMIN, "validation_method": "dns_auto",
            "dns_auto": {"server": self.dns.address, "zone": "insecure.test",
                         "key_name": key.name, "algorithm": "hmac-sha256",
                         "secret": key.secret}}, submit=True)
        issued = self.wait_status(order, "issued", timeout=90)
        self.verify_with_pebble_root(issued["certificate_id"])

    def test_a_renewal_window_from_the_upstream_drives_renewal_with_replaces(self):
        """ARI (RFC 9773) needs a CA that offers it, which Debian's pebble 2.4 does not; here the
        upstream is a second signetd, whose ACME server offers renewalInfo and records
        `replaces`. Its operator opens a renewal window for the certificate; Signet renews at
        once and its new order names the predecessor."""
        self.start()
        # Its own database (SQLite in its data directory): another CA, not a second node.
        upstream = self.start_signetd(database_url=None, settings={
            "validation.dns_resolvers": self.dns.address,
            "validation.dns_trust_anchors": self.anchors,
            "names.internal_suffixes": "test",
            "validation.allow_private_addresses": "true",
            "validation.timeout_ms": "5000",
            "jobs.poll_interval_ms": "100"})
        catalog = os.path.join(self.temp_dir(), "products.json")
        with open(catalog, "w") as f:
            json.dump({"products": [
                {"id": "pebble-dv", "name": "Signet upstream DV", "type": "dv",
                 "coverage": "single",
                 "upstream": {"acme_directory": upstream.url + "/acme/directory",
                              "ca_file": upstream.ca_file}}]}, f)
        self.server.stop()
        again = self.new_signetd(data_dir=self.server.data_dir, settings=dict(
            self.server.settings, **{"products.file": catalog,
                                     "scheduler.interval_seconds": "1"}))
        again.start()
        self.server, self.api = again, again.client(self.api.key)
        self.api.context.check_hostname = True

        order = self.brand_order("www.insecure.test", "dns_txt")
        for v in self.validations(order):
            self.publish_txt(v)
        self.assertStatus(self.api.post(f"/api/v1/orders/{order['id']}/validations/check"), 200)
        issued = self.wait_status(order, "issued", timeout=90)
        first = self.api.get(f"/api/v1/certificates/{issued['certificate_id']}").body
        self.assertEqual(first["source"], "upstream")
        # Not due yet: two thirds of 90-odd days away, and no window is open.
        self.assertFalse([o for o in self.api.get("/api/v1/orders").body["items"]
                          if o.get("continues_certificate_id") == first["id"]])

        now = datetime.datetime.now(datetime.timezone.utc)
        stamp = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
        operator = upstream.client(upstream.initial_admin()["api_key"])
        r = operator.put(f"/api/v1/certificates/{first['serial']}/renewal-window",
                          {"start": stamp(now - datetime.timedelta(hours=1)),
                           "end": stamp(now + datetime.timedelta(hours=1))})
        self.assertStatus(r, 200)

        def renewal():
            orders = self.api.get("/api/v1/orders").body["items"]
            found = [o for o in orders if o.get("continues_certificate_id") == first["id"]]
            return found[0] if found else None

        successor = harness.wait_until(renewal, 60, interval=0.5, message="the renewal order")
        harness.wait_until(lambda: [e for e in self.get(successor)["timeline"]
                                    if e["event"] == "upstream.ordered"], 30, interval=0.2,
                           message="the renewal placed upstream")
        ordered = [e for e in self.get(successor)["timeline"] if e["event"] == "upstream.ordered"]
        self.assertIn("replacing ", ordered[0]["detail"])
        replacing = subprocess.run(
            ["sqlite3", os.path.join(upstream.data_dir, "signet.db"),
             f"SELECT count(*) FROM acme_orders WHERE replaces_serial = '{first['serial']}'"],
            stdout=subprocess.PIPE, text=True, check=True).stdout.strip()
        self.assertEqual(replacing, "1")

        # The upstream reuses its valid authorizations (its rule), or asks again: either way the
        # successor is issued, in the same lineage.
        def issued_successor():
            o = self.get(successor)
            pending = [v for v in o["validations"] if v["status"] == "pending"]
            if pending:
                for v in pending:
                    self.publish_txt(v)
                self.api.post(f"/api/v1/orders/{o['id']}/validations/check")
            return o if o["status"] == "issued" else None

        second = harness.wait_until(issued_successor, 90, interval=0.5, message="the successor")
        self.assertNotEqual(second["certificate_id"], first["id"])

    def test_an_applicant_gives_its_own_eab_for_a_ca_that_binds_each_customer(self):
        key = "b10lLJs8l1GPIzsLP0s6pMt8O0XVGnfTaCeROxQM0BIt2XrJMDHJZBM5NuQmQJQH"
        self.start(eab={"kid-2": key})
        # Without one: the CA wants a binding, and the order says where to give it.
        order = self.brand_order("www.insecure.test", "dns_txt")
        failed, event = self.failed_upstream(order)
        self.assertIn("/api/v1/upstream-eab/", event["detail"])

        self.assertProblem(self.api.put("/api/v1/upstream-eab/pebble-dv",
                                        {"eab_kid": "kid-2", "eab_hmac_key": "not base64!"}),
                           400, "invalid_field")
        r = self.api.put("/api/v1/upstream-eab/pebble-dv", {"eab_kid": "kid-2",
                                                           "eab_hmac_key": key})
        self.assertStatus(r, 200)
        (listed,) = self.api.get("/api/v1/upstream-eab").body["items"]
        self.assertEqual((listed["product"], listed["eab_kid"]), ("pebble-dv", "kid-2"))
        self.assertNotIn(key, json.dumps(listed))
        issued = self.issue_by_dns_txt("www.insecure.test")
        self.verify_with_pebble_root(issued["certificate_id"])
        # The key is sealed at rest: not in a dump of the database.
        self.assertNotIn(key, self.dump_database(self.server))

    def test_the_applicants_own_csr_goes_to_the_upstreams_finalize(self):
        """The applicant keeps its key: its CSR is what the upstream signs (the certificate's key
        is the CSR's), and Signet holds no key for it."""
        self.start()
        self.dns.set_records("api.insecure.test", "A", ["127.0.0.1"])
        key = os.path.join(self.temp_dir(), "k.pem")
        csr = subprocess.run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt",
                              "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-subj",
                              "/CN=api.insecure.test", "-addext",
                              "subjectAltName=DNS:api.insecure.test"], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, check=True).stdout.decode()
        order = self.order("pebble-dv", {"domains": ["api.insecure.test"], "key": {"csr": csr},
                                         "administrator": ADMIN, "validation_method": "dns_txt"},
                           submit=True)
        for v in self.validations(order):
            self.publish_txt(v)
        self.assertStatus(self.api.post(f"/api/v1/orders/{order['id']}/validations/check"), 200)
        issued = self.wait_status(order, "issued", timeout=90)
        self.verify_with_pebble_root(issued["certificate_id"])
        pem = self.api.get(f"/api/v1/certificates/{issued['certificate_id']}/download?format=pem")
        spki = lambda args, data: subprocess.run(  # noqa: E731
            args, input=data, stdout=subprocess.PIPE, check=True).stdout
        from_cert = spki(["openssl", "x509", "-noout", "-pubkey"], pem.raw)
        with open(key, "rb") as f:
            from_key = spki(["openssl", "pkey", "-pubout"], f.read())
        self.assertEqual(from_cert, from_key)
        cert = self.api.get(f"/api/v1/certificates/{issued['certificate_id']}").body
        self.assertFalse(cert["private_key_held"], cert)


harness.make_backend_tests(globals(), Brands)

if __name__ == "__main__":
    harness.main()
