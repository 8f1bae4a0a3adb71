"""First start: the data directory, the listener's trust anchor, the initial administrator."""

import os
import re
import shutil
import socket
import ssl
import stat
import subprocess
import tempfile

import harness


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


class FirstStart:
    def test_first_start_sets_everything_up(self):
        server = self.new_signetd()
        self.assertFalse(os.path.exists(server.data_dir))
        server.start()

        self.assertTrue(os.path.isdir(server.data_dir))
        self.assertEqual(mode(server.data_dir), 0o700, "data_dir is private")
        db = os.path.join(server.data_dir, "signet.db")
        if self.backend == "sqlite":
            self.assertTrue(os.path.isfile(db), "the SQLite database is in data_dir")
        else:
            self.assertFalse(os.path.exists(db), "no SQLite file when using PostgreSQL")
        self.assertTrue(os.path.isfile(server.ca_file))
        with open(server.ca_file) as f:
            self.assertIn("-----BEGIN CERTIFICATE-----", f.read())
        with open(server.addr_file) as f:
            self.assertEqual(f.read().strip(), f"127.0.0.1:{server.port}")

        admin_file = os.path.join(server.data_dir, "initial-admin.txt")
        self.assertEqual(mode(admin_file), 0o600, "initial-admin.txt is readable by its owner only")
        admin = server.initial_admin()
        self.assertEqual(set(admin), {"email", "password", "api_key"}, admin)
        self.assertTrue(admin["api_key"].startswith("sk_"), admin)
        self.assertTrue(admin["password"])
        self.assertIn("@", admin["email"])
        # Standard output here is a file (as under systemd or docker logs): the secrets are not
        # printed there, nor logged; the message says where they are.
        self.assertNotIn(admin["api_key"], server.stdout(), "no key on a non-terminal stdout")
        self.assertNotIn(admin["password"], server.stdout())
        self.assertIn(admin_file, server.stdout())
        self.assertNotIn(admin["api_key"], server.stderr(), "the key is never logged")
        self.assertNotIn(admin["password"], server.stderr())

        # Private keys (and a generated CA key passphrase) are readable by their owner only.
        secrets = []
        for root, _, files in os.walk(server.data_dir):
            for name in files:
                if name.endswith(".key") or name == "passphrase":
                    secrets.append(os.path.join(root, name))
        self.assertTrue(secrets, "the listener key is in data_dir")
        for path in secrets:
            self.assertEqual(mode(path) & 0o077, 0, f"{path} is group/world readable")

        response = server.client(admin["api_key"]).get("/api/v1/session")
        self.assertStatus(response, 200)
        self.assertEqual(response.body["user"]["email"], admin["email"])
        self.assertEqual(response.body["user"]["role"], "admin")

        # The initial password signs in on the console.
        login = server.client().post("/api/v1/session",
                                     {"email": admin["email"], "password": admin["password"]})
        self.assertStatus(login, 200)

        # Secrets go to stdout once, never to the log.
        log = server.stderr()
        self.assertNotIn(admin["api_key"], log)
        self.assertNotIn(admin["password"], log)

    def test_second_start_keeps_the_admin(self):
        first = self.start_signetd()
        admin = first.initial_admin()
        admin_file = os.path.join(first.data_dir, "initial-admin.txt")
        with open(admin_file) as f:
            content = f.read()
        mtime = os.stat(admin_file).st_mtime_ns
        with open(first.ca_file) as f:
            anchor = f.read()
        self.assertEqual(first.stop(), 0)

        second = self.start_signetd(data_dir=first.data_dir, database_url=first.database_url)
        self.assertNotEqual(second.stdout_path, first.stdout_path)
        out = second.stdout()
        self.assertNotIn("sk_", out, "no new key is printed on the second start")
        self.assertNotIn(admin["password"], out)
        # It says where the console is and where the credentials are, as the first start did.
        self.assertIn(f"Console: {second.url}/", out)
        self.assertIn(admin_file, out)
        with open(admin_file) as f:
            self.assertEqual(f.read(), content, "initial-admin.txt is not rewritten")
        self.assertEqual(os.stat(admin_file).st_mtime_ns, mtime)
        with open(second.ca_file) as f:
            self.assertEqual(f.read(), anchor, "the trust anchor is kept")

        # The first key still works and there is still exactly one administrator.
        client = second.client(admin["api_key"])
        self.assertStatus(client.get("/api/v1/session"), 200)
        users = client.get("/api/v1/users?page_size=200")
        self.assertStatus(users, 200)
        admins = [u for u in users.body["items"] if u["role"] == "admin"]
        self.assertEqual(len(admins), 1, users.body)

    def test_listener_certificate_names_the_public_url_host(self):
        """Colleagues reach Signet by public_url's host name: the listener certificate names it,
        and is issued again when public_url changes."""
        server = self.new_signetd(settings={"public_url": "https://signet.corp.example:8443"})
        server.start()
        context = harness.tls_context(server.ca_file)

        def handshake(name):
            with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
                with context.wrap_socket(sock, server_hostname=name) as tls:
                    return tls.getpeercert(binary_form=True)

        first = handshake("signet.corp.example")
        self.assertEqual(first, handshake("localhost"), "one certificate for every name")
        self.assertEqual(server.stop(), 0)
        server.settings = [(k, v) for k, v in server.settings if k != "public_url"]
        server.settings.append(("public_url", "https://pki.corp.example/"))
        server.start()
        second = handshake("pki.corp.example")
        self.assertNotEqual(first, second, "a new public_url host gets a new certificate")
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
            with self.assertRaises(ssl.SSLCertVerificationError):
                context.wrap_socket(sock, server_hostname="signet.corp.example")

    def test_listener_certificate_chains_to_ca_pem(self):
        server = self.start_signetd()

        # Python's TLS stack, trusting only ca.pem, by IP and by DNS name.
        context = harness.tls_context(server.ca_file)
        for name in ("127.0.0.1", "localhost"):
            with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
                with context.wrap_socket(sock, server_hostname=name) as tls:
                    self.assertIn(tls.version(), ("TLSv1.2", "TLSv1.3"))
                    leaf_der = tls.getpeercert(binary_form=True)
        # ...and not a name the certificate does not carry.
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
            with self.assertRaises(ssl.SSLCertVerificationError):
                context.wrap_socket(sock, server_hostname="example.com")
        # A client trusting only the system CAs refuses it.
        system = ssl.create_default_context()
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
            with self.assertRaises(ssl.SSLCertVerificationError):
                system.wrap_socket(sock, server_hostname="127.0.0.1")

        # openssl verify accepts the certificate the listener presents, through the issuing CA
        # it sends along (the chain file it serves) up to ca.pem, Signet's root.
        work = tempfile.mkdtemp(prefix="signet-cert-")
        try:
            leaf = os.path.join(work, "leaf.pem")
            with open(leaf, "w") as f:
                f.write(ssl.DER_cert_to_PEM_cert(leaf_der))
            verify = subprocess.run(
                ["openssl", "verify", "-CAfile", server.ca_file, "-untrusted",
                 os.path.join(server.data_dir, "tls", "listener.pem"), "-verify_ip", "127.0.0.1",
                 leaf],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
            self.assertEqual(verify.returncode, 0, verify.stdout)
            self.assertIn("OK", verify.stdout)

            s_client = subprocess.run(
                ["openssl", "s_client", "-connect", f"127.0.0.1:{server.port}", "-CAfile",
                 server.ca_file, "-verify_return_error", "-verify_ip", "127.0.0.1",
                 "-servername", "localhost"],
                input="", stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                timeout=60)
            self.assertEqual(s_client.returncode, 0, s_client.stdout[-2000:])
            self.assertRegex(s_client.stdout, r"Verify return code: 0 \(ok\)")
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def test_curl_with_cacert(self):
        # On a terminal the first start shows the credentials once (and logs none of them).
        server = self.new_signetd()
        server.stdout_tty = True
        server.start()
        if shutil.which("curl") is None:
            self.skipTest("curl is not installed")
        result = subprocess.run(
            ["curl", "--silent", "--show-error", "--fail", "--noproxy", "*", "--max-time", "30",
             "--cacert", server.ca_file, f"https://127.0.0.1:{server.port}/healthz"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout, r'"status"\s*:\s*"ok"')
        # The command the first start suggests works as printed.
        match = re.search(r"api key:\s*(sk_\S+)", server.stdout())
        self.assertIsNotNone(match, server.stdout())
        result = subprocess.run(
            ["curl", "--silent", "--show-error", "--fail", "--noproxy", "*", "--max-time", "30",
             "--cacert", server.ca_file, "-H", f"Authorization: Bearer {match.group(1)}",
             f"https://127.0.0.1:{server.port}/api/v1/session"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn('"role":"admin"', result.stdout.replace(" ", ""))
        self.assertNotIn(match.group(1), server.stderr(), "the key is never logged")

    def test_bad_settings_fail_clearly(self):
        code, _, err = self.new_signetd().admin("migrate", "--set", "no.such.setting=1")
        self.assertNotEqual(code, 0)
        self.assertIn("no.such.setting", err)
        server = self.new_signetd(settings={"no.such.setting": "1"})
        with self.assertRaises(harness.StartError) as raised:
            server.start()
        self.assertIn("no.such.setting", str(raised.exception))
        server = self.new_signetd(settings={"listen": "not-an-address"})
        with self.assertRaises(harness.StartError) as raised:
            server.start()
        self.assertIn("listen", str(raised.exception))


harness.make_backend_tests(globals(), FirstStart)

if __name__ == "__main__":
    harness.main()
