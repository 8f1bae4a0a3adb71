"""ACME interop: Debian's certbot, lego, dehydrated and uacme obtain certificates from the real
signetd over http-01 (each answering on the port signetd validates, as Pebble lets tests do),
lego also by dns-01 through RFC 2136 to the test's Knot server and by tls-alpn-01, and with
external account binding when signetd requires it. Every certificate verifies with
`openssl verify` against Signet's root; certbot also renews and revokes, and the revocation
shows in OCSP. Names live in the unsigned test zone, which points them at 127.0.0.1."""

import glob
import os
import shutil
import subprocess
import textwrap

import dcv_servers
import harness

CLIENT_TIMEOUT = 120


class AcmeClients:
    def start_world(self, extra=None):
        tmp = self.temp_dir()
        self.tmp = tmp
        self.dns = dcv_servers.AuthoritativeDns(os.path.join(tmp, "dns"))
        self.addCleanup(self.dns.stop)
        anchors = self.dns.trust_anchor_file(os.path.join(tmp, "anchors.txt"))
        self.http_port = dcv_servers.free_port()
        self.tls_port = dcv_servers.free_port()
        settings = {
            "validation.dns_resolvers": self.dns.address,
            "validation.dns_trust_anchors": anchors,
            "names.internal_suffixes": "test",
            "validation.allow_private_addresses": "true",
            "validation.http_port": str(self.http_port),
            "validation.tls_alpn_port": str(self.tls_port),
            "validation.timeout_ms": "5000",
            "jobs.poll_interval_ms": "100",
        }
        settings.update(extra or {})
        self.server = self.start_signetd(settings=settings)
        self.directory = self.server.url + "/acme/directory"
        return self.server

    def name(self, label):
        """A fresh name under insecure.test that resolves to 127.0.0.1."""
        name = f"{label}.insecure.test"
        self.dns.set_records(name, "A", ["127.0.0.1"])
        return name

    def run_client(self, argv, env=None, cwd=None):
        full_env = dict(os.environ)
        full_env.update(env or {})
        try:
            proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, timeout=CLIENT_TIMEOUT,
                                  env=full_env, cwd=cwd)
        except subprocess.TimeoutExpired as e:
            logs = "".join(harness.tail(p, 40) for p in glob.glob(f"{self.tmp}/*/logs/*.log"))
            self.fail(f"{argv[0]} timed out: {e.output}\n{logs}")
        if proc.returncode != 0:
            logs = "".join(harness.tail(p, 30) for p in glob.glob(f"{self.tmp}/*/logs/*.log"))
            self.fail(f"{argv[0]} failed ({proc.returncode}):\n{proc.stdout[-6000:]}\n{logs}\n"
                      f"signetd log:\n{harness.tail(self.server.log_path, 40)}")
        return proc.stdout

    def assertVerifies(self, cert_path, name, chain_path=None):
        """openssl verify against Signet's root, with the chain the client saved."""
        argv = ["openssl", "verify", "-CAfile", self.server.ca_file]
        if chain_path:
            argv += ["-untrusted", chain_path]
        argv.append(cert_path)
        proc = subprocess.run(argv, capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        text = subprocess.run(["openssl", "x509", "-in", cert_path, "-noout", "-ext",
                               "subjectAltName"], capture_output=True, text=True).stdout
        self.assertIn(f"DNS:{name}", text)

    # -- certbot --

    def certbot(self, *args):
        base = os.path.join(self.tmp, "certbot")
        return self.run_client(
            ["certbot", "--non-interactive", "--config-dir", f"{base}/config", "--work-dir",
             f"{base}/work", "--logs-dir", f"{base}/logs", "--server", self.directory,
             "--no-verify-ssl", "--agree-tos", "--register-unsafely-without-email", *args],
            env={"REQUESTS_CA_BUNDLE": self.server.ca_file})

    def test_certbot_issue_renew_revoke(self):
        self.start_world()
        name = self.name("certbot")
        self.certbot("certonly", "--standalone", "--http-01-port", str(self.http_port),
                     "--http-01-address", "127.0.0.1", "-d", name, "--cert-name", "t")
        live = os.path.join(self.tmp, "certbot", "config", "live", "t")
        self.assertVerifies(f"{live}/cert.pem", name, f"{live}/chain.pem")
        first = open(f"{live}/cert.pem").read()
        self.certbot("renew", "--force-renewal", "--no-random-sleep-on-renew", "--standalone", "--http-01-port",
                     str(self.http_port), "--http-01-address", "127.0.0.1")
        second = open(f"{live}/cert.pem").read()
        self.assertNotEqual(first, second, "renewal gave the same certificate")
        self.assertVerifies(f"{live}/cert.pem", name, f"{live}/chain.pem")
        self.certbot("revoke", "--cert-path", f"{live}/cert.pem", "--reason", "keycompromise",
                     "--no-delete-after-revoke")
        # The revocation is real: OCSP says so.
        serial = subprocess.run(["openssl", "x509", "-in", f"{live}/cert.pem", "-noout",
                                 "-serial"], capture_output=True, text=True).stdout
        serial = serial.strip().split("=")[1].lower()
        cert = self.server.client().get(f"/ca/chain.pem")
        self.assertStatus(cert, 200)
        proc = subprocess.run(["openssl", "ocsp", "-issuer", f"{live}/chain.pem", "-cert",
                               f"{live}/cert.pem", "-url", self.server.url + "/ocsp",
                               "-CAfile", self.server.ca_file, "-no_nonce"],
                              capture_output=True, text=True)
        self.assertIn("revoked", proc.stdout + proc.stderr, serial)

    # -- lego --

    def lego(self, name, *args, env=None):
        base = os.path.join(self.tmp, "lego-" + name)
        self.run_client(["lego", "--server", self.directory, "--email", "ops@example.com",
                         "--accept-tos", "--path", base, "--domains", name, "--key-type", "ec256",
                         *args, "run"],
                        env=dict({"LEGO_CA_CERTIFICATES": self.server.ca_file}, **(env or {})))
        certs = os.path.join(base, "certificates")
        self.assertVerifies(os.path.join(certs, name.replace("*", "_") + ".crt"), name,
                            os.path.join(certs, name.replace("*", "_") + ".issuer.crt"))

    def test_lego_http_tls_alpn_and_dns(self):
        self.start_world()
        self.lego(self.name("lego-http"), "--http", "--http.port", f"127.0.0.1:{self.http_port}")
        self.lego(self.name("lego-alpn"), "--tls", "--tls.port", f"127.0.0.1:{self.tls_port}")
        # dns-01 by RFC 2136 into the test zone, with the applicant's TSIG key; a wildcard needs it.
        key = self.dns.applicant_key
        self.lego("*.lego-dns.insecure.test", "--dns", "rfc2136", "--dns.resolvers",
                  self.dns.address, "--dns.disable-cp",
                  env={"RFC2136_NAMESERVER": self.dns.address, "RFC2136_TSIG_KEY": key.name,
                       "RFC2136_TSIG_SECRET": key.secret,
                       "RFC2136_TSIG_ALGORITHM": key.algorithm + ".",
                       "RFC2136_PROPAGATION_TIMEOUT": "60", "RFC2136_POLLING_INTERVAL": "1"})

    def test_lego_with_required_eab(self):
        self.start_world({"acme.require_eab": "true"})
        api = self.server.client(self.server.create_owner("eab@example.com", "eab"))
        name = self.name("lego-eab")
        base = os.path.join(self.tmp, "lego-refused")
        proc = subprocess.run(["lego", "--server", self.directory, "--email", "ops@example.com",
                               "--accept-tos", "--path", base, "--domains", name, "--http",
                               "--http.port", f"127.0.0.1:{self.http_port}", "run"],
                              env=dict(os.environ, LEGO_CA_CERTIFICATES=self.server.ca_file),
                              capture_output=True, text=True, timeout=CLIENT_TIMEOUT)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("External Account Binding", proc.stdout + proc.stderr)
        r = api.post("/api/v1/eab-keys", {"name": "lego"})
        self.assertStatus(r, 201)
        eab = r.body
        self.lego(name, "--eab", "--kid", eab["key_id"], "--hmac", eab["hmac_key"], "--http",
                  "--http.port", f"127.0.0.1:{self.http_port}")
        # The certificate belongs to the applicant account the key was made for.
        listed = api.get("/api/v1/certificates?domain=" + name)
        self.assertStatus(listed, 200)
        self.assertEqual(len(listed.body["items"]), 1, listed.body)
        keys = api.get("/api/v1/eab-keys").body["items"]
        self.assertTrue(keys[0]["acme_account"])
        # A key binds once.
        other = subprocess.run(["lego", "--server", self.directory, "--email", "x@example.com",
                                "--accept-tos", "--path", os.path.join(self.tmp, "lego-again"),
                                "--domains", name, "--eab", "--kid", eab["key_id"], "--hmac",
                                eab["hmac_key"], "--http", "--http.port",
                                f"127.0.0.1:{self.http_port}", "run"],
                               env=dict(os.environ, LEGO_CA_CERTIFICATES=self.server.ca_file),
                               capture_output=True, text=True, timeout=CLIENT_TIMEOUT)
        self.assertNotEqual(other.returncode, 0)
        self.assertIn("already used", other.stdout + other.stderr)

    # -- dehydrated and uacme: they leave answering http-01 to a web server --

    def start_webroot(self):
        """A static web server on the validation port, serving <root>/.well-known/..."""
        root = os.path.join(self.tmp, "webroot")
        challenges = os.path.join(root, ".well-known", "acme-challenge")
        os.makedirs(challenges, exist_ok=True)
        proc = subprocess.Popen(["/usr/bin/python3", "-m", "http.server", str(self.http_port),
                                 "--bind", "127.0.0.1", "--directory", root],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        self.addCleanup(proc.wait)
        self.addCleanup(proc.terminate)
        harness.wait_until(lambda: dcv_servers.tcp_listening(self.http_port), 30,
                           message="the webroot server listening")
        return challenges

    def test_dehydrated(self):
        self.start_world()
        challenges = self.start_webroot()
        name = self.name("dehydrated")
        base = os.path.join(self.tmp, "dehydrated")
        os.makedirs(base)
        config = os.path.join(base, "config")
        with open(config, "w") as f:
            f.write(textwrap.dedent(f"""\
                CA="{self.directory}"
                CHALLENGETYPE="http-01"
                WELLKNOWN="{challenges}"
                BASEDIR="{base}"
                KEY_ALGO=prime256v1
                CURL_OPTS="--cacert {self.server.ca_file}"
                """))
        self.run_client(["dehydrated", "--register", "--accept-terms", "-f", config])
        self.run_client(["dehydrated", "-c", "-d", name, "-f", config])
        live = os.path.join(base, "certs", name)
        self.assertVerifies(os.path.join(live, "cert.pem"), name, os.path.join(live, "chain.pem"))

    def test_uacme(self):
        self.start_world()
        challenges = self.start_webroot()
        name = self.name("uacme")
        confdir = os.path.join(self.tmp, "uacme")
        # uacme trusts only the system's CA file (libcurl-gnutls, no option); give it Signet's
        # root there, in a mount namespace of its own, so the machine's file is untouched.
        unshare = ["unshare", "--mount", "--propagation", "private"]
        if os.getuid() != 0:
            unshare = ["unshare", "--user", "--map-root-user", "--mount"]
        def uacme(*args):
            script = ("mount --bind \"$0\" /etc/ssl/certs/ca-certificates.crt && "
                      "exec \"$@\"")
            return self.run_client(unshare + ["sh", "-c", script, self.server.ca_file, "uacme",
                                              "-y", "-v", "-c", confdir, "-a", self.directory,
                                              *args],
                                   env={"UACME_CHALLENGE_PATH": challenges})
        uacme("new")
        uacme("-t", "EC", "-h", "/usr/share/uacme/uacme.sh", "issue", name)
        cert = os.path.join(confdir, name, "cert.pem")
        self.assertVerifies(cert, name, cert)


harness.make_backend_tests(globals(), AcmeClients, backends=["sqlite"])

if __name__ == "__main__":
    harness.main()
