"""Monitoring (issue 17) against real nginx instances, each serving one case: a good Signet
certificate (ok, linked to its inventory id), a leaf without its intermediate
(chain_incomplete), an expired and a self-signed certificate, a certificate for another name
(name_mismatch), one superseded by a reissue (not_latest), and a closed port (unreachable). A
critical finding reaches the account's email channel once, not on every check; the recovery is
announced once too. Loopback is refused unless the operator allows it."""

import datetime
import io
import json
import os
import zipfile

import dcv_servers
import deploy_servers
import harness
from test_deployment import Deployment as DeploymentFixture
from test_orders import OrderFixture

NAME = "watched.insecure.test"


def certificate(name, days_from, days_to, issuer=None):
    """A certificate for name valid from days_from to days_to (days from now, may be negative),
    self-signed or signed by issuer=(cert, key); PEM certificate and key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    issuer_cert, issuer_key = issuer if issuer else (None, key)
    cert = (x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer_cert.subject if issuer_cert else subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now + datetime.timedelta(days=days_from))
            .not_valid_after(now + datetime.timedelta(days=days_to))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .sign(issuer_key, hashes.SHA256()))
    return (cert.public_bytes(serialization.Encoding.PEM).decode(),
            key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()).decode())


class Monitoring(OrderFixture):
    issue = DeploymentFixture.issue
    reissue = DeploymentFixture.reissue

    def site(self):
        s = deploy_servers.TlsSite(os.path.join(self.temp_dir(), "site"))
        self.addCleanup(s.stop)
        return s

    def key_of(self, cert):
        r = self.api.get(f"/api/v1/certificates/{cert['id']}/download?format=nginx")
        self.assertStatus(r, 200)
        files = zipfile.ZipFile(io.BytesIO(r.raw))
        return files.read(next(n for n in files.namelist() if n.endswith(".key"))).decode()

    def chain_of(self, cert):
        r = self.api.get(f"/api/v1/certificates/{cert['id']}/download?format=chain")
        self.assertStatus(r, 200)
        root_start = r.raw.decode().rfind("-----BEGIN CERTIFICATE-----")
        return r.raw.decode()[:root_start]  # the intermediate, without the root

    def monitor(self, port, server_name=NAME, expect=201):
        r = self.api.post("/api/v1/monitors", {"host": "127.0.0.1", "port": port,
                                                "server_name": server_name})
        self.assertStatus(r, expect)
        return r.body

    def check(self, monitor):
        r = self.api.post(f"/api/v1/monitors/{monitor['id']}/check")
        self.assertStatus(r, 200)
        return r.body

    def codes(self, check):
        return sorted(p["code"] for p in check["problems"])

    def start(self, extra=None):
        settings = {"monitoring.allow_private_addresses": "true",
                    "monitoring.scan_interval_seconds": "3600"}
        settings.update(extra or {})
        self.start_world(web=False, extra=settings)

    def test_each_kind_of_trouble_is_named(self):
        self.start()
        first = self.issue(NAME)
        key, chain = self.key_of(first), self.chain_of(first)

        good = self.site()
        good.install(first["certificate"] + chain, key, NAME)
        m = self.monitor(good.port)
        result = self.check(m)
        self.assertEqual(result["status"], "ok", result)
        self.assertEqual(result["problems"], [])
        self.assertEqual(result["certificate_id"], first["id"])
        self.assertEqual(result["certificate"]["serial"].lstrip("0"),
                         first["serial"].lower().lstrip("0"))
        self.assertIn(NAME, result["certificate"]["names"])

        wrong_name = self.monitor(good.port, server_name="other.insecure.test")
        self.assertEqual(self.codes(self.check(wrong_name)), ["name_mismatch"])

        incomplete = self.site()
        incomplete.install(first["certificate"], key, NAME)
        result = self.check(self.monitor(incomplete.port))
        self.assertEqual(result["status"], "critical")
        self.assertEqual(self.codes(result), ["chain_incomplete"])

        expired = self.site()
        expired.install(*certificate(NAME, -30, -1), NAME)
        result = self.check(self.monitor(expired.port))
        self.assertEqual(result["status"], "critical")
        self.assertIn("expired", self.codes(result))
        self.assertIn("self_signed", self.codes(result))

        self_signed = self.site()
        self_signed.install(*certificate(NAME, -1, 200), NAME)
        result = self.check(self.monitor(self_signed.port))
        self.assertEqual(self.codes(result), ["self_signed"])

        soon = self.site()
        soon.install(*certificate(NAME, -80, 5), NAME)
        self.assertIn("expires_soon", self.codes(self.check(self.monitor(soon.port))))

        closed = dcv_servers.free_port()
        result = self.check(self.monitor(closed))
        self.assertEqual(result["status"], "unreachable")
        self.assertEqual(self.codes(result), ["unreachable"])

        # A reissue that is not deployed yet: the old one is not the latest.
        second = self.reissue(first)
        result = self.check(m)
        self.assertEqual(result["status"], "warning", result)
        self.assertEqual(self.codes(result), ["not_latest"])
        self.assertIn(second["id"], result["problems"][0]["detail"])

        # The history, newest first.
        checks = self.api.get(f"/api/v1/monitors/{m['id']}/checks").body["items"]
        self.assertEqual([c["status"] for c in checks], ["warning", "ok"])
        listed = self.api.get("/api/v1/monitors").body["items"]
        self.assertEqual(listed[0]["last_check"]["status"], "warning")

    def test_an_alert_is_sent_once_and_the_recovery_once(self):
        from test_chat_channels import RobotReceiver
        robots = RobotReceiver(os.path.join(self.temp_dir(), "robots"))
        self.addCleanup(robots.stop)
        self.start({"notify.ca_file": robots.ca_file, "notify.allow_private_webhooks": "true"})
        self.assertStatus(self.api.post("/api/v1/notification-channels",
                                        {"kind": "email", "target": "ops@example.com"}), 201)
        hook = self.api.post("/api/v1/notification-channels",
                             {"kind": "webhook", "target": robots.add("webhook", "ops-hook")})
        self.assertStatus(hook, 201)
        robots.set_secret("ops-hook", hook.body["secret"])
        ding = self.api.post("/api/v1/notification-channels",
                             {"kind": "dingtalk", "target": robots.add("dingtalk", "ops-ding"),
                              "secret": "SEC" + "a" * 20})
        self.assertStatus(ding, 201)
        robots.set_secret("ops-ding", "SEC" + "a" * 20)
        site = self.site()
        site.install(*certificate(NAME, -1, 200), NAME)
        m = self.monitor(site.port)
        for _ in range(3):
            self.assertEqual(self.check(m)["status"], "critical")
        alert = self.smtp.wait_for(lambda msg: "ops@example.com" in msg["To"], timeout=30)
        self.assertIn("critical", alert["Subject"])
        self.assertIn("self_signed", alert.get_payload())

        first = self.issue(NAME)
        site.install(first["certificate"] + self.chain_of(first), self.key_of(first), NAME)
        for _ in range(2):
            result = self.check(m)
            self.assertEqual(result["status"], "ok", result)
        self.smtp.wait_for(lambda msg: "ok again" in msg["Subject"], timeout=30)
        about = [d for d in self.smtp.messages() if f"127.0.0.1:{site.port}" in d["Subject"]]
        self.assertEqual(len(about), 2, [d["Subject"] for d in about])
        # The webhook and the DingTalk robot got the same two, signed.
        for robot in ("ops-hook", "ops-ding"):
            robots.wait_for(robot, lambda r: "ok again" in json.dumps(r["body"]))
            got = [r for r in robots.requests(robot)
                   if f"127.0.0.1:{site.port}" in json.dumps(r["body"])]
            self.assertEqual(len(got), 2, got)
            self.assertEqual({r["signature"] for r in got}, {"ok"})
            self.assertIn("self_signed", json.dumps(got[0]["body"]))

    def test_a_digest_channel_gets_one_summary_a_day_instead(self):
        """A channel set to daily_digest hears nothing of the alert when it happens (the
        immediate channel does); at the digest hour it gets one summary of the monitors in
        trouble, once, and its next digest moves to the next day."""
        self.start({"monitoring.digest_hour_utc": "6"})
        r = self.api.post("/api/v1/notification-channels",
                          {"kind": "email", "target": "digest@example.com",
                           "monitor_alerts": "weekly"})
        self.assertStatus(r, 400)
        self.assertIn("daily_digest", r.body["detail"])
        digest = self.api.post("/api/v1/notification-channels",
                               {"kind": "email", "target": "digest@example.com",
                                "monitor_alerts": "daily_digest"})
        self.assertStatus(digest, 201)
        self.assertEqual(digest.body["monitor_alerts"], "daily_digest")
        first_due = datetime.datetime.fromisoformat(
            digest.body["next_digest_at"].replace("Z", "+00:00"))
        self.assertEqual((first_due.hour, first_due.minute), (6, 0))
        now = datetime.datetime.now(datetime.timezone.utc)
        self.assertTrue(now < first_due <= now + datetime.timedelta(days=1), first_due)
        ops = self.api.post("/api/v1/notification-channels",
                            {"kind": "email", "target": "ops@example.com"})
        self.assertStatus(ops, 201)
        self.assertEqual(ops.body["monitor_alerts"], "immediate")
        self.assertNotIn("next_digest_at", ops.body)
        # PATCH switches a channel either way; an unknown field is refused.
        r = self.api.patch(f"/api/v1/notification-channels/{ops.body['id']}",
                           {"monitor_alerts": "daily_digest", "kind": "slack"})
        self.assertStatus(r, 400)
        r = self.api.patch(f"/api/v1/notification-channels/{ops.body['id']}",
                           {"monitor_alerts": "daily_digest"})
        self.assertStatus(r, 200)
        self.assertEqual(r.body["next_digest_at"], digest.body["next_digest_at"])
        r = self.api.patch(f"/api/v1/notification-channels/{ops.body['id']}",
                           {"monitor_alerts": "immediate"})
        self.assertStatus(r, 200)
        self.assertNotIn("next_digest_at", r.body)
        self.assertStatus(self.api.patch("/api/v1/notification-channels/chan_nope",
                                         {"monitor_alerts": "immediate"}), 404)

        site = self.site()
        site.install(*certificate(NAME, -1, 200), NAME)
        m = self.monitor(site.port)
        self.assertEqual(self.check(m)["status"], "critical")
        self.smtp.wait_for(lambda msg: "ops@example.com" in msg["To"], timeout=30)
        # The alert's jobs were queued together, in the check's transaction: none for digest@.
        self.assertEqual(self.sql(self.server, "SELECT count(*) FROM jobs WHERE payload LIKE"
                                               " '%digest@example.com%'").strip(), "0")

        # A day later (after 06:00 UTC for sure) the digest goes out, once.
        self.server.stop()
        later = self.new_signetd(data_dir=self.server.data_dir, settings=dict(
            self.server.settings, **{"clock.offset_seconds": str(26 * 3600),
                                     "monitoring.scan_interval_seconds": "1"}))
        later.start()
        self.server, self.api = later, later.client(self.api.key)
        mail = self.smtp.wait_for(lambda msg: "digest@example.com" in msg["To"], timeout=60)
        self.assertIn("1 in trouble", mail["Subject"])
        self.assertIn(f"127.0.0.1:{site.port}", mail.get_payload())
        self.assertIn("self_signed", mail.get_payload())

        def next_digest():
            channels = self.api.get("/api/v1/notification-channels").body["items"]
            at = next(c for c in channels if c["id"] == digest.body["id"])["next_digest_at"]
            return datetime.datetime.fromisoformat(at.replace("Z", "+00:00"))

        self.assertEqual(next_digest(), first_due + datetime.timedelta(days=1))
        self.assertEqual(self.sql(self.server, "SELECT count(*) FROM jobs WHERE payload LIKE"
                                               " '%digest@example.com%'").strip(), "1")
        self.assertEqual(len([d for d in self.smtp.messages()
                              if "digest@example.com" in d["To"]]), 1)

    def test_revocation_of_other_cas_certificates_is_asked_of_their_ocsp_or_crl(self):
        """A certificate from another CA: its OCSP responder (Debian's `openssl ocsp`) or, when
        it names none, its CRL (served over HTTP) says whether it is revoked; an unreachable
        responder is no finding. The test CA is the monitors' only trust anchor."""
        import http.server
        import subprocess
        import threading
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID

        d = self.temp_dir()
        now = datetime.datetime.now(datetime.timezone.utc)
        day = datetime.timedelta(days=1)
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Other Test CA")])
        ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
              .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
              .not_valid_before(now - day).not_valid_after(now + 400 * day)
              .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
              .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                           False), critical=True)
              .sign(ca_key, hashes.SHA256()))
        ca_pem = ca.public_bytes(serialization.Encoding.PEM).decode()
        paths = {n: os.path.join(d, n) for n in ("ca.pem", "ca.key", "index.txt", "crl.der")}
        with open(paths["ca.pem"], "w") as f:
            f.write(ca_pem)
        with open(paths["ca.key"], "wb") as f:
            f.write(ca_key.private_bytes(serialization.Encoding.PEM,
                                         serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption()))
        ocsp_port, closed_port = dcv_servers.free_port(), dcv_servers.free_port()

        def leaf(ocsp_port=None, crl_url=None):
            key = ec.generate_private_key(ec.SECP256R1())
            b = (x509.CertificateBuilder()
                 .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, NAME)]))
                 .issuer_name(ca_name).public_key(key.public_key())
                 .serial_number(x509.random_serial_number())
                 .not_valid_before(now - day).not_valid_after(now + 90 * day)
                 .add_extension(x509.SubjectAlternativeName([x509.DNSName(NAME)]),
                                critical=False))
            if ocsp_port:
                b = b.add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
                    AuthorityInformationAccessOID.OCSP,
                    x509.UniformResourceIdentifier(f"http://127.0.0.1:{ocsp_port}/"))]),
                    critical=False)
            if crl_url:
                b = b.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
                    [x509.UniformResourceIdentifier(crl_url)], None, None, None)]),
                    critical=False)
            cert = b.sign(ca_key, hashes.SHA256())
            return cert, key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()).decode()

        revoked_by_ocsp, good_by_ocsp = leaf(ocsp_port), leaf(ocsp_port)
        revoked_at = now - datetime.timedelta(hours=2)
        # openssl's CA database: R(evoked) and V(alid) rows (expiry, revocation,reason, serial).
        with open(paths["index.txt"], "w") as f:
            for cert, state in ((revoked_by_ocsp[0], "R"), (good_by_ocsp[0], "V")):
                expiry = cert.not_valid_after.strftime("%y%m%d%H%M%SZ")
                revocation = (revoked_at.strftime("%y%m%d%H%M%SZ") + ",keyCompromise"
                              if state == "R" else "")
                f.write(f"{state}\t{expiry}\t{revocation}\t{cert.serial_number:X}\tunknown\t"
                        f"/CN={NAME}\n")
        responder = subprocess.Popen(
            ["openssl", "ocsp", "-index", paths["index.txt"], "-port", str(ocsp_port),
             "-rsigner", paths["ca.pem"], "-rkey", paths["ca.key"], "-CA", paths["ca.pem"],
             "-nmin", "60", "-ignore_err"],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(d, "ocsp.log"), "w"))
        self.addCleanup(responder.wait)
        self.addCleanup(responder.kill)
        # Not by connecting: `openssl ocsp` serves one connection at a time and would wait for a
        # request on a probing one.
        harness.wait_until(lambda: "waiting for OCSP client" in open(os.path.join(d, "ocsp.log"))
                           .read(), 20, message="openssl ocsp listening")

        crl_bytes = {}

        class Crl(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "application/pkix-crl")
                self.end_headers()
                self.wfile.write(crl_bytes["der"])

            def log_message(self, *args):
                pass

        crl_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Crl)
        threading.Thread(target=crl_server.serve_forever, daemon=True).start()
        self.addCleanup(crl_server.shutdown)
        crl_url = f"http://127.0.0.1:{crl_server.server_address[1]}/other.crl"
        revoked_by_crl, good_by_crl = leaf(crl_url=crl_url), leaf(crl_url=crl_url)
        crl = (x509.CertificateRevocationListBuilder().issuer_name(ca_name)
               .last_update(now - day).next_update(now + 7 * day)
               .add_revoked_certificate(
                   x509.RevokedCertificateBuilder().serial_number(revoked_by_crl[0].serial_number)
                   .revocation_date(revoked_at)
                   .add_extension(x509.CRLReason(x509.ReasonFlags.superseded), critical=False)
                   .build())
               .sign(ca_key, hashes.SHA256()))
        crl_bytes["der"] = crl.public_bytes(serialization.Encoding.DER)
        unreachable = leaf(closed_port)

        self.start({"monitoring.trust_bundle": paths["ca.pem"]})
        site = self.site()
        m = self.monitor(site.port)

        def served(pair):
            cert, key = pair
            site.install(cert.public_bytes(serialization.Encoding.PEM).decode() + ca_pem, key,
                         NAME)
            return self.check(m)

        result = served(revoked_by_ocsp)
        self.assertEqual(result["status"], "critical", result)
        self.assertEqual(self.codes(result), ["revoked"])
        detail = result["problems"][0]["detail"]
        self.assertIn(f"OCSP http://127.0.0.1:{ocsp_port}/", detail)
        self.assertIn("keyCompromise", detail)
        self.assertEqual(served(good_by_ocsp)["status"], "ok")
        result = served(revoked_by_crl)
        self.assertEqual(self.codes(result), ["revoked"], result)
        self.assertIn(f"CRL {crl_url}", result["problems"][0]["detail"])
        self.assertIn("superseded", result["problems"][0]["detail"])
        self.assertEqual(served(good_by_crl)["status"], "ok")
        # No answer is no finding ("where reachable").
        self.assertEqual(served(unreachable)["status"], "ok")

    def test_smtp_with_starttls_is_checked(self):
        import ssl
        from aiosmtpd.controller import Controller
        self.start()
        cert = self.issue("mail.insecure.test")
        d = self.temp_dir()
        with open(os.path.join(d, "chain.pem"), "w") as f:
            f.write(cert["certificate"] + self.chain_of(cert))
        with open(os.path.join(d, "key.pem"), "w") as f:
            f.write(self.key_of(cert))
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(os.path.join(d, "chain.pem"), os.path.join(d, "key.pem"))

        class Accept:
            async def handle_DATA(self, server, session, envelope):
                return "250 OK"

        port = dcv_servers.free_port()
        smtp = Controller(Accept(), hostname="127.0.0.1", port=port, tls_context=context)
        smtp.start()
        self.addCleanup(smtp.stop)
        r = self.api.post("/api/v1/monitors", {"host": "127.0.0.1", "port": port,
                                                "server_name": "mail.insecure.test",
                                                "protocol": "smtp"})
        self.assertStatus(r, 201)
        result = self.check(r.body)
        self.assertEqual(result["status"], "ok", result)
        self.assertEqual(result["certificate_id"], cert["id"])

    def test_discovery_adds_what_the_inventory_did_not_know(self):
        self.start()
        site = self.site()
        site.install(*certificate("legacy.insecure.test", -10, 300), "legacy.insecure.test")
        closed = dcv_servers.free_port()
        r = self.api.post("/api/v1/monitors/discover",
                          {"hosts": ["localhost"], "ports": [site.port, closed]})
        self.assertStatus(r, 200)
        found = {e["port"]: e for e in r.body["items"]}
        self.assertTrue(found[site.port]["added"], found)
        self.assertIn("self_signed", [p["code"] for p in found[site.port]["problems"]])
        self.assertEqual(found[closed]["status"], "unreachable")
        cid = found[site.port]["certificate_id"]
        listed = self.api.get(f"/api/v1/certificates/{cid}").body
        self.assertEqual(listed["source"], "discovered")
        self.assertEqual(listed["names"], ["legacy.insecure.test"])
        # Found again: the same entry, not a second one.
        again = self.api.post("/api/v1/monitors/discover",
                              {"hosts": ["localhost"], "ports": [site.port]}).body["items"][0]
        self.assertFalse(again["added"])
        self.assertEqual(again["certificate_id"], cid)
        items = self.api.get("/api/v1/certificates?q=legacy").body["items"]
        self.assertEqual(len(items), 1)
        # Discovered is seen, not managed: nothing to revoke or reissue.
        self.assertStatus(self.api.post(f"/api/v1/certificates/{cid}/revoke",
                                        {"reason": "superseded"}), 409)
        r = self.api.post("/api/v1/monitors/discover", {"hosts": ["x.test"] * 11, "ports": [1, 2]})
        self.assertProblem(r, 400, "invalid_monitor")

    def test_a_discovered_certificate_is_watched_not_managed(self):
        self.start()
        site = self.site()
        site.install(*certificate("found.insecure.test", -10, 300), "found.insecure.test")
        r = self.api.post("/api/v1/monitors/discover",
                          {"hosts": ["localhost"], "ports": [site.port]})
        self.assertStatus(r, 200)
        cid = r.body["items"][0]["certificate_id"]
        where = f"localhost:{site.port}"
        base = f"/api/v1/certificates/{cid}"
        # Signet did not issue it and has no key: each refusal says so, and where it was found.
        for r in (self.api.post(base + "/revoke", {"reason": "superseded"}),
                  self.api.post(base + "/reissue"), self.api.post(base + "/renew"),
                  self.api.get(base + "/download?format=pkcs12")):
            self.assertProblem(r, 409, "not_managed")
            self.assertIn(f"discovered on '{where}'", r.body["detail"])
            self.assertIn("Signet has no key for it", r.body["detail"])
        zh = self.api.post(base + "/renew", headers={"Accept-Language": "zh-CN"})
        self.assertProblem(zh, 409, "not_managed")
        self.assertIn("发现", zh.body["detail"])
        self.assertIn(where, zh.body["detail"])
        # What it serves can still be downloaded, without a key.
        self.assertStatus(self.api.get(base + "/download?format=pem"), 200)
        self.assertStatus(self.api.get(base + "/download?format=chain"), 200)
        # Renamed, it is still refused; only the place is no longer named.
        self.assertStatus(self.api.patch(base, {"alias": "old web server"}), 200)
        r = self.api.post(base + "/renew")
        self.assertProblem(r, 409, "not_managed")
        self.assertIn("discovered on a server", r.body["detail"])

    def test_private_addresses_are_refused_unless_allowed(self):
        self.start_world(web=False, smtp=False)
        r = self.api.post("/api/v1/monitors", {"host": "127.0.0.1", "port": 443})
        self.assertProblem(r, 403, "private_address")
        # A name that resolves to loopback is checked, but not connected to.
        m = self.api.post("/api/v1/monitors", {"host": "localhost", "port": 443})
        self.assertStatus(m, 201)
        result = self.check(m.body)
        self.assertEqual(result["status"], "unreachable")
        self.assertIn("monitoring.allow_private_addresses", result["problems"][0]["detail"])
        for bad, field in (({"host": "a b"}, "host"), ({"host": "x.test", "port": 70000}, "port"),
                           ({"host": "x.test", "protocol": "ftp"}, "protocol"),
                           ({"host": "x.test", "interval_minutes": 1}, "interval_minutes")):
            r = self.api.post("/api/v1/monitors", bad)
            self.assertProblem(r, 400, "invalid_monitor")
            self.assertIn(field, r.body["detail"])


harness.make_backend_tests(globals(), Monitoring)

if __name__ == "__main__":
    harness.main()
