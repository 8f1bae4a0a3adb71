"""Download formats opened by the software that uses them: nginx + curl, openssl pkcs12, keytool."""

import os
import shutil
import socket
import subprocess
import zipfile

import harness

PUBLIC_URL = "https://ca.signet.test"


def free_port():
    # nginx needs a port number in its configuration; take one the kernel says is free.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Exports:
    def setUp(self):
        self.server = self.start_signetd(settings={"public_url": PUBLIC_URL})
        self.dir = self.temp_dir()
        response = self.server.client().get("/ca/root.pem")
        self.assertStatus(response, 200)
        self.root = os.path.join(self.dir, "root.pem")
        open(self.root, "wb").write(response.raw)

    def issue(self, fmt, algorithm="ecdsa-p256", *extra):
        """Issues app.internal.test with a generated key; returns (files dir, password)."""
        out = os.path.join(self.dir, f"{fmt}-{algorithm}.zip")
        argv = [self.server.binary, "admin", "issue", "--generate-key", algorithm, "--names",
                "app.internal.test,www.app.internal.test", "--format", fmt, "--output", out,
                "--set", f"public_url={PUBLIC_URL}", *extra] + self.server._common_settings()
        proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              timeout=120, stdin=subprocess.DEVNULL)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        # The bundle holds a private key: its owner's alone, as the CLI writes downloads.
        self.assertEqual(os.stat(out).st_mode & 0o777, 0o600, f"mode of {out}")
        # Results on standard output, logs on standard error only.
        for line in proc.stdout.splitlines():
            self.assertFalse(line.startswith("{"), f"a log line on standard output: {line}")
        password = None
        for line in proc.stderr.splitlines():
            if line.startswith("password: "):
                password = line.split(": ", 1)[1]
        target = os.path.join(self.dir, f"{fmt}-{algorithm}")
        with zipfile.ZipFile(out) as z:
            z.extractall(target)
        return target, password

    def test_nginx_serves_the_bundle_and_curl_trusts_only_signets_root(self):
        files, _ = self.issue("nginx")
        self.assertEqual(sorted(os.listdir(files)), ["app.internal.test.crt", "app.internal.test.key"])
        port = free_port()
        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""
daemon off;
master_process off;
pid {self.dir}/nginx.pid;
error_log {self.dir}/nginx-error.log;
events {{ worker_connections 16; }}
http {{
  access_log off;
  client_body_temp_path {self.dir}/body;
  proxy_temp_path {self.dir}/proxy;
  fastcgi_temp_path {self.dir}/fastcgi;
  uwsgi_temp_path {self.dir}/uwsgi;
  scgi_temp_path {self.dir}/scgi;
  server {{
    listen 127.0.0.1:{port} ssl;
    server_name app.internal.test;
    ssl_certificate {files}/app.internal.test.crt;
    ssl_certificate_key {files}/app.internal.test.key;
    location / {{ return 200 "served by nginx\\n"; }}
  }}
}}
""")
        nginx = subprocess.Popen(["nginx", "-c", conf, "-p", self.dir], stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT)
        try:
            def listening():
                with socket.socket() as s:
                    return s.connect_ex(("127.0.0.1", port)) == 0
            harness.wait_until(lambda: listening() or nginx.poll() is not None, 30,
                               message="nginx listening")
            if nginx.poll() is not None:
                self.fail(f"nginx exited: {nginx.stdout.read()}")
            curl = subprocess.run(
                ["curl", "-sS", "--cacert", self.root, "--resolve",
                 f"www.app.internal.test:{port}:127.0.0.1",
                 f"https://www.app.internal.test:{port}/"],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=30)
            self.assertEqual(curl.returncode, 0, curl.stdout)
            self.assertEqual(curl.stdout, "served by nginx\n")
            # Without Signet's root, the handshake is refused: curl trusted nothing else.
            untrusted = subprocess.run(
                ["curl", "-sS", "--cacert", "/dev/null", "--capath", "/nonexistent", "--resolve",
                 f"app.internal.test:{port}:127.0.0.1", f"https://app.internal.test:{port}/"],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=30)
            self.assertNotEqual(untrusted.returncode, 0)
        finally:
            nginx.terminate()
            nginx.wait(timeout=30)

    def test_pkcs12_modern_and_legacy_open_with_their_password(self):
        files, password = self.issue("pkcs12", "rsa-2048")
        self.assertTrue(password)
        self.assertEqual(open(os.path.join(files, "password.txt")).read().strip(), password)
        p12 = os.path.join(files, "app.internal.test.p12")
        info = subprocess.run(["openssl", "pkcs12", "-in", p12, "-passin", f"pass:{password}",
                               "-info", "-nodes"], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
        self.assertEqual(info.returncode, 0, info.stdout)
        self.assertIn("AES-256-CBC", info.stdout)
        self.assertIn("BEGIN PRIVATE KEY", info.stdout)
        wrong = subprocess.run(["openssl", "pkcs12", "-in", p12, "-passin", "pass:wrong-password",
                                "-nokeys"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.assertNotEqual(wrong.returncode, 0)

        files, _ = self.issue("iis", "rsa-2048", "--legacy-pkcs12", "--password", "chosen-by-me")
        pfx = os.path.join(files, "app.internal.test.pfx")
        legacy = subprocess.run(["openssl", "pkcs12", "-in", pfx, "-passin", "pass:chosen-by-me",
                                 "-info", "-nokeys"], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        self.assertEqual(legacy.returncode, 0, legacy.stdout)
        self.assertIn("pbeWithSHA1And3-KeyTripleDES-CBC", legacy.stdout)

    def test_keytool_opens_the_jks_of_the_tomcat_bundle(self):
        if shutil.which("keytool") is None:
            self.fail("keytool is missing: scripts/install-deps.sh installs default-jre-headless")
        files, password = self.issue("tomcat", "ecdsa-p256")
        jks = os.path.join(files, "app.internal.test.jks")
        listing = subprocess.run(["keytool", "-list", "-v", "-keystore", jks, "-storepass", password],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                 timeout=120)
        self.assertEqual(listing.returncode, 0, listing.stdout)
        self.assertIn("PrivateKeyEntry", listing.stdout)
        self.assertIn("Certificate chain length: 2", listing.stdout)
        self.assertIn("CN=app.internal.test", listing.stdout)
        tampered = subprocess.run(["keytool", "-list", "-keystore", jks, "-storepass",
                                   "not-the-password"], stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, timeout=120)
        self.assertNotEqual(tampered.returncode, 0)
        self.assertTrue(os.path.exists(os.path.join(files, "app.internal.test.p12")))

    def test_formats_that_need_the_key_refuse_without_it(self):
        key, csr = os.path.join(self.dir, "k.pem"), os.path.join(self.dir, "r.csr")
        subprocess.run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", csr, "-subj",
                        "/CN=csr.internal.test"], check=True, capture_output=True)
        code, _, err = self.server.admin("issue", "--csr", csr, "--format", "pkcs12",
                                         "--output", os.path.join(self.dir, "x.zip"))
        self.assertNotEqual(code, 0)
        self.assertIn("does not hold", err)
        code, _, err = self.server.admin("issue", "--csr", csr, "--format", "zip")
        self.assertNotEqual(code, 0)
        self.assertIn("format must be one of", err)


harness.make_backend_tests(globals(), Exports, backends=["sqlite"])

if __name__ == "__main__":
    harness.main()
