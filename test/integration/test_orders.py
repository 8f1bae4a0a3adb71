"""The applicant's and reviewer's journey through the REST API, against the real signetd with
real DNS (Knot) for validation and a real SMTP server for the emails: DV single-domain from
purchase to download, DV wildcard + root, OV multi-domain rejected then approved, EV refused for
a free-mail administrator, cancellation, notifications through an SMTP outage and a signed
webhook, and many orders submitted at once."""

import base64
import hashlib
import hmac
import http.server
import io
import json
import os
import ssl
import subprocess
import threading
import zipfile

import dcv_servers
import harness
from test_domain_validation import DcvFixture

ADMIN = {"name": "Li Lei", "position": "IT manager", "phone": "+86 10 1234 5678",
         "email": "lilei@example.com"}
ORG = {"name": "Example Trading Co., Ltd.", "country": "cn", "province": "Beijing",
       "city": "Beijing", "address": "1 Example Road", "phone": "+86 10 8765 4321"}
LETTER = (b"%PDF-1.4\n1 0 obj << /Title (Confirmation letter of Example Trading Co., Ltd.) >>\n"
          b"endobj\ntrailer << /Info 1 0 R >>\n%%EOF\n")


def openssl(*args, input=None):
    return subprocess.run(["openssl", *args], input=input, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, check=False)


class OrderFixture(DcvFixture):
    def order(self, product, application=None, submit=False, expect=200):
        r = self.api.post("/api/v1/orders", {"product": product})
        self.assertStatus(r, 201)
        self.assertEqual(r.body["status"], "pending_information")
        order = r.body
        if application is not None:
            r = self.api.put(f"/api/v1/orders/{order['id']}/application", application)
            self.assertStatus(r, expect)
            order = r.body
        if submit:
            order = self.submit(order)
        return order

    def submit(self, order):
        r = self.api.post(f"/api/v1/orders/{order['id']}/submit")
        self.assertStatus(r, 200)
        self.assertEqual(r.body["status"], "processing", r.body)
        return r.body

    def get(self, order):
        r = self.api.get(f"/api/v1/orders/{order['id']}")
        self.assertStatus(r, 200)
        return r.body

    def publish_all(self, order):
        for v in order["validations"]:
            if v["status"] == "pending":
                self.publish_txt(v)

    def wait_status(self, order, status, timeout=60):
        return harness.wait_until(
            lambda: (lambda o: o if o["status"] == status else None)(self.get(order)), timeout,
            interval=0.2, message=f"order {order['id']} to be {status}")

    def reviewer(self):
        self.server.create_user("reviewer@ca.example", "reviewer", password=None)
        return self.server.client(self.server.create_api_key("reviewer@ca.example"))

    def events(self, order):
        return [e["event"] for e in self.get(order)["timeline"]]


class DvJourney(OrderFixture):
    def test_dv_single_domain_from_purchase_to_download(self):
        self.start_world(web=False)
        products = self.api.get("/api/v1/products").body["items"]
        self.assertIn("dv-single", [p["id"] for p in products])
        order = self.order("dv-single", {"domains": ["WWW.Shop.Insecure.Test"]})
        self.assertEqual(order["application"]["domains"], ["www.shop.insecure.test"])
        r = self.api.post(f"/api/v1/orders/{order['id']}/submit")
        self.assertProblem(r, 400, "incomplete_application")
        self.assertIn("key", r.body["detail"])
        self.assertIn("administrator", r.body["detail"])

        order = self.order("dv-single", {
            "domains": ["www.shop.insecure.test"],
            "key": {"generate": {"algorithm": "ecdsa-p256"}},
            "applicant_type": "individual", "administrator": ADMIN,
            "contact": "same_as_administrator", "validation_method": "dns_txt"})
        order = self.submit(order)
        self.assertEqual(order["progress"], {"dcv": "pending", "review": "not_required"})
        self.assertEqual(order["sub_status"], "PENDING-DCV")
        # www.shop covers shop too: both names, and one record proves both (BR 3.2.2.4.7), given
        # as DNS consoles ask for it: the host record within the registered domain.
        self.assertEqual(order["names"], ["www.shop.insecure.test", "shop.insecure.test"])
        self.assertEqual([v["for"] for v in order["validations"]], ["shop.insecure.test"])
        only = order["validations"][0]
        self.assertEqual(sorted(only["covers"]), ["shop.insecure.test", "www.shop.insecure.test"])
        self.assertEqual(only["instructions"]["record_name"], "_dnsauth.shop.insecure.test")
        self.assertEqual(only["instructions"]["host_record"], "_dnsauth.shop")
        self.assertEqual(only["instructions"]["registered_domain"], "insecure.test")
        self.assertStatus(self.api.put(f"/api/v1/orders/{order['id']}/application",
                                       {"domains": ["other.insecure.test"]}), 409)
        self.publish_all(order)
        r = self.api.post(f"/api/v1/orders/{order['id']}/validations/check")
        self.assertStatus(r, 200)
        order = self.wait_status(order, "issued")
        self.assertEqual(order["progress"]["dcv"], "valid")
        events = self.events(order)
        for e in ["created", "application.saved", "submitted", "dcv.valid", "issued"]:
            self.assertIn(e, events)

        cert = self.api.get(f"/api/v1/certificates/{order['certificate_id']}").body
        self.assertEqual(sorted(cert["names"]), ["shop.insecure.test", "www.shop.insecure.test"])
        self.assertTrue(cert["private_key_held"])
        r = self.api.get(f"/api/v1/certificates/{order['certificate_id']}/download?format=nginx")
        self.assertStatus(r, 200)
        files = zipfile.ZipFile(io.BytesIO(r.raw))
        crt = next(n for n in files.namelist() if n.endswith(".crt"))
        key = next(n for n in files.namelist() if n.endswith(".key"))
        tmp = self.temp_dir()
        files.extractall(tmp)
        verify = openssl("verify", "-CAfile", self.server.ca_file, "-untrusted",
                         os.path.join(tmp, crt), os.path.join(tmp, crt))
        self.assertEqual(verify.returncode, 0, verify.stdout)
        cert_pub = openssl("x509", "-in", os.path.join(tmp, crt), "-noout", "-pubkey").stdout
        key_pub = openssl("pkey", "-in", os.path.join(tmp, key), "-pubout").stdout
        self.assertEqual(cert_pub, key_pub, "the bundle's key is the certificate's")
        text = openssl("x509", "-in", os.path.join(tmp, crt), "-noout", "-text").stdout.decode()
        self.assertIn("2.23.140.1.2.1", text)  # the DV policy

        # The emails: submitted, then issued, to the administrator.
        self.smtp.wait_for(lambda m: "submitted" in m["Subject"].lower(), timeout=30)
        issued = self.smtp.wait_for(lambda m: "issued" in m["Subject"].lower(), timeout=30)
        self.assertEqual(issued["To"], ADMIN["email"])
        self.assertIn(order["certificate_id"], issued.get_content())

        # Cancel after issuance is refused; another account cannot see any of it.
        self.assertProblem(self.api.post(f"/api/v1/orders/{order['id']}/cancel"), 409,
                           "already_issued")
        other = self.server.client(self.server.create_owner("x@example.org", "x"))
        self.assertStatus(other.get(f"/api/v1/orders/{order['id']}"), 404)
        self.assertStatus(other.get(f"/api/v1/certificates/{order['certificate_id']}"), 404)
        self.assertStatus(other.get(
            f"/api/v1/certificates/{order['certificate_id']}/download?format=nginx"), 404)

    def test_dv_wildcard_and_root_by_dns(self):
        self.start_world(web=False)
        order = self.order("dv-wildcard", {
            "domains": ["*.wild.insecure.test"], "key": {"generate": {"algorithm": "rsa-2048"}},
            "administrator": ADMIN, "validation_method": "dns_txt"}, submit=True)
        self.assertEqual(order["names"], ["*.wild.insecure.test", "wild.insecure.test"])
        self.assertEqual(len(order["validations"]), 1)  # one record proves both
        self.assertEqual(order["validations"][0]["instructions"]["record_name"],
                         "_dnsauth.wild.insecure.test")
        self.publish_all(order)
        order = self.wait_status(order, "issued")
        cert = self.api.get(f"/api/v1/certificates/{order['certificate_id']}").body
        self.assertEqual(sorted(cert["names"]), ["*.wild.insecure.test", "wild.insecure.test"])

    def test_caa_checked_at_validation_stands_for_8_hours_then_is_checked_again(self):
        """BR 3.2.2.8: the CAA check made when a name was validated stands for 8 hours. An order
        issued later from the reused validation looks again, and a record naming another CA then
        keeps it from issuing."""
        self.start_world(web=False, smtp=False)
        fresh, stale = "caa-fresh.insecure.test", "caa-stale.insecure.test"
        for name in (fresh, stale):
            v = self.create(name, "dns_txt")
            self.publish_txt(v)
            harness.wait_until(lambda: self.check(v)["status"] == "valid", 30,
                               message=f"{name} validated")
            self.dns.set_records(name, "CAA", ['0 issue "other-ca.example"'])

        def application(name):
            return {"domains": [name], "key": {"generate": {"algorithm": "ecdsa-p256"}},
                    "administrator": ADMIN, "validation_method": "dns_txt"}

        order = self.order("dv-single", application(fresh), submit=True)
        self.wait_status(order, "issued")
        self.assertNotIn("caa.refused", self.events(order))

        self.server.stop()
        moved = self.new_signetd(data_dir=self.server.data_dir, settings=dict(
            self.server.settings, **{"clock.offset_seconds": str(9 * 3600)}))
        moved.start()
        self.server = moved
        self.api = moved.client(self.api.key)
        order = self.order("dv-single", application(stale), submit=True)
        harness.wait_until(lambda: "caa.refused" in self.events(order), 30, interval=0.2,
                           message="CAA refused at issuance")
        self.assertEqual(self.get(order)["status"], "processing")
        self.assertIsNone(self.get(order)["certificate_id"])

    def test_domain_rules_and_cancel(self):
        self.start_world(web=False, smtp=False)
        r = self.api.post("/api/v1/orders", {"product": "nope"})
        self.assertProblem(r, 400, "unknown_product")
        for product, domains, status, code in [
                ("dv-mixed", ["*.a.insecure.test", "b.insecure.test"], 422, "wildcard_first"),
                ("dv-multi", ["a.insecure.test", "a.insecure.test"], 422, "duplicate_domain"),
                ("dv-multi", ["*.a.insecure.test"], 422, "domain_allowance"),
                ("dv-single", ["a.insecure.test", "b.insecure.test"], 422, "domain_allowance"),
                ("dv-multi", [f"n{i}.insecure.test" for i in range(6)], 422, "domain_allowance"),
                ("dv-single", ["*.*.insecure.test"], 422, "invalid_wildcard")]:
            order = self.order(product)
            r = self.api.put(f"/api/v1/orders/{order['id']}/application", {"domains": domains})
            self.assertProblem(r, status, code)
            self.assertTrue(r.body["detail"])
        order = self.order("ov-single")
        r = self.api.put(f"/api/v1/orders/{order['id']}/application",
                         {"applicant_type": "individual"})
        self.assertProblem(r, 403, "individual_not_allowed")
        r = self.api.put(f"/api/v1/orders/{order['id']}/application",
                         {"administrator": dict(ADMIN, phone="call me")})
        self.assertProblem(r, 400, "invalid_field")
        self.assertIn("administrator.phone", r.body["detail"])

        # Cancel before issuance, from processing.
        order = self.order("dv-single", {"domains": ["c.insecure.test"],
                                         "key": {"generate": {"algorithm": "ecdsa-p256"}},
                                         "administrator": ADMIN}, submit=True)
        r = self.api.post(f"/api/v1/orders/{order['id']}/cancel")
        self.assertStatus(r, 200)
        self.assertEqual(r.body["status"], "cancelled")
        self.publish_all(order)
        self.assertProblem(self.api.post(f"/api/v1/orders/{order['id']}/cancel"), 409,
                           "cancelled")
        self.assertIn("cancelled", self.events(order))
        self.assertIsNone(self.get(order)["certificate_id"])

    def test_merge_follows_the_seed_rules(self):
        self.start_world(web=False, smtp=False)
        # Two wildcard orders and a 5-name multi-domain order of one brand and term.
        ids = [self.order(p)["id"] for p in ("dv-wildcard", "dv-wildcard", "dv-multi")]
        used = self.order("dv-single", {"domains": ["u.insecure.test"]})
        r = self.api.post("/api/v1/orders/merge", {"order_ids": [ids[0], used["id"]]})
        self.assertProblem(r, 409, "order_used")
        ov = self.order("ov-single")
        r = self.api.post("/api/v1/orders/merge", {"order_ids": [ids[0], ov["id"]]})
        self.assertProblem(r, 409, "not_mergeable")
        self.assertProblem(self.api.post("/api/v1/orders/merge", {"order_ids": [ids[0]]}), 400,
                           "invalid_field")
        r = self.api.post("/api/v1/orders/merge", {"order_ids": ids})
        self.assertStatus(r, 200)
        merged = r.body
        self.assertEqual(merged["id"], ids[0])
        self.assertEqual(merged["allowance"], {"common": 5, "wildcard": 2, "any": 0})
        for other in ids[1:]:
            closed = self.api.get(f"/api/v1/orders/{other}").body
            self.assertEqual(closed["status"], "cancelled")
            self.assertIn("merged", [e["event"] for e in closed["timeline"]])
        put = lambda domains: self.api.put(f"/api/v1/orders/{ids[0]}/application",  # noqa: E731
                                           {"domains": domains})
        self.assertProblem(put(["*.p.a.insecure.test", "a.insecure.test"]), 422,
                           "wildcard_first")
        self.assertProblem(put(["a.insecure.test", "*.p.a.insecure.test", "*.p.b.insecure.test",
                                "*.q.insecure.test"]), 422, "domain_allowance")
        r = put(["a.insecure.test", "b.insecure.test", "*.p.a.insecure.test",
                 "*.p.b.insecure.test"])
        self.assertStatus(r, 200)
        self.assertEqual(r.body["allowance"]["wildcard"], 2)

    def test_a_csr_order_issues_for_the_csr_key(self):
        self.start_world(web=False, smtp=False)
        tmp = self.temp_dir()
        key = os.path.join(tmp, "k.pem")
        csr = subprocess.run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt",
                              "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-subj",
                              "/CN=csr.insecure.test"], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, check=True).stdout.decode()
        bad = self.order("dv-single")
        r = self.api.put(f"/api/v1/orders/{bad['id']}/application",
                         {"domains": ["other.insecure.test"], "key": {"csr": csr}})
        self.assertProblem(r, 422, "csr_name_mismatch")
        order = self.order("dv-single", {"domains": ["csr.insecure.test"], "key": {"csr": csr},
                                         "administrator": ADMIN}, submit=True)
        self.publish_all(order)
        order = self.wait_status(order, "issued")
        cert = self.api.get(f"/api/v1/certificates/{order['certificate_id']}").body
        self.assertFalse(cert["private_key_held"])
        cert_pub = openssl("x509", "-noout", "-pubkey", input=cert["certificate"].encode()).stdout
        key_pub = openssl("pkey", "-in", key, "-pubout").stdout
        self.assertEqual(cert_pub, key_pub)
        r = self.api.get(f"/api/v1/certificates/{order['certificate_id']}/download?format=pkcs12")
        self.assertProblem(r, 409, "no_private_key")


class ReviewJourney(OrderFixture):
    def test_ov_multi_rejected_edited_resubmitted_approved(self):
        self.start_world(web=False)
        reviewer = self.reviewer()
        # Saved profiles: the organization and the administrator, reused by id.
        org = self.api.post("/api/v1/organizations", ORG)
        self.assertStatus(org, 201)
        admin = self.api.post("/api/v1/administrators", ADMIN)
        self.assertStatus(admin, 201)
        self.assertProblem(self.api.post("/api/v1/administrators", dict(ADMIN, email="nope")),
                           400, "invalid_field")
        other = self.server.client(self.server.create_owner("o@example.org", "o"))
        self.assertStatus(other.get(f"/api/v1/administrators/{admin.body['id']}"), 404)
        r = other.post("/api/v1/orders", {"product": "ov-single"})
        r = other.put(f"/api/v1/orders/{r.body['id']}/application",
                      {"administrator_id": admin.body["id"]})
        self.assertStatus(r, 404)
        order = self.order("ov-multi", {
            "domains": ["ov.insecure.test", "api.ov.insecure.test"],
            "key": {"generate": {"algorithm": "ecdsa-p256"}},
            "organization_id": org.body["id"], "administrator_id": admin.body["id"],
            "contact": "same_as_administrator"}, submit=True)
        self.assertEqual(order["application"]["administrator"]["email"], ADMIN["email"])
        self.assertEqual(order["application"]["organization"]["name"], ORG["name"])
        self.assertEqual(order["progress"]["review"], "pending_attachments")
        template = self.api.get(f"/api/v1/orders/{order['id']}/confirmation-letter-template")
        self.assertStatus(template, 200)
        self.assertIn(b"Example Trading Co., Ltd.", template.raw)
        self.assertIn(b"api.ov.insecure.test", template.raw)

        # Uploads are judged by content, and bounded.
        r = self.api.post(f"/api/v1/orders/{order['id']}/attachments?kind=confirmation_letter",
                          raw_body=b"hello, I am a letter", content_type="application/pdf")
        self.assertProblem(r, 400, "unsupported_file")
        r = self.api.post(f"/api/v1/orders/{order['id']}/attachments?kind=selfie",
                          raw_body=LETTER, content_type="application/pdf")
        self.assertProblem(r, 400, "invalid_field")
        r = self.api.post(f"/api/v1/orders/{order['id']}/attachments?kind=confirmation_letter",
                          raw_body=LETTER, content_type="application/pdf")
        self.assertStatus(r, 201)
        self.assertEqual(r.body["content_type"], "application/pdf")
        self.assertEqual(r.body["sha256"], hashlib.sha256(LETTER).hexdigest())

        order = self.get(order)
        self.assertEqual(order["progress"]["review"], "ca_reviewing")
        self.assertEqual(order["sub_status"], "PENDING-DCV")
        # During the CA review the administrator is asked to confirm.
        self.smtp.wait_for(lambda m: "confirm" in m["Subject"].lower(), timeout=30)

        queue = reviewer.get("/api/v1/review-queue").body["items"]
        self.assertIn(order["id"], [o["id"] for o in queue])
        self.assertStatus(self.api.get("/api/v1/review-queue"), 403)
        content = reviewer.get(f"/api/v1/orders/{order['id']}/attachments/"
                               f"{order['attachments'][0]['id']}")
        self.assertStatus(content, 200)
        self.assertEqual(content.raw, LETTER)
        self.assertProblem(reviewer.post(f"/api/v1/orders/{order['id']}/review",
                                         {"decision": "reject"}), 400, "missing_field")
        r = reviewer.post(f"/api/v1/orders/{order['id']}/review", {
            "decision": "reject",
            "reason": "The letter is not stamped; upload a stamped letter.",
            "checks": {"phone_confirmed": True}})
        self.assertStatus(r, 200)
        order = self.get(order)
        self.assertEqual(order["status"], "review_failed")
        self.assertEqual(order["review"]["reason"],
                         "The letter is not stamped; upload a stamped letter.")
        mail = self.smtp.wait_for(lambda m: "review failed" in m["Subject"].lower(), timeout=30)
        self.assertIn("not stamped", mail.get_content())

        # Edit the information (names stay), upload the new letter, resubmit.
        r = self.api.put(f"/api/v1/orders/{order['id']}/application",
                         {"domains": ["changed.insecure.test"]})
        self.assertProblem(r, 409, "not_editable")
        r = self.api.put(f"/api/v1/orders/{order['id']}/application", {
            "organization": dict(ORG, address="2 Example Road"), "administrator": ADMIN})
        self.assertStatus(r, 200)
        self.assertEqual(r.body["application"]["domains"],
                         ["ov.insecure.test", "api.ov.insecure.test"])
        r = self.api.post(f"/api/v1/orders/{order['id']}/attachments?kind=confirmation_letter",
                          raw_body=LETTER + b"% stamped\n", content_type="application/pdf")
        self.assertStatus(r, 201)
        r = self.api.post(f"/api/v1/orders/{order['id']}/resubmit")
        self.assertStatus(r, 200)
        self.assertEqual(r.body["progress"]["review"], "ca_reviewing")

        self.publish_all(self.get(order))
        self.api.post(f"/api/v1/orders/{order['id']}/validations/check")
        r = reviewer.post(f"/api/v1/orders/{order['id']}/review",
                          {"decision": "approve", "checks": {"phone_confirmed": True,
                                                             "email_confirmed": True}})
        self.assertStatus(r, 200)
        order = self.wait_status(order, "issued")
        events = self.events(order)
        for e in ["review.ca_reviewing", "review.rejected", "resubmitted", "review.approved",
                  "issued"]:
            self.assertIn(e, events)
        cert = self.api.get(f"/api/v1/certificates/{order['certificate_id']}").body
        subject = openssl("x509", "-noout", "-subject", "-nameopt", "RFC2253",
                          input=cert["certificate"].encode()).stdout.decode()
        self.assertIn("O=Example Trading Co.\\, Ltd.", subject)
        self.assertIn("C=CN", subject)
        self.smtp.wait_for(lambda m: "review passed" in m["Subject"].lower(), timeout=30)

    def test_ev_refused_for_a_free_mail_administrator(self):
        self.start_world(web=False, smtp=False)
        order = self.order("ev-single")
        r = self.api.put(f"/api/v1/orders/{order['id']}/application", {
            "domains": ["ev.insecure.test"], "organization": dict(ORG, registration_number="91110000"),
            "administrator": dict(ADMIN, email="lilei@qq.com")})
        self.assertProblem(r, 403, "free_email")
        self.assertIn("qq.com", r.body["detail"])
        self.assertIn("business email", r.body["detail"])
        r = self.api.put(f"/api/v1/orders/{order['id']}/application", {
            "domains": ["ev.insecure.test"], "organization": ORG, "administrator": ADMIN})
        self.assertProblem(r, 400, "missing_field")
        self.assertIn("registration_number", r.body["detail"])


class Notifications(OrderFixture):
    def test_mail_survives_an_smtp_outage_and_the_webhook_is_signed(self):
        received = []
        secret = "webhook-secret-0123456789"

        class Hook(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append((self.headers["X-Signet-Signature"], body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        hook = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
        threading.Thread(target=hook.serve_forever, daemon=True).start()
        self.addCleanup(hook.shutdown)
        tmp = self.temp_dir()
        secret_file = os.path.join(tmp, "hook.secret")
        with open(secret_file, "w") as f:
            f.write(secret + "\n")
        port = dcv_servers.free_port()
        self.start_world(web=False, smtp=False, extra={
            "smtp.url": f"smtp://127.0.0.1:{port}",
            "notify.webhook_url": f"http://127.0.0.1:{hook.server_address[1]}/hook",
            "notify.webhook_secret_file": secret_file})
        order = self.order("dv-single", {"domains": ["mail.insecure.test"],
                                         "key": {"generate": {"algorithm": "ecdsa-p256"}},
                                         "administrator": ADMIN}, submit=True)
        self.publish_all(order)
        self.wait_status(order, "issued")
        admin = self.server.client(self.server.initial_admin()["api_key"])
        harness.wait_until(lambda: any(j["kind"] == "notify.email" and j["attempts"] >= 1
                                       for j in admin.get("/api/v1/jobs").body["items"]),
                           30, interval=0.2, message="a failed attempt to send mail")
        sink = dcv_servers.SmtpSink(port=port)
        self.addCleanup(sink.stop)
        sink.wait_for(lambda m: "submitted" in m["Subject"].lower(), timeout=90)
        sink.wait_for(lambda m: "issued" in m["Subject"].lower(), timeout=90)

        harness.wait_until(lambda: any(b'"order.issued"' in b for _, b in received), 30,
                           interval=0.1, message="the webhook")
        for signature, body in received:
            t, v1 = (part.split("=", 1)[1] for part in signature.split(","))
            expected = hmac.new(secret.encode(), t.encode() + b"." + body,
                                hashlib.sha256).hexdigest()
            self.assertEqual(v1, expected)
            self.assertEqual(json.loads(body)["id"], order["id"])


class AccountChannels(OrderFixture):
    def test_channels_receive_the_account_notifications_and_webhooks_stay_public(self):
        self.start_world(web=False)
        channels = "/api/v1/notification-channels"
        r = self.api.post(channels, {"kind": "email", "target": "billing@example.com"})
        self.assertStatus(r, 201)
        self.assertNotIn("secret", r.body)
        r = self.api.post(channels, {"kind": "webhook", "target": "http://hooks.example.com/x"})
        self.assertProblem(r, 400, "invalid_field")
        self.assertIn("https://", r.body["detail"])
        self.assertProblem(self.api.post(channels, {"kind": "sms", "target": "+86 10 1234"}),
                           400, "invalid_field")
        # A webhook at this very signetd: reachable, but on a loopback address.
        hook = self.server.url + "/healthz"
        r = self.api.post(channels, {"kind": "webhook", "target": hook})
        self.assertStatus(r, 201)
        self.assertGreaterEqual(len(r.body["secret"]), 32)
        self.assertProblem(self.api.post(channels, {"kind": "webhook", "target": hook}), 409,
                           "already_exists")
        listed = self.api.get(channels).body["items"]
        self.assertEqual(sorted(c["kind"] for c in listed), ["email", "webhook"])
        self.assertTrue(all("secret" not in c for c in listed))
        other = self.server.client(self.server.create_owner("other@example.com", "other"))
        self.assertEqual(other.get(channels).body["items"], [])
        self.assertEqual(other.delete(f"{channels}/{listed[0]['id']}").status, 404)

        order = self.order("dv-single", {
            "domains": ["channels.insecure.test"], "key": {"generate": {"algorithm": "ecdsa-p256"}},
            "administrator": ADMIN, "validation_method": "dns_txt"}, submit=True)
        self.smtp.wait_for(lambda m: m["To"] == "billing@example.com" and
                           order["id"] in m["Subject"], timeout=30)
        # The webhook job never connects: the address is refused before any TLS is tried.
        admin = self.server.client(self.server.initial_admin()["api_key"])
        def webhook_error():
            jobs = admin.get("/api/v1/jobs").body["items"]
            errors = [j["last_error"] for j in jobs if j["kind"] == "notify.webhook"]
            return errors[0] if errors and errors[0] else None
        error = harness.wait_until(webhook_error, 30, interval=0.2, message="a webhook attempt")
        self.assertIn("connect", error.lower())
        self.assertNotIn("ssl", error.lower())

        # Removed: nothing more is queued for it.
        webhook = next(c for c in listed if c["kind"] == "webhook")
        self.assertEqual(self.api.delete(f"{channels}/{webhook['id']}").status, 204)
        self.assertEqual(len(self.api.get(channels).body["items"]), 1)


class Concurrency(OrderFixture):
    def test_many_orders_at_once_each_issued_once(self):
        self.start_world(web=False, smtp=False, extra={"jobs.threads": "2"})
        # Prove control of the parent once; every order below reuses it (BR 4.2.1).
        v = self.create("conc.insecure.test", "dns_txt")
        self.publish_txt(v)
        self.assertEqual(self.check(v)["status"], "valid")
        orders = [self.order("dv-single", {"domains": [f"n{i}.conc.insecure.test"],
                                           "key": {"generate": {"algorithm": "ecdsa-p256"}},
                                           "administrator": ADMIN}) for i in range(12)]
        results = [None] * len(orders)

        def submit(i):
            client = self.server.client(self.api.key)
            results[i] = client.post(f"/api/v1/orders/{orders[i]['id']}/submit")

        threads = [threading.Thread(target=submit, args=(i,)) for i in range(len(orders))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for r in results:
            self.assertStatus(r, 200)
        issued = [self.wait_status(o, "issued", timeout=120) for o in orders]
        serials = {o["certificate_id"] for o in issued}
        self.assertEqual(len(serials), len(orders))
        for o in issued:
            self.assertEqual(self.events(o).count("issued"), 1)
            self.assertEqual(o["validations"][0]["validation_id"], v["id"])


class GuidedValidation(OrderFixture):
    """What an applicant is told to do, and can do, when validation stops; and finding orders
    and certificates in long lists."""

    def dv(self, domain):
        return self.order("dv-single", {
            "domains": [domain], "key": {"generate": {"algorithm": "ecdsa-p256"}},
            "applicant_type": "individual", "administrator": ADMIN,
            "contact": "same_as_administrator", "validation_method": "dns_txt"}, submit=True)

    def test_an_expired_validation_is_started_again(self):
        self.start_world(web=False, smtp=False)
        order = self.dv("www.late.insecure.test")
        self.assertEqual(len(order["validations"]), 1)
        stale = order["validations"][0]
        self.assertNotIn("restart_validation", order["allowed_actions"])
        r = self.api.post(f"/api/v1/orders/{order['id']}/validations/{stale['validation_id']}"
                          "/restart")
        self.assertProblem(r, 409, "validation_not_stopped")
        # The console sends its language: the same problem, its detail in Chinese.
        zh = self.api.post(f"/api/v1/orders/{order['id']}/validations/"
                           f"{stale['validation_id']}/restart",
                           headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})
        self.assertProblem(zh, 409, "validation_not_stopped")
        self.assertNotEqual(zh.body["detail"], r.body["detail"])
        self.assertRegex(zh.body["detail"], "[\u4e00-\u9fff]")
        self.assertNotRegex(zh.body["detail"], "[A-Za-z]{4,}", "no English words left")
        self.assertEqual(zh.headers.get("Content-Language"), "zh-CN")
        bad = self.api.put(f"/api/v1/orders/{order['id']}/application", {"bogus": 1},
                           headers={"Accept-Language": "zh-CN"})
        self.assertEqual(bad.body["code"], "unknown_field", bad.body)
        self.assertRegex(bad.body["detail"], "[\u4e00-\u9fff]")
        self.assertIn("bogus", bad.body["detail"], "the specifics stay")
        en = self.api.put(f"/api/v1/orders/{order['id']}/application", {"bogus": 1},
                          headers={"Accept-Language": "en-US,zh-CN;q=0.5"})
        self.assertNotRegex(en.body["detail"], "[\u4e00-\u9fff]")

        # 31 days later the random value has expired (BR 3.2.2.4); the record comes too late.
        self.server.stop()
        later = self.new_signetd(data_dir=self.server.data_dir, settings=dict(
            self.server.settings, **{"clock.offset_seconds": str(31 * 86400)}))
        later.start()
        self.server, self.api = later, later.client(self.api.key)
        self.api.context = ssl._create_unverified_context()  # noqa: SLF001
        self.publish_txt(stale)
        order = self.get(order)
        self.assertEqual(order["validations"][0]["status"], "expired", order)
        r = self.api.post(f"/api/v1/orders/{order['id']}/validations/check")
        self.assertStatus(r, 200)
        order = r.body
        self.assertEqual(order["progress"]["dcv"], "failed", order)
        self.assertEqual(order["status"], "processing")
        self.assertTrue(order["needs_applicant"])
        self.assertIn("restart_validation", order["allowed_actions"])

        other = self.server.client(self.server.create_owner("y@example.org", "y"))
        self.assertStatus(other.post(f"/api/v1/orders/{order['id']}/validations/"
                                     f"{stale['validation_id']}/restart"), 404)
        self.assertStatus(self.api.post(f"/api/v1/orders/{order['id']}/validations/"
                                        "dv_nonexistent/restart"), 404)
        r = self.api.post(f"/api/v1/orders/{order['id']}/validations/{stale['validation_id']}"
                          "/restart")
        self.assertStatus(r, 200)
        order = r.body
        fresh = order["validations"][0]
        self.assertNotEqual(fresh["validation_id"], stale["validation_id"])
        self.assertNotEqual(fresh["instructions"]["value"], stale["instructions"]["value"])
        self.assertEqual(fresh["status"], "pending")
        self.assertEqual(order["progress"]["dcv"], "pending")
        self.assertIn("dcv.restarted", self.events(order))
        # The timeline names the applicant as the REST API does (membership id) and by email.
        me = self.api.get("/api/v1/session").body["user"]
        restarted = [e for e in order["timeline"] if e["event"] == "dcv.restarted"][0]
        self.assertEqual((restarted["actor"], restarted["actor_email"]),
                         (me["id"], "dcv@example.com"))
        system = [e for e in order["timeline"] if e["event"] == "dcv.failed"][0]
        self.assertEqual((system["actor"], system["actor_email"]), ("system", None))
        self.publish_txt(fresh)
        self.assertStatus(self.api.post(f"/api/v1/orders/{order['id']}/validations/check"), 200)
        order = self.wait_status(order, "issued")
        self.assertEqual(order["progress"]["dcv"], "valid")

    def test_lists_search_and_sort(self):
        self.start_world(web=False, smtp=False)
        for name in ["alpha.insecure.test", "beta.insecure.test", "gamma.insecure.test"]:
            order = self.dv(name)
            self.publish_all(order)
            self.api.post(f"/api/v1/orders/{order['id']}/validations/check")
            self.wait_status(order, "issued")
        self.dv("delta.insecure.test")  # not issued

        def names(path):
            r = self.api.get(path)
            self.assertStatus(r, 200)
            return [sorted(i["names"])[0] for i in r.body["items"]]

        self.assertEqual(names("/api/v1/certificates?q=ETA"), ["beta.insecure.test"])
        self.assertEqual(names("/api/v1/orders?q=elt"), ["delta.insecure.test"])
        self.assertEqual(names("/api/v1/certificates?q=100%25"), [])  # % matches only itself
        self.assertEqual(names("/api/v1/certificates?q=_"), [])
        self.assertEqual(len(names("/api/v1/certificates?q=insecure")), 3)
        certs = self.api.get("/api/v1/certificates").body["items"]
        serial = certs[0]["serial"]
        self.assertEqual([c["serial"] for c in
                          self.api.get(f"/api/v1/certificates?q={serial[-10:].upper()}")
                          .body["items"]], [serial])
        self.assertEqual(certs[0]["superseded_revocation_hours"], 72)
        self.assertEqual({c["product"] for c in certs}, {"dv-single"})

        # The state filter is applied in storage: pages stay full whatever the state.
        beta = next(c for c in certs if "beta.insecure.test" in c["names"])
        self.assertStatus(self.api.post(f"/api/v1/certificates/{beta['id']}/revoke",
                                        {"reason": "superseded"}), 200)
        self.assertEqual(names("/api/v1/certificates?status=revoked"), ["beta.insecure.test"])
        self.assertEqual(names("/api/v1/certificates?status=expired"), [])
        first = self.api.get("/api/v1/certificates?status=active&page_size=1").body
        self.assertEqual(len(first["items"]), 1)
        second = self.api.get("/api/v1/certificates?status=active&page_size=1&page_token="
                              + first["next_page_token"]).body
        self.assertEqual(len(second["items"]), 1)
        self.assertEqual(sorted(sorted(c["names"])[0] for c in first["items"] + second["items"]),
                         ["alpha.insecure.test", "gamma.insecure.test"])

        # Sorted by expiry, page by page, both ways: the pages join up without gaps or repeats.
        def walk(sort):
            seen, token = [], ""
            while True:
                r = self.api.get(f"/api/v1/certificates?sort={sort}&page_size=1"
                                 + (f"&page_token={token}" if token else ""))
                self.assertStatus(r, 200)
                seen += [(c["not_after"], c["id"]) for c in r.body["items"]]
                token = r.body.get("next_page_token") or ""
                if not token:
                    return seen
        up = walk("not_after")
        self.assertEqual(len(up), 3)
        self.assertEqual(up, sorted(up))
        self.assertEqual(walk("-not_after"), sorted(up, reverse=True))
        self.assertProblem(self.api.get("/api/v1/certificates?sort=names"), 400, "invalid_query")
        self.assertProblem(self.api.get("/api/v1/certificates?q=" + "x" * 101), 400,
                           "invalid_query")
        token = self.api.get("/api/v1/certificates?page_size=1").body["next_page_token"]
        self.assertProblem(self.api.get(f"/api/v1/certificates?sort=not_after&page_token={token}"),
                           400, "invalid_page_token")
        hostile = base64.urlsafe_b64encode(b"1-2:crt_x").decode().rstrip("=")
        self.assertProblem(self.api.get(f"/api/v1/certificates?sort=not_after&page_token={hostile}"),
                           400, "invalid_page_token")


harness.make_backend_tests(globals(), DvJourney, ReviewJourney, AccountChannels, Concurrency,
                           GuidedValidation)
harness.make_backend_tests(globals(), Notifications, backends=["sqlite"])

if __name__ == "__main__":
    harness.main()
