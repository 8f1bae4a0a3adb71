"""After issuance, through the REST API of the real signetd: revoke (seen by openssl in the CRL and
by OCSP), reissue with a new key, renew, hide, alias and project, upload (host) a certificate
issued elsewhere, expiry reminders (exactly one email per scheduled day, with the service clock
moved), and the second certificate of a multi-year term."""

import base64
import io
import json
import os
import re
import ssl
import subprocess
import time
import zipfile

import harness
from test_orders import ADMIN, OrderFixture

DAY = 86400


def run(*args, input=None, check=True):
    return subprocess.run(list(args), input=input, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, check=check).stdout


class Lifecycle(OrderFixture):
    def issue(self, domain, extra=None):
        application = {"domains": [domain], "key": {"generate": {"algorithm": "ecdsa-p256"}},
                       "administrator": ADMIN, "validation_method": "dns_txt"}
        application.update(extra or {})
        order = self.order("dv-single", application, submit=True)
        self.publish_all(order)
        order = self.wait_status(order, "issued")
        return order, self.api.get(f"/api/v1/certificates/{order['certificate_id']}").body

    def files(self, cert):
        tmp = self.temp_dir()
        leaf = os.path.join(tmp, "leaf.pem")
        with open(leaf, "w") as f:
            f.write(cert["certificate"])
        chain = os.path.join(tmp, "chain.pem")
        r = self.api.get(f"/api/v1/certificates/{cert['id']}/download?format=chain")
        self.assertStatus(r, 200)
        with open(chain, "wb") as f:
            f.write(r.raw)
        return tmp, leaf, chain

    def test_revoke_is_seen_in_the_crl_and_by_ocsp(self):
        self.start_world(web=False, smtp=False)
        order, cert = self.issue("rev.insecure.test")
        tmp, leaf, chain = self.files(cert)
        r = self.api.post(f"/api/v1/certificates/{cert['id']}/revoke", {"reason": "certificateHold"})
        self.assertProblem(r, 400, "invalid_reason")
        r = self.api.post(f"/api/v1/certificates/{cert['id']}/revoke", {"reason": "keyCompromise"})
        self.assertStatus(r, 200)
        self.assertEqual(r.body["status"], "revoked")
        self.assertEqual(r.body["revocation_reason"], "keyCompromise")
        self.assertProblem(self.api.post(f"/api/v1/certificates/{cert['id']}/revoke",
                                         {"reason": "superseded"}), 409, "already_revoked")
        # The CRL named in the certificate lists it, as openssl sees it.
        text = run("openssl", "x509", "-in", leaf, "-noout", "-ext", "crlDistributionPoints")
        url = re.search(r"URI:(\S+)", text.decode()).group(1)
        crl = self.server.client().get(url[url.index("/crl/"):])
        self.assertStatus(crl, 200)
        crl_pem = os.path.join(tmp, "crl.pem")
        run("openssl", "crl", "-inform", "DER", "-out", crl_pem, input=crl.raw)
        verify = run("openssl", "verify", "-crl_check", "-CAfile", self.server.ca_file,
                     "-untrusted", chain, "-CRLfile", crl_pem, leaf, check=False).decode()
        self.assertIn("certificate revoked", verify)
        # And OCSP says revoked, with the reason.
        request = os.path.join(tmp, "req.der")
        issuer = os.path.join(tmp, "issuer.pem")
        with open(chain) as f:
            pems = re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", f.read(),
                              re.S)
        with open(issuer, "w") as f:
            f.write(pems[0] + "\n")
        run("openssl", "ocsp", "-no_nonce", "-issuer", issuer, "-cert", leaf, "-reqout", request)
        response = self.server.client().request("POST", "/ocsp", raw_body=open(request, "rb").read(),
                                                content_type="application/ocsp-request")
        self.assertStatus(response, 200)
        answer = os.path.join(tmp, "resp.der")
        with open(answer, "wb") as f:
            f.write(response.raw)
        status = run("openssl", "ocsp", "-no_nonce", "-respin", answer, "-issuer", issuer,
                     "-cert", leaf, "-CAfile", self.server.ca_file, "-verify_other", chain,
                     check=False).decode()
        self.assertIn(": revoked", status)
        self.assertIn("keyCompromise", status)
        # A revoked certificate can be hidden; it then leaves the list.
        self.assertStatus(self.api.delete(f"/api/v1/certificates/{cert['id']}"), 204)
        ids = [c["id"] for c in self.api.get("/api/v1/certificates").body["items"]]
        self.assertNotIn(cert["id"], ids)
        hidden = self.api.get("/api/v1/certificates?include_hidden=true").body["items"]
        self.assertIn(cert["id"], [c["id"] for c in hidden])

    def test_reissue_renew_hide_and_tags(self):
        self.start_world(web=False, smtp=False)
        order, cert = self.issue("re.insecure.test")
        # Reissue: same names, new key, new serial; validation reused, so it issues at once.
        r = self.api.post(f"/api/v1/certificates/{cert['id']}/reissue",
                          {"key": {"generate": {"algorithm": "rsa-2048"}}})
        self.assertStatus(r, 201)
        reissued = self.wait_status(r.body, "issued")
        self.assertNotEqual(reissued["certificate_id"], cert["id"])
        self.assertEqual(reissued["names"], order["names"])
        self.assertIn("reissue", self.events(order))
        new = self.api.get(f"/api/v1/certificates/{reissued['certificate_id']}").body
        self.assertEqual(new["names"], cert["names"])
        bundle = self.api.get(f"/api/v1/certificates/{new['id']}/download?format=nginx")
        files = zipfile.ZipFile(io.BytesIO(bundle.raw))
        key = files.read(next(n for n in files.namelist() if n.endswith(".key")))
        cert_pub = run("openssl", "x509", "-noout", "-pubkey", input=new["certificate"].encode())
        key_pub = run("openssl", "pkey", "-pubout", input=key)
        self.assertEqual(cert_pub, key_pub)
        self.assertIn(b"rsaEncryption", run("openssl", "x509", "-noout", "-text",
                                            input=new["certificate"].encode()))

        # Renew: a new order pre-filled from the old one, waiting for the applicant.
        r = self.api.post(f"/api/v1/certificates/{cert['id']}/renew")
        self.assertStatus(r, 201)
        renewal = r.body
        self.assertEqual(renewal["status"], "pending_information")
        self.assertEqual(renewal["application"]["domains"], ["re.insecure.test"])
        self.assertEqual(renewal["application"]["administrator"]["email"], ADMIN["email"])
        renewal = self.submit(renewal)
        renewal = self.wait_status(renewal, "issued")

        # Hiding an active certificate needs force; tags and filters.
        self.assertProblem(self.api.delete(f"/api/v1/certificates/{cert['id']}"), 409,
                           "certificate_active")
        r = self.api.request("PATCH", f"/api/v1/certificates/{new['id']}",
                             body={"alias": "shop front", "project": "web",
                                   "reminder_days": [10, 2], "reminders_enabled": True})
        self.assertStatus(r, 200)
        self.assertEqual(r.body["alias"], "shop front")
        self.assertEqual(r.body["reminder_days"], [10, 2])
        self.assertProblem(self.api.request("PATCH", f"/api/v1/certificates/{new['id']}",
                                            body={"reminder_days": [0]}), 400, "invalid_field")
        by_project = self.api.get("/api/v1/certificates?project=web").body["items"]
        self.assertEqual([c["id"] for c in by_project], [new["id"]])
        by_domain = self.api.get("/api/v1/certificates?domain=re.insecure.test").body["items"]
        self.assertEqual(len(by_domain), 3)
        self.assertEqual(self.api.get("/api/v1/certificates?expiring_within_days=1")
                         .body["items"], [])
        self.assertEqual(len(self.api.get("/api/v1/certificates?expiring_within_days=365")
                             .body["items"]), 3)
        self.assertStatus(self.api.delete(f"/api/v1/certificates/{cert['id']}?force=true"), 204)
        other = self.server.client(self.server.create_owner("z@example.org", "z"))
        self.assertStatus(other.get(f"/api/v1/certificates/{new['id']}"), 404)
        self.assertStatus(other.post(f"/api/v1/certificates/{new['id']}/revoke",
                                     {"reason": "keyCompromise"}), 404)
        self.assertStatus(other.post(f"/api/v1/certificates/{new['id']}/reissue"), 404)


def make_external_certificate(tmp, days, name="hosted.example.com"):
    """A private root and a leaf from it (openssl), as another CA would issue them."""
    root_key, root = os.path.join(tmp, "root.key"), os.path.join(tmp, "root.pem")
    run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-keyout", root_key, "-out", root, "-days", "30", "-subj", "/CN=Other Root")
    key, csr, leaf = (os.path.join(tmp, n) for n in ("leaf.key", "leaf.csr", "leaf.pem"))
    run("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-keyout", key, "-out", csr, "-subj", f"/CN={name}")
    ext = os.path.join(tmp, "ext.cnf")
    with open(ext, "w") as f:
        f.write(f"subjectAltName=DNS:{name}\n")
    run("openssl", "x509", "-req", "-in", csr, "-CA", root, "-CAkey", root_key,
        "-CAcreateserial", "-out", leaf, "-days", str(days), "-extfile", ext)
    other_key = os.path.join(tmp, "other.key")
    run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-out", other_key)
    read = lambda p: open(p).read()  # noqa: E731
    return read(leaf), read(root), read(key), read(other_key)


class Hosted(OrderFixture):
    def test_upload_checks_and_reminders_once_per_scheduled_day(self):
        self.start_world(web=False, extra={"scheduler.interval_seconds": "1"})
        leaf, root, key, other_key = make_external_certificate(self.temp_dir(), 5)
        r = self.api.post("/api/v1/certificates", {"certificate": leaf, "chain": root,
                                                   "private_key": other_key})
        self.assertProblem(r, 400, "key_mismatch")
        self.assertIn("does not belong", r.body["detail"])
        r = self.api.post("/api/v1/certificates", {"certificate": leaf, "private_key": key})
        self.assertProblem(r, 400, "chain_incomplete")
        self.assertProblem(self.api.post("/api/v1/certificates", {"certificate": "junk"}), 400,
                           "invalid_certificate")
        r = self.api.post("/api/v1/certificates", {"certificate": leaf, "chain": root,
                                                   "private_key": key, "alias": "old portal"})
        self.assertStatus(r, 201)
        hosted = r.body
        self.assertTrue(hosted["hosted"])
        self.assertEqual(hosted["names"], ["hosted.example.com"])
        self.assertEqual(hosted["status"], "active")
        pem = self.api.get(f"/api/v1/certificates/{hosted['id']}/download?format=pem")
        self.assertStatus(pem, 200)
        self.assertProblem(self.api.post(f"/api/v1/certificates/{hosted['id']}/revoke",
                                         {"reason": "superseded"}), 409, "not_issued_here")

        def reminders():
            return [m for m in self.smtp.messages() if "hosted.example.com" in m.get_content()]

        def runs_after(count):
            return lambda: sum(1 for line in self.server.log_lines()
                               if line.get("msg") == "scheduled run") >= count

        def settle():
            # Let the scheduler run twice more: a duplicate would have been queued by then,
            # and mail jobs are picked up within the job poll interval.
            base = sum(1 for line in self.server.log_lines() if line.get("msg") == "scheduled run")
            harness.wait_until(runs_after(base + 3), 30, interval=0.1, message="scheduler runs")

        # 5 days left: the 7-day reminder, once.
        harness.wait_until(lambda: len(reminders()) == 1, 30, interval=0.1,
                           message="the first reminder")
        settle()
        self.assertEqual(len(reminders()), 1)
        self.assertIn("expires in 5 days", reminders()[0]["Subject"])
        self.assertEqual(reminders()[0]["To"], "dcv@example.com")  # the account's owner

        # Two days later: the 3-day reminder; two more days: the 1-day reminder.
        for offset, total, subject in [(2, 2, "expires in 3 days"), (4, 3, "expires in 1 day")]:
            self.server.stop()
            moved = self.new_signetd(data_dir=self.server.data_dir, settings=dict(
                self.server.settings, **{"clock.offset_seconds": str(offset * DAY)}))
            moved.start()
            self.server = moved
            harness.wait_until(lambda: len(reminders()) == total, 30, interval=0.1,
                               message=f"reminder {total}")
            settle()
            self.assertEqual(len(reminders()), total)
            self.assertIn(subject, reminders()[-1]["Subject"])


class MultiYear(OrderFixture):
    def test_a_two_year_term_gets_its_next_certificate_before_expiry(self):
        tmp = self.temp_dir()
        catalog = os.path.join(tmp, "products.json")
        with open(catalog, "w") as f:
            json.dump({"products": [{"id": "dv-2y", "type": "dv", "coverage": "single",
                                     "max_domains": 1, "term_months": 24}]}, f)
        self.start_world(web=False, smtp=False, extra={"products.file": catalog,
                                                       "scheduler.interval_seconds": "1"})
        order = self.order("dv-2y", {"domains": ["term.insecure.test"],
                                     "key": {"generate": {"algorithm": "ecdsa-p256"}},
                                     "administrator": ADMIN}, submit=True)
        self.publish_all(order)
        order = self.wait_status(order, "issued")
        first = self.api.get(f"/api/v1/certificates/{order['certificate_id']}").body

        # 175 days on, the first certificate (199 days) has 24 days left: the next one starts.
        self.server.stop()
        later = self.new_signetd(data_dir=self.server.data_dir, settings=dict(
            self.server.settings, **{"clock.offset_seconds": str(175 * DAY)}))
        later.start()
        self.server = later
        self.api = later.client(self.api.key)
        # The listener may have been re-issued by the shifted clock; this test is about terms.
        self.api.context = ssl._create_unverified_context()  # noqa: SLF001

        def next_order():
            # Submitted, with its validations: the order is created, then submitted, and a
            # snapshot taken between the two has no validation to publish a record for.
            items = self.api.get("/api/v1/orders").body["items"]
            follow = [o for o in items if o["id"] != order["id"] and
                      any(e["event"] == "term.next_certificate" for e in o["timeline"]) and
                      o["status"] == "processing" and o.get("validations")]
            return follow[0] if follow else None

        follow = harness.wait_until(next_order, 60, interval=0.2, message="the next order")
        # DCV reuse is 100 days by then (BR 4.2.1 from 2027-03-15): the names are validated anew.
        self.publish_all(follow)
        follow = self.wait_status(follow, "issued", timeout=90)
        second = self.api.get(f"/api/v1/certificates/{follow['certificate_id']}").body
        self.assertNotEqual(second["id"], first["id"])
        self.assertEqual(second["names"], first["names"])
        self.assertGreater(second["not_after"], first["not_after"])
        self.assertIn("term.next_certificate", self.events(order))
        # Exactly one next certificate, however often the scheduler ran.
        items = self.api.get("/api/v1/orders").body["items"]
        self.assertEqual(sum(1 for o in items if o["id"] != order["id"]), 1)


class AutomaticRenewal(OrderFixture):
    def test_a_cname_delegated_order_renews_itself_at_the_end_of_its_term(self):
        tmp = self.temp_dir()
        catalog = os.path.join(tmp, "products.json")
        with open(catalog, "w") as f:
            json.dump({"products": [{"id": "dv-6m", "type": "dv", "coverage": "single",
                                     "max_domains": 1, "term_months": 6}]}, f)
        self.start_world(web=False, smtp=False, extra={"products.file": catalog,
                                                       "scheduler.interval_seconds": "1"})
        order = self.order("dv-6m", {"domains": ["auto-renew.insecure.test"],
                                     "key": {"generate": {"algorithm": "ecdsa-p256"}},
                                     "administrator": ADMIN, "validation_method": "dns_cname"},
                           submit=True)
        instructions = order["validations"][0]["instructions"]
        self.dns.set_records(instructions["record_name"], "CNAME", [instructions["target"] + "."])
        order = self.wait_status(order, "issued")
        first = self.api.get(f"/api/v1/certificates/{order['certificate_id']}").body

        # The term (6 months) ends with the first certificate; 155 days on, 27 days are left.
        self.server.stop()
        later = self.new_signetd(data_dir=self.server.data_dir, settings=dict(
            self.server.settings, **{"clock.offset_seconds": str(155 * DAY)}))
        later.start()
        self.server = later
        self.api = later.client(self.api.key)
        self.api.context = ssl._create_unverified_context()  # noqa: SLF001

        def renewal():
            items = self.api.get("/api/v1/orders").body["items"]
            found = [o for o in items if o["id"] != order["id"] and o["status"] == "issued" and
                     any(e["event"] == "renewal.automatic" for e in o["timeline"])]
            return found[0] if found else None

        # Nothing to do for the applicant: the CNAME still points at Signet's zone.
        renewed = harness.wait_until(renewal, 90, interval=0.2, message="the automatic renewal")
        second = self.api.get(f"/api/v1/certificates/{renewed['certificate_id']}").body
        self.assertEqual(second["names"], first["names"])
        self.assertGreater(second["not_after"], first["not_after"])
        # Once: later scheduler runs start nothing more.
        runs = lambda: sum(1 for line in self.server.log_lines()  # noqa: E731
                           if line.get("msg") == "scheduled run")
        base = runs()
        harness.wait_until(lambda: runs() >= base + 3, 30, interval=0.1, message="more runs")
        self.assertEqual(len(self.api.get("/api/v1/orders").body["items"]), 2)


harness.make_backend_tests(globals(), Lifecycle)
harness.make_backend_tests(globals(), Hosted, MultiYear, AutomaticRenewal, backends=["sqlite"])

if __name__ == "__main__":
    harness.main()
