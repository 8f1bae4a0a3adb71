"""Domain-control validation end to end: the real signetd against a real Knot DNS server (a
DNSSEC-signed zone, a deliberately broken one, RFC 2136 with TSIG), nginx serving validation
files, and an SMTP server receiving the approval email. CAA cases, the private-address guard,
and multi-perspective corroboration with real `signetd perspective` processes."""

import os
import re
import ssl
import subprocess
import time
import zipfile

import dcv_servers
import harness

FILE_PATH = "/.well-known/pki-validation/fileauth.txt"


class DcvFixture:
    """Starts DNS, web and SMTP servers and a signetd that uses them."""

    def start_world(self, extra=None, smtp=True, web=True):
        tmp = self.temp_dir()
        self.dns = dcv_servers.AuthoritativeDns(os.path.join(tmp, "dns"))
        self.addCleanup(self.dns.stop)
        self.anchors = self.dns.trust_anchor_file(os.path.join(tmp, "anchors.txt"))
        secret = os.path.join(tmp, "signet-key.secret")
        with open(secret, "w") as f:
            f.write(self.dns.signet_key.secret + "\n")
        settings = {
            "validation.dns_resolvers": self.dns.address,
            "validation.dns_trust_anchors": self.anchors,
            "names.internal_suffixes": "test",
            "validation.allow_private_addresses": "true",
            "validation.cname_zone": "dcv.signet.test",
            "validation.cname_server": self.dns.address,
            "validation.cname_key_name": self.dns.signet_key.name,
            "validation.cname_key_secret_file": secret,
            "validation.timeout_ms": "5000",
            "jobs.poll_interval_ms": "100",
        }
        if web:
            self.web = dcv_servers.FileServer(os.path.join(tmp, "web"),
                                              names=["www.insecure.test"])
            self.addCleanup(self.web.stop)
            settings["validation.http_port"] = str(self.web.http_port)
            settings["validation.https_port"] = str(self.web.https_port)
        if smtp:
            self.smtp = dcv_servers.SmtpSink()
            self.addCleanup(self.smtp.stop)
            settings["smtp.url"] = self.smtp.url
        settings.update(extra or {})
        self.server = self.start_signetd(settings=settings)
        self.api = self.server.client(self.server.create_owner("dcv@example.com", "dcv"))
        self.api.context.check_hostname = True
        return self.server

    def create(self, domain, method, expect=201, **fields):
        body = {"domain": domain, "method": method}
        body.update(fields)
        r = self.api.post("/api/v1/domain-validations", body)
        self.assertStatus(r, expect)
        return r.body

    def check(self, validation):
        r = self.api.post(f"/api/v1/domain-validations/{validation['id']}/check")
        self.assertStatus(r, 200)
        return r.body

    def assertPending(self, v, reason):
        self.assertEqual(v["status"], "pending", v)
        self.assertEqual(v["last_reason"], reason, v)
        self.assertTrue(v["last_error"], v)

    def publish_txt(self, v):
        self.dns.set_records(v["instructions"]["record_name"], "TXT",
                             [v["instructions"]["value"]])


class DnsMethods(DcvFixture):
    def test_dns_txt_on_a_signed_zone_end_to_end(self):
        self.start_world(web=False, smtp=False)
        v = self.create("WWW.Signed.Test.", "dns_txt")
        self.assertEqual(v["domain"], "www.signed.test")
        self.assertEqual(v["br_method"], "3.2.2.4.7")
        ins = v["instructions"]
        self.assertEqual(ins["record_name"], "_dnsauth.www.signed.test")
        self.assertGreaterEqual(len(ins["value"]), 19)  # >= 112 bits, base64url
        self.assertPending(self.check(v), "nxdomain")

        self.dns.set_records(ins["record_name"], "TXT", ["not-the-value"])
        wrong = self.check(v)
        self.assertPending(wrong, "wrong_value")
        self.assertIn("not-the-value", wrong["last_error"])

        self.publish_txt(v)
        done = self.check(v)
        self.assertEqual(done["status"], "valid", done)
        self.assertIsNotNone(done["validated_at"])
        self.assertIn("single perspective", done["perspectives"])

        attempts = self.api.get(f"/api/v1/domain-validations/{v['id']}/attempts").body["items"]
        self.assertTrue(attempts[0]["valid"])
        primary = attempts[0]["perspectives"]["dcv"]["results"][0]
        self.assertEqual(primary["dnssec"], "secure")
        self.assertIn(ins["value"], attempts[0]["seen"])
        self.assertTrue(any(a["reason"] == "nxdomain" for a in attempts[1:]))

        domains = self.api.get("/api/v1/domains").body["items"]
        self.assertEqual([d["domain"] for d in domains], ["www.signed.test"])
        self.assertTrue(domains[0]["covers_subdomains"])

        # Another account sees none of it.
        other = self.server.client(self.server.create_owner("other@example.com", "other"))
        self.assertStatus(other.get(f"/api/v1/domain-validations/{v['id']}"), 404)
        self.assertStatus(other.post(f"/api/v1/domain-validations/{v['id']}/check"), 404)
        self.assertEqual(other.get("/api/v1/domains").body["items"], [])

    def test_background_checks_validate_without_a_click(self):
        self.start_world(web=False, smtp=False)
        v = self.create("bg.insecure.test", "dns_txt")
        self.publish_txt(v)
        # The dcv.check job retries with backoff until the record is there.
        harness.wait_until(lambda: self.api.get(f"/api/v1/domain-validations/{v['id']}")
                           .body["status"] == "valid", 60, interval=0.2,
                           message="the background check to validate")

    def test_random_values_expire_after_30_days(self):
        self.start_world(web=False, smtp=False)
        v = self.create("late.insecure.test", "dns_txt")
        self.server.stop()
        later = self.new_signetd(data_dir=self.server.data_dir, settings=dict(
            self.server.settings, **{"clock.offset_seconds": str(31 * 86400)}))
        later.start()
        self.server, self.api = later, later.client(self.api.key)
        # The listener may have been re-issued by the shifted clock; this test is about DCV.
        self.api.context = ssl._create_unverified_context()  # noqa: SLF001
        self.publish_txt(v)  # too late: the value expired after 30 days (BR 3.2.2.4)
        expired = self.check(v)
        self.assertEqual(expired["status"], "expired", expired)
        self.assertIn("30 days", expired["last_error"])
        self.assertEqual(self.api.get("/api/v1/domains").body["items"], [])

    def test_a_bogus_dnssec_answer_is_never_accepted(self):
        self.start_world(web=False, smtp=False)
        v = self.create("www.broken.test", "dns_txt")
        self.publish_txt(v)  # the right value, in a zone whose signatures do not validate
        result = self.check(v)
        self.assertPending(result, "dnssec_bogus")
        self.assertIn("DNSSEC", result["last_error"])

    def test_cname_delegation_signet_publishes_the_record(self):
        self.start_world(web=False, smtp=False)
        v = self.create("www.insecure.test", "dns_cname")
        ins = v["instructions"]
        self.assertEqual(ins["record_type"], "CNAME")
        target = ins["target"]
        self.assertTrue(target.endswith(".dcv.signet.test"), target)
        self.assertPending(self.check(v), "nxdomain")
        self.dns.set_records(ins["record_name"], "CNAME", [target + "."])
        done = self.check(v)
        self.assertEqual(done["status"], "valid", done)
        # The TXT is removed afterwards: by this check, and by the background check if that one
        # was running at the same time (it may have published the record again meanwhile).
        harness.wait_until(lambda: self.dns.records(target, "TXT") == [], 30, interval=0.1,
                           message="the TXT record to be removed")
        # The same applicant and name get the same target, so renewals need no DNS change;
        # another account gets another one (BR 3.2.2.4.7: unique per applicant).
        again = self.create("www.insecure.test", "dns_cname")
        self.assertEqual(again["instructions"]["target"], target)
        other = self.server.client(self.server.create_owner("o2@example.com", "o2"))
        r = other.post("/api/v1/domain-validations", {"domain": "www.insecure.test",
                                                      "method": "dns_cname"})
        self.assertNotEqual(r.body["instructions"]["target"], target)
        self.assertEqual(self.check(again)["status"], "valid")

    def test_automatic_dns_with_the_applicants_tsig_key(self):
        self.start_world(web=False, smtp=False)
        key = self.dns.applicant_key
        auto = {"server": self.dns.address, "zone": "signed.test", "key_name": key.name,
                "algorithm": "hmac-sha256", "secret": key.secret}
        v = self.create("auto.signed.test", "dns_auto", dns_auto=auto)
        self.assertNotIn("secret", v["instructions"])
        done = self.check(v)
        self.assertEqual(done["status"], "valid", done)
        self.assertEqual(self.dns.records("_dnsauth.auto.signed.test", "TXT"), [])
        # A key the zone does not accept is reported as such.
        bad = dict(auto, secret="c2hvcnQtYnV0LWxvbmctZW5vdWdoLXNlY3JldA==")
        v2 = self.create("auto2.signed.test", "dns_auto", dns_auto=bad)
        failed = self.check(v2)
        self.assertPending(failed, "dns_update_refused")
        self.assertIn("TSIG", failed["last_error"])
        # Shape errors name the field.
        r = self.api.post("/api/v1/domain-validations",
                          {"domain": "a.signed.test", "method": "dns_auto",
                           "dns_auto": dict(auto, zone="other.test")})
        self.assertProblem(r, 400, "invalid_field")
        self.assertIn("zone", r.body["detail"])
        self.assertProblem(self.api.post("/api/v1/domain-validations",
                                         {"domain": "a.signed.test", "method": "dns_auto"}),
                           400, "missing_field")

    def test_name_rules_refuse_with_reasons(self):
        self.start_world(web=False, smtp=False)
        for domain, reason in [("*.*.insecure.test", "invalid_wildcard"),
                               ("a.*.insecure.test", "invalid_wildcard"),
                               ("*.co.uk", "wildcard_on_public_suffix"),
                               ("server.local", "internal_name"),
                               ("192.168.1.10", "reserved_ip"),
                               ("bad_name.insecure.test", "invalid_character")]:
            r = self.api.post("/api/v1/domain-validations",
                              {"domain": domain, "method": "dns_txt"})
            self.assertProblem(r, 422, reason)
            self.assertTrue(r.body["detail"])
        r = self.api.post("/api/v1/domain-validations",
                          {"domain": "*.insecure.test", "method": "file"})
        self.assertProblem(r, 422, "method_not_allowed")
        self.assertIn("3.2.2.4.18", r.body["detail"])
        r = self.api.post("/api/v1/domain-validations", {"domain": "a.test", "method": "carrier"})
        self.assertProblem(r, 400, "invalid_field")
        wild = self.create("*.Insecure.Test", "dns_txt")
        self.assertEqual(wild["domain"], "insecure.test")
        self.assertEqual(wild["instructions"]["record_name"], "_dnsauth.insecure.test")
        self.assertTrue(wild["wildcard"])


class FileMethod(DcvFixture):
    def test_file_validation_and_its_failures(self):
        self.start_world(smtp=False)
        v = self.create("www.insecure.test", "file")
        self.assertEqual(v["br_method"], "3.2.2.4.18")
        token = v["instructions"]["content"]
        self.assertPending(self.check(v), "http_404")

        self.web.put(FILE_PATH, (token + "\n").encode())
        trailing = self.check(v)
        self.assertPending(trailing, "wrong_value")
        self.assertIn("trailing newline", trailing["last_error"])

        self.web.put(FILE_PATH, token.encode())
        done = self.check(v)
        self.assertEqual(done["status"], "valid", done)
        requests = [r for r in self.web.requests() if r["uri"] == FILE_PATH]
        self.assertTrue(requests)
        self.assertTrue(all(token not in r["uri"] for r in requests))

    def test_redirect_rules(self):
        self.start_world(smtp=False)
        web = self.web
        v = self.create("www.insecure.test", "file")
        token = v["instructions"]["content"]
        web.put("/moved.txt", token.encode())
        web.add_redirect(FILE_PATH, 303, f"http://www.insecure.test:{web.http_port}/moved.txt")
        refused = self.check(v)
        self.assertPending(refused, "redirect_refused")
        self.assertIn("303", refused["last_error"])

        web.add_redirect(FILE_PATH, 301, "http://www.insecure.test:1/moved.txt")
        refused = self.check(v)
        self.assertPending(refused, "redirect_refused")
        self.assertIn("port 1", refused["last_error"])

        web.add_redirect(FILE_PATH, 302, "ftp://www.insecure.test/moved.txt")
        self.assertPending(self.check(v), "redirect_refused")

        web.add_redirect(FILE_PATH, 308, f"https://www.insecure.test:{web.https_port}/moved.txt")
        self.assertEqual(self.check(v)["status"], "valid")

    def test_private_addresses_are_not_contacted_unless_allowed(self):
        self.start_world(smtp=False, extra={"validation.allow_private_addresses": "false"})
        v = self.create("www.insecure.test", "file")
        self.web.put(FILE_PATH, v["instructions"]["content"].encode())
        refused = self.check(v)
        self.assertPending(refused, "private_address")
        self.assertIn("127.0.0.1", refused["last_error"])
        self.assertEqual([r for r in self.web.requests() if r["uri"] == FILE_PATH], [])


class EmailMethod(DcvFixture):
    def approval_link(self, message):
        text = message.get_content()
        match = re.search(r"https://\S+/dcv/email/([A-Za-z0-9_-]+)", text)
        self.assertIsNotNone(match, text)
        return "/dcv/email/" + match.group(1)

    def test_email_approval_link(self):
        self.start_world(web=False)
        v = self.create("www.insecure.test", "email", email="Admin@insecure.test")
        self.assertEqual(v["domain"], "insecure.test")
        self.assertEqual(v["br_method"], "3.2.2.4.4")
        self.assertNotIn("value", v["instructions"])
        message = self.smtp.wait_for(lambda m: m["To"] == "admin@insecure.test", timeout=30)
        self.assertIn("insecure.test", message["Subject"])
        link = self.approval_link(message)
        public = self.server.client()
        page = public.get(link)
        self.assertStatus(page, 200)
        self.assertIn(b"Approve", page.raw)
        self.assertEqual(self.api.get(f"/api/v1/domain-validations/{v['id']}").body["status"],
                         "pending", "opening the link alone approves nothing")
        approved = public.request("POST", link, raw_body="approve=yes",
                                  content_type="application/x-www-form-urlencoded")
        self.assertStatus(approved, 200)
        self.assertEqual(self.api.get(f"/api/v1/domain-validations/{v['id']}").body["status"],
                         "valid")
        self.assertStatus(public.request("POST", link, raw_body="approve=yes",
                                         content_type="application/x-www-form-urlencoded"), 409)
        self.assertStatus(public.get("/dcv/email/" + "x" * 43), 404)
        r = self.api.post("/api/v1/domain-validations", {"domain": "www.insecure.test",
                                                         "method": "email",
                                                         "email": "ceo@insecure.test"})
        self.assertProblem(r, 400, "invalid_field")
        r = self.api.post("/api/v1/domain-validations", {"domain": "www.insecure.test",
                                                         "method": "email",
                                                         "email": "admin@signed.test"})
        self.assertProblem(r, 400, "invalid_field")

    def test_an_smtp_outage_delays_the_email(self):
        port = dcv_servers.free_port()
        self.start_world(web=False, smtp=False, extra={"smtp.url": f"smtp://127.0.0.1:{port}"})
        v = self.create("www.insecure.test", "email", email="hostmaster@insecure.test")
        harness.wait_until(lambda: any(j["kind"] == "dcv.email" and j["attempts"] >= 1
                                       for j in self.jobs()), 30, interval=0.2,
                           message="a failed attempt to send")
        sink = dcv_servers.SmtpSink(port=port)
        self.addCleanup(sink.stop)
        message = sink.wait_for(lambda m: m["To"] == "hostmaster@insecure.test", timeout=60)
        self.assertIn(v["domain"], message.get_content())

    def jobs(self):
        admin = self.server.client(self.server.initial_admin()["api_key"])
        return admin.get("/api/v1/jobs").body["items"]

    def test_email_is_refused_from_2028_03_15(self):
        # 2028-03-16, by the service clock (BR 3.2.2.4.4).
        offset = int(1836777600 - time.time())
        self.start_world(web=False, extra={"clock.offset_seconds": str(offset)})
        # The listener's certificate dates from 2028 too; this test is about the date rule.
        self.api.context = ssl._create_unverified_context()  # noqa: SLF001
        r = self.api.post("/api/v1/domain-validations", {"domain": "www.insecure.test",
                                                         "method": "email",
                                                         "email": "admin@insecure.test"})
        self.assertProblem(r, 422, "method_not_allowed")
        self.assertIn("2028-03-15", r.body["detail"])


class Caa(DcvFixture):
    def validate_with_caa(self, domain, caa=None, at=None):
        # CAA first: a background check may run as soon as the TXT record is there.
        v = self.create(domain, "dns_txt")
        if caa:
            self.dns.set_records(at or v["domain"], "CAA", caa)
        self.publish_txt(v)
        return self.check(v)

    def test_caa_cases(self):
        self.start_world(web=False, smtp=False)
        self.assertEqual(self.validate_with_caa("none.insecure.test")["status"], "valid")
        self.assertEqual(self.validate_with_caa("ours.insecure.test",
                                                ['0 issue "signet.local"'])["status"], "valid")
        other = self.validate_with_caa("theirs.insecure.test", ['0 issue "other-ca.example"'])
        self.assertPending(other, "caa_forbidden")
        self.assertIn('CAA 0 issue "signet.local"', other["last_error"])

        wild_caa = ['0 issue "signet.local"', '0 issuewild "other-ca.example"']
        self.assertEqual(self.validate_with_caa("w.insecure.test", wild_caa)["status"], "valid")
        self.assertPending(self.validate_with_caa("*.w2.insecure.test", wild_caa),
                           "caa_forbidden")

        critical = self.validate_with_caa("crit.insecure.test",
                                          ['0 issue "signet.local"', '128 tbs "x"'])
        self.assertPending(critical, "caa_forbidden")
        self.assertIn("critical", critical["last_error"])

        # Tree climbing: the parent's CAA governs a name without its own.
        self.dns.set_records("p.insecure.test", "CAA", ['0 issue "other-ca.example"'])
        self.assertPending(self.validate_with_caa("www.p.insecure.test"), "caa_forbidden")

        # CNAME following: the CAA of the alias target is the relevant set.
        self.dns.set_records("target.insecure.test", "CAA", ['0 issue "other-ca.example"'])
        v = self.create("alias.insecure.test", "dns_txt")
        self.dns.set_records("alias.insecure.test", "CNAME", ["target.insecure.test."])
        self.publish_txt(v)
        self.assertPending(self.check(v), "caa_forbidden")

        # RFC 8657: accounturi must be this account; validationmethods must name the method.
        account_id = self.api.get("/api/v1/session").body["account"]["id"]
        uri = f"{self.server.url}/api/v1/accounts/{account_id}"
        self.assertEqual(self.validate_with_caa(
            "acct.insecure.test", [f'0 issue "signet.local; accounturi={uri}"'])["status"], "valid")
        self.assertPending(self.validate_with_caa(
            "acct2.insecure.test", ['0 issue "signet.local; accounturi=https://x/1"']),
            "caa_forbidden")
        self.assertPending(self.validate_with_caa(
            "meth.insecure.test", ['0 issue "signet.local; validationmethods=http-01"']),
            "caa_forbidden")

        # A bogus answer for CAA (a CNAME into the broken zone) is never permission.
        v = self.create("bogus-caa.signed.test", "dns_txt")
        self.dns.set_records("bogus-caa.signed.test", "CNAME", ["www.broken.test."])
        self.publish_txt(v)
        self.assertPending(self.check(v), "dnssec_bogus")

        # Fixing CAA and checking again succeeds: the validation stayed pending.
        self.dns.set_records("theirs.insecure.test", "CAA", ['0 issue "signet.local"'])
        again = self.api.get("/api/v1/domain-validations?domain=theirs.insecure.test").body
        self.assertEqual(self.check(again["items"][0])["status"], "valid")


class Perspectives(DcvFixture):
    def start_perspective(self, name, dns_address, token_file, anchors="none"):
        base = os.path.join(self.temp_dir(), name)
        os.makedirs(base)
        bundle = os.path.join(base, "tls.zip")
        self.server.admin_ok("issue", "--generate-key", "ecdsa-p256", "--names", "localhost",
                             "--format", "nginx", "--output", bundle)
        with zipfile.ZipFile(bundle) as z:
            z.extractall(base)
        cert = next(os.path.join(base, n) for n in os.listdir(base) if n.endswith(".crt"))
        key = next(os.path.join(base, n) for n in os.listdir(base) if n.endswith(".key"))
        data = os.path.join(base, "data")
        argv = [harness.signetd_binary(), "perspective", "--set", "listen=127.0.0.1:0",
                "--set", f"data_dir={data}", "--set", f"tls.cert={cert}",
                "--set", f"tls.key={key}", "--set", f"validation.dns_resolvers={dns_address}",
                "--set", f"validation.dns_trust_anchors={anchors}",
                "--set", "names.internal_suffixes=test",
                "--set", f"validation.perspective_token_file={token_file}"]
        log = open(os.path.join(base, "perspective.log"), "wb")
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                preexec_fn=harness._die_with_parent)  # noqa: SLF001
        self.addCleanup(lambda: (proc.kill(), proc.wait(), log.close()))
        addr_file = os.path.join(data, "perspective.addr")
        address = harness.wait_until(
            lambda: proc.poll() is None and os.path.exists(addr_file) and
            open(addr_file).read().strip(), 30, message="the perspective to listen")
        if proc.poll() is not None:
            self.fail(f"signetd perspective exited {proc.returncode}")
        return "https://localhost:" + address.rpartition(":")[2]

    def test_quorum_with_three_remote_perspectives(self):
        tmp = self.temp_dir()
        # Each remote perspective has its own view of the Internet: here, its own DNS server,
        # so a test can show one perspective something else (as a BGP hijack would).
        views = [dcv_servers.AuthoritativeDns(os.path.join(tmp, f"dns{i}")) for i in (2, 3)]
        for view in views:
            self.addCleanup(view.stop)
        token_file = os.path.join(tmp, "perspective.token")
        with open(token_file, "w") as f:
            f.write("perspective-shared-token-0123456789\n")
        # The primary first runs alone, to issue the perspectives' TLS certificates.
        self.start_world(web=False, smtp=False)
        self.server.stop()
        urls = [self.start_perspective("p1", self.dns.address, token_file),
                self.start_perspective("p2", views[0].address, token_file),
                self.start_perspective("p3", views[1].address, token_file)]
        primary = self.new_signetd(data_dir=self.server.data_dir, settings=dict(
            self.server.settings, **{"validation.perspectives": ",".join(urls),
                                     "validation.perspective_token_file": token_file,
                                     "validation.perspective_ca_file": self.server.ca_file}))
        primary.start()
        self.server = primary
        self.api = primary.client(self.api.key)

        def validation(name, remote_values):
            v = self.create(name, "dns_txt")
            # The remote views first, the primary's record last: the background check may run
            # at any moment, and until the primary sees the value it cannot succeed, so no check
            # sees a half-made world.
            for view, value in zip(views, remote_values):
                view.set_records(v["instructions"]["record_name"], "TXT",
                                 [value or v["instructions"]["value"]])
            self.publish_txt(v)
            return v

        # One of three remotes sees something else: 2 of 3 corroborate, which is enough.
        v = validation("mp.insecure.test", [None, "hijacked"])
        done = self.check(v)
        attempts = self.api.get(f"/api/v1/domain-validations/{v['id']}/attempts").body
        self.assertEqual(done["status"], "valid", attempts)
        self.assertIn("2 of 3 remote perspectives corroborated", done["perspectives"])
        attempt = self.api.get(f"/api/v1/domain-validations/{v['id']}/attempts").body["items"][0]
        results = attempt["perspectives"]["dcv"]["results"]
        self.assertEqual(len(results), 4)
        self.assertEqual(sorted(r["ok"] for r in results), [False, True, True, True])
        self.assertIn("hijacked", [r for r in results if not r["ok"]][0]["seen"])

        # Two of three disagree: not corroborated, though the primary saw the right value.
        v2 = validation("mp2.insecure.test", ["hijacked", "hijacked"])
        failed = self.check(v2)
        self.assertPending(failed, "not_corroborated")
        self.assertIn("1 of 3", failed["last_error"])

        # A perspective that is asked without the shared token refuses.
        client = harness.Client(int(urls[0].rpartition(":")[2]), self.server.ca_file,
                                key="wrong-token", server_hostname="localhost")
        self.assertStatus(client.post("/perspective/v1/check",
                                      {"kind": "dns_txt", "name": "x.insecure.test"}), 401)


harness.make_backend_tests(globals(), DnsMethods)
harness.make_backend_tests(globals(), FileMethod, EmailMethod, Caa, Perspectives,
                           backends=["sqlite"])

if __name__ == "__main__":
    harness.main()
