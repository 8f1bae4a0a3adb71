"""The CA core end to end with the real signetd and the openssl tool: chain, CRL, OCSP, crashes."""

import base64
import os
import re
import subprocess

import harness


def openssl(*args, input=None, check=True):
    proc = subprocess.run(["openssl", *args], input=input, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=60)
    if check and proc.returncode != 0:
        raise AssertionError(f"openssl {' '.join(args)} failed:\n{proc.stdout.decode()}")
    return proc.stdout


class CaCore:
    def setUp(self):
        # A fixed public URL: the port is picked at start, but certificates and CRLs issued by
        # `signetd admin` must name the same URLs as the server's.
        self.server = self.start_signetd(settings={"public_url": "https://ca.signet.test"})
        self.dir = self.temp_dir()
        self.root = self.path("root.pem")
        response = self.server.client().get("/ca/root.pem")
        self.assertStatus(response, 200)
        with open(self.root, "wb") as f:
            f.write(response.raw)

    def path(self, name):
        return os.path.join(self.dir, name)

    def make_csr(self, name, cn):
        key, csr = self.path(name + ".key"), self.path(name + ".csr")
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key, "-out", csr, "-subj", f"/CN={cn}",
                "-addext", f"subjectAltName=DNS:{cn}")
        return csr

    def issue(self, name, cn, issuance_id, env=None, extra=()):
        """`signetd admin issue`; returns (returncode, leaf path, chain path, stderr)."""
        csr = self.make_csr(name, cn)
        out = self.path(name + ".bundle.pem")
        argv = [self.server.binary, "admin", "issue", "--csr", csr, "--issuance-id", issuance_id,
                "--output", out, "--set", "public_url=https://ca.signet.test", *extra] + \
            self.server._common_settings()
        proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              timeout=120, env=dict(os.environ, **(env or {})),
                              stdin=subprocess.DEVNULL)
        if proc.returncode != 0:
            return proc.returncode, None, None, proc.stderr
        pems = re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n",
                          open(out).read(), re.S)
        leaf, chain = self.path(name + ".pem"), self.path(name + ".chain.pem")
        open(leaf, "w").write(pems[0])
        open(chain, "w").write("".join(pems[1:2]))
        return 0, leaf, chain, proc.stderr

    def serial_of(self, leaf):
        return openssl("x509", "-in", leaf, "-noout", "-serial").decode().split("=")[1].strip().lower()

    def verify(self, leaf, chain, crl=None):
        args = ["verify", "-purpose", "sslserver", "-CAfile", self.root, "-untrusted", chain]
        if crl:
            args += ["-crl_check", "-CRLfile", crl]
        return openssl(*args, leaf, check=False).decode()

    def ocsp(self, leaf, chain, use_get=False):
        request = self.path("ocsp-req.der")
        openssl("ocsp", "-no_nonce", "-issuer", chain, "-cert", leaf, "-reqout", request)
        der = open(request, "rb").read()
        client = self.server.client()
        if use_get:
            response = client.get("/ocsp/" + base64.b64encode(der).decode())
        else:
            response = client.request("POST", "/ocsp", raw_body=der,
                                      content_type="application/ocsp-request")
        self.assertStatus(response, 200)
        self.assertEqual(response.content_type, "application/ocsp-response")
        answer = self.path("ocsp-resp.der")
        open(answer, "wb").write(response.raw)
        return openssl("ocsp", "-no_nonce", "-respin", answer, "-issuer", chain, "-cert", leaf,
                       "-CAfile", self.root, "-verify_other", chain, check=False).decode()

    def crl_for(self, leaf):
        text = openssl("x509", "-in", leaf, "-noout", "-ext", "crlDistributionPoints").decode()
        url = re.search(r"URI:(\S+)", text).group(1)
        path = url[url.index("/crl/"):]
        response = self.server.client().get(path)
        self.assertStatus(response, 200)
        der, pem = self.path("crl.der"), self.path("crl.pem")
        open(der, "wb").write(response.raw)
        openssl("crl", "-inform", "DER", "-in", der, "-out", pem)
        return pem

    def test_issued_chain_crl_and_ocsp_as_openssl_sees_them(self):
        code, leaf, chain, err = self.issue("web", "app.internal.test", "iss_web")
        self.assertEqual(code, 0, err)
        self.assertIn(": OK", self.verify(leaf, chain))
        self.assertIn(": OK", self.verify(leaf, chain, self.crl_for(leaf)))
        # The whole path with CRLs at every level: the issuer's shard and the root's CRL.
        root_crl = self.server.client().get("/crl/root.crl")
        self.assertStatus(root_crl, 200)
        open(self.path("root-crl.der"), "wb").write(root_crl.raw)
        both = self.path("both-crls.pem")
        openssl("crl", "-inform", "DER", "-in", self.path("root-crl.der"), "-out", both)
        with open(both, "a") as f:
            f.write(open(self.crl_for(leaf)).read())
        full = openssl("verify", "-crl_check_all", "-CAfile", self.root, "-untrusted", chain,
                       "-CRLfile", both, leaf, check=False).decode()
        self.assertIn(": OK", full)
        good = self.ocsp(leaf, chain)
        self.assertIn("Response verify OK", good)
        self.assertIn(": good", good)

        code, other, other_chain, err = self.issue("other", "db.internal.test", "iss_other")
        self.assertEqual(code, 0, err)
        serial = self.serial_of(other)
        self.server.admin_ok("revoke", "--serial", serial, "--reason", "keyCompromise")
        self.assertIn("certificate revoked", self.verify(other, other_chain, self.crl_for(other)))
        revoked = self.ocsp(other, other_chain, use_get=True)
        self.assertIn(": revoked", revoked)
        self.assertIn("Reason: keyCompromise", revoked)
        # Revoking twice says so.
        code, _, err = self.server.admin("revoke", "--serial", serial, "--reason", "keyCompromise")
        self.assertNotEqual(code, 0)
        self.assertIn("already revoked", err)

        # A serial Signet never issued is never "good".
        request = self.path("unknown-req.der")
        openssl("ocsp", "-no_nonce", "-issuer", chain, "-serial", "0x0123456789", "-reqout", request)
        response = self.server.client().request("POST", "/ocsp", raw_body=open(request, "rb").read(),
                                                content_type="application/ocsp-request")
        open(self.path("unknown.der"), "wb").write(response.raw)
        unknown = openssl("ocsp", "-no_nonce", "-respin", self.path("unknown.der"), "-issuer", chain,
                          "-serial", "0x0123456789", "-CAfile", self.root, "-verify_other", chain,
                          check=False).decode()
        self.assertIn(": unknown", unknown)

    def test_the_root_crl_can_be_signed_again(self):
        before = self.server.client().get("/crl/root.crl")
        self.assertStatus(before, 200)
        crl_path = os.path.join(self.server.data_dir, "ca", "root", "crl.der")
        first = open(crl_path, "rb").read()
        self.server.admin_ok("sign-root-crl")
        second = open(crl_path, "rb").read()
        self.assertNotEqual(first, second)
        text = openssl("crl", "-inform", "DER", "-in", crl_path, "-noout", "-text",
                       "-CAfile", self.root).decode()
        self.assertIn("verify OK", text)
        self.assertIn("Signet Root CA", text)

    def test_bad_csrs_are_refused_with_the_reason(self):
        garbage = self.path("garbage.csr")
        open(garbage, "w").write("hello")
        code, _, err = self.server.admin("issue", "--csr", garbage)
        self.assertEqual(code, 2)
        self.assertIn("not a certificate signing request", err)
        weak_key, weak_csr = self.path("weak.key"), self.path("weak.csr")
        openssl("req", "-new", "-newkey", "rsa:1024", "-nodes", "-keyout", weak_key, "-out",
                weak_csr, "-subj", "/CN=weak.internal.test")
        code, _, err = self.server.admin("issue", "--csr", weak_csr)
        self.assertEqual(code, 2)
        self.assertIn("1024 bits", err)
        csr = self.make_csr("names", "a.internal.test")
        code, _, err = self.server.admin("issue", "--csr", csr, "--names", "b.internal.test")
        self.assertEqual(code, 2)
        self.assertIn("a.internal.test", err)

    def test_an_imported_ca_issues_certificates_that_chain_to_its_own_root(self):
        def p(name):
            return self.path(name)
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384", "-nodes",
                "-keyout", p("ext-root.key"), "-out", p("ext-root.pem"), "-days", "3650",
                "-subj", "/C=CN/O=Elsewhere/CN=Elsewhere Root",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-passout", "pass:imported-key-pass", "-keyout", p("ext-int.key"),
                "-out", p("ext-int.csr"), "-subj", "/C=CN/O=Elsewhere/CN=Elsewhere Issuing CA")
        open(p("ext.cnf"), "w").write(
            "[v3]\nbasicConstraints=critical,CA:TRUE,pathlen:0\n"
            "keyUsage=critical,keyCertSign,cRLSign,digitalSignature\n"
            "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n")
        openssl("x509", "-req", "-in", p("ext-int.csr"), "-CA", p("ext-root.pem"), "-CAkey",
                p("ext-root.key"), "-CAcreateserial", "-days", "1825", "-out", p("ext-int.pem"),
                "-extfile", p("ext.cnf"), "-extensions", "v3")
        open(p("pass.txt"), "w").write("imported-key-pass\n")
        # A key that is not the certificate's is refused, naming the problem.
        code, _, err = self.server.admin("import-issuer", "--name", "elsewhere", "--cert",
                                         p("ext-int.pem"), "--key", p("ext-root.key"),
                                         "--chain", p("ext-root.pem"))
        self.assertEqual(code, 2)
        self.assertIn("does not belong", err)
        code, _, err = self.server.admin("import-issuer", "--name", "elsewhere", "--cert",
                                         p("ext-int.pem"), "--key", p("ext-int.key"),
                                         "--key-passphrase-file", p("pass.txt"))
        self.assertEqual(code, 2)
        self.assertIn("chain", err)
        self.server.admin_ok("import-issuer", "--name", "elsewhere", "--cert", p("ext-int.pem"),
                             "--key", p("ext-int.key"), "--key-passphrase-file", p("pass.txt"),
                             "--chain", p("ext-root.pem"))
        self.server.stop()
        self.server.start()
        served = self.server.client().get("/ca/elsewhere-chain.pem")
        self.assertStatus(served, 200)
        code, leaf, chain, err = self.issue("imported", "imported.internal.test", "iss_imported",
                                            extra=("--issuer", "elsewhere"))
        self.assertEqual(code, 0, err)
        verify = openssl("verify", "-CAfile", p("ext-root.pem"), "-untrusted", chain, leaf,
                         check=False).decode()
        self.assertIn(": OK", verify)
        self.assertNotIn(": OK", self.verify(leaf, chain))  # not under Signet's own root

    def issued_count(self):
        """Certificates of this test's issuances (the listener's own certificate aside)."""
        return int(self.sql(self.server, "SELECT count(*) FROM certificates "
                                         "WHERE issuance_id LIKE 'iss_crash_%'").strip())

    def test_kill_9_at_each_step_leaves_exactly_one_certificate(self):
        expected = 0
        for step in ("reserved", "linted", "signed"):
            issuance = f"iss_crash_{step}"
            code, _, _, err = self.issue(step, f"{step}.internal.test", issuance,
                                         env={"SIGNET_TEST_CRASH_AFTER_STEP": step})
            self.assertEqual(code, -9, f"expected SIGKILL after {step}: {err}")
            count = self.issued_count()
            self.assertEqual(count, expected, f"after a crash at {step}")
            reserved = self.sql(self.server, "SELECT serial_hex FROM issuances WHERE id = "
                                f"'{issuance}'").strip()
            self.assertTrue(reserved, f"no serial reserved before the crash at {step}")
            if step == "signed":
                # Resumed by the server at start.
                self.server.stop()
                self.server.start()
            else:
                code, leaf, chain, err = self.issue(step + "-again", f"{step}.internal.test",
                                                    issuance)
                self.assertEqual(code, 0, err)
                self.assertEqual(self.serial_of(leaf), reserved)
                self.assertIn(": OK", self.verify(leaf, chain))
            expected += 1
            count = self.issued_count()
            self.assertEqual(count, expected, f"after resuming the crash at {step}")
            serials = self.sql(self.server, "SELECT count(DISTINCT serial_hex) FROM issuances").strip()
            issuances = self.sql(self.server, "SELECT count(*) FROM issuances").strip()
            self.assertEqual(serials, issuances, "a serial was reserved twice")
        self.assertEqual(self.server.admin("verify-audit")[0], 0)


harness.make_backend_tests(globals(), CaCore)

if __name__ == "__main__":
    harness.main()
