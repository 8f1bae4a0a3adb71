"""The `signet` command-line client against the real signetd and real DNS (Knot): login with a
0600 credentials file, a DV order from purchase to a downloaded nginx bundle that openssl
accepts, live progress while waiting, stable JSON output, problem documents and connection
failures as one-line errors, usage errors, and --help."""

import io
import json
import os
import socket
import stat
import subprocess
import zipfile

import harness
from test_orders import ADMIN, OrderFixture, openssl

CLI_TIMEOUT_SECONDS = 120


def signet_binary():
    path = os.path.join(os.path.dirname(harness.signetd_binary()), "signet")
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"{path} is not an executable file; build it first")
    return path


class CliFixture:
    def cli_env(self, **extra):
        """The CLI's environment: no SIGNET_* from the caller, a private HOME and config file."""
        if not hasattr(self, "_cli_home"):
            self._cli_home = self.temp_dir()
            # Parents that do not exist yet: login must create them (0700).
            self.config = os.path.join(self._cli_home, "conf", "signet", "credentials")
        env = {k: v for k, v in os.environ.items() if not k.startswith("SIGNET_")}
        env.update(HOME=self._cli_home, SIGNET_CONFIG=self.config)
        env.pop("XDG_CONFIG_HOME", None)
        env.update(extra)
        return env

    def signet(self, *args, expect=0, env=None, input=None, cwd=None):
        """Runs the CLI; returns (stdout, stderr). Every output is kept to look for the key."""
        proc = subprocess.run([signet_binary(), *map(str, args)], input=input,
                              stdin=None if input is not None else subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env or self.cli_env(), cwd=cwd, timeout=CLI_TIMEOUT_SECONDS)
        self.outputs = getattr(self, "outputs", []) + [proc.stdout, proc.stderr]
        if expect is not None and proc.returncode != expect:
            self.fail(f"signet {' '.join(map(str, args))} exited {proc.returncode}, expected "
                      f"{expect}\nstdout: {proc.stdout}\nstderr: {proc.stderr}")
        return proc.stdout, proc.stderr

    def signet_json(self, *args):
        out, _ = self.signet("-o", "json", *args)
        return json.loads(out)

    def login(self):
        return self.signet("login", "--url", self.server.url, "--api-key", self.api.key,
                           "--ca-file", self.server.ca_file)

    def assertKeyNeverShown(self):
        for text in self.outputs:
            self.assertNotIn(self.api.key, text)


class CliTests(CliFixture, OrderFixture):
    def test_dv_order_from_purchase_to_nginx_bundle(self):
        self.start_world(web=False, smtp=False)
        out, _ = self.login()
        self.assertIn("dcv@example.com", out)
        mode = os.stat(self.config).st_mode
        self.assertEqual(stat.S_IMODE(mode), 0o600, oct(mode))
        self.assertEqual(stat.S_IMODE(os.stat(os.path.dirname(self.config)).st_mode), 0o700)
        with open(self.config) as f:
            saved = json.load(f)
        self.assertEqual(saved["api_key"], self.api.key)
        self.assertEqual(saved["ca_file"], os.path.abspath(self.server.ca_file))
        out, _ = self.signet("whoami")
        self.assertIn("dcv@example.com", out)

        products = self.signet_json("products")
        self.assertIn("dv-single", [p["id"] for p in products["items"]])
        order = self.signet_json("order", "create", "--product", "dv-single")
        self.assertEqual(order["status"], "pending_information")
        oid = order["id"]
        out, _ = self.signet("order", "application", oid, "--domain", "cli.insecure.test",
                             "--generate-key", "ecdsa-p256", "--admin-name", ADMIN["name"],
                             "--admin-email", ADMIN["email"], "--admin-phone", ADMIN["phone"],
                             "--admin-position", ADMIN["position"], "--method", "dns_txt")
        self.assertIn(oid, out)
        self.assertIn("cli.insecure.test", out)
        order = self.signet_json("order", "submit", oid)
        self.assertEqual(order["status"], "processing", order)
        self.assertEqual(order["sub_status"], "PENDING-DCV", order)
        self.assertEqual([v["for"] for v in order["validations"]], ["cli.insecure.test"])
        # A list is the API's whole page document.
        listed = self.signet_json("order", "list", "--status", "processing")
        self.assertEqual(set(listed), {"items", "next_page_token"})
        self.assertEqual([o["id"] for o in listed["items"]], [oid])

        # Wait while the record is not there yet: the progress shows what to publish; once it
        # is published and checked, the order is issued and the wait ends.
        tmp = self.temp_dir()
        progress_path = os.path.join(tmp, "wait.stderr")
        with open(progress_path, "w") as progress, open(os.path.join(tmp, "wait.stdout"),
                                                        "w") as stdout:
            waiter = subprocess.Popen([signet_binary(), "order", "wait", oid, "--until",
                                       "issued", "--timeout", "90"],
                                      stdin=subprocess.DEVNULL, stdout=stdout, stderr=progress,
                                      env=self.cli_env(), text=True)
        self.addCleanup(lambda: waiter.poll() is None and waiter.kill())

        def progress_text():
            with open(progress_path) as f:
                return f.read()

        harness.wait_until(lambda: "_dnsauth.cli.insecure.test" in progress_text(), 30,
                           interval=0.1, message="the records to publish in the progress")
        for v in order["validations"]:
            self.publish_txt(v)
        # One validation checked now rather than at the next retry of its job. (`order check`
        # would also issue synchronously, racing the job that the valid validation queues.)
        for v in order["validations"]:
            out, _ = self.signet("validation", "check", v["id"])
            self.assertIn("valid", out)
        self.assertEqual(waiter.wait(timeout=120), 0, progress_text())
        progress = progress_text()
        self.outputs.append(progress)
        self.assertIn("PENDING-DCV", progress)
        self.assertIn(order["validations"][0]["instructions"]["value"], progress)
        self.assertIn("ISSUED", progress)
        with open(os.path.join(tmp, "wait.stdout")) as f:
            self.assertIn("is issued", f.read())

        # Stable JSON: the same order prints the same bytes.
        first, _ = self.signet("-o", "json", "order", "show", oid)
        second, _ = self.signet("order", "show", oid, "--output", "json")
        self.assertEqual(first, second)
        order = json.loads(first)
        self.assertEqual(order["status"], "issued")
        self.assertEqual(order, self.get(order), "the CLI prints the API's document")
        serial = order["certificate_id"]
        out, _ = self.signet("order", "show", oid)
        self.assertIn("ISSUED", out)
        self.assertIn(serial, out)

        certificates = self.signet_json("certificate", "list", "--domain", "cli.insecure.test")
        self.assertEqual([c["id"] for c in certificates["items"]], [serial])
        out, _ = self.signet("certificate", "show", serial)
        self.assertIn("cli.insecure.test", out)

        # The nginx bundle: written 0600; its key is the certificate's, which chains to ca.pem.
        out, _ = self.signet("certificate", "download", serial, "--format", "nginx", "--out",
                             "bundle.zip", cwd=tmp)
        self.assertIn("bundle.zip", out)
        bundle = os.path.join(tmp, "bundle.zip")
        self.assertEqual(stat.S_IMODE(os.stat(bundle).st_mode), 0o600)
        with open(bundle, "rb") as f:
            files = zipfile.ZipFile(io.BytesIO(f.read()))
        crt = next(n for n in files.namelist() if n.endswith(".crt"))
        key = next(n for n in files.namelist() if n.endswith(".key"))
        extracted = os.path.join(tmp, "bundle")
        files.extractall(extracted)
        crt, key = os.path.join(extracted, crt), os.path.join(extracted, key)
        verify = openssl("verify", "-CAfile", self.server.ca_file, "-untrusted", crt, crt)
        self.assertEqual(verify.returncode, 0, verify.stdout)
        cert_pub = openssl("x509", "-in", crt, "-noout", "-pubkey").stdout
        key_pub = openssl("pkey", "-in", key, "-pubout").stdout
        self.assertTrue(cert_pub)
        self.assertEqual(cert_pub, key_pub, "the bundle's key is the certificate's")

        # A problem document is one line on stderr with its detail, code and status.
        problem = self.api.get("/api/v1/orders/ord_nope").body
        out, err = self.signet("order", "show", "ord_nope", expect=1)
        self.assertEqual(out, "")
        self.assertEqual(err, f"signet: {problem['detail']} ({problem['code']}, HTTP 404)\n")
        # So is a refused cancellation.
        _, err = self.signet("order", "cancel", oid, expect=1)
        self.assertIn("(already_issued, HTTP 409)", err)

        # The environment overrides the file, and the flags override the environment.
        _, err = self.signet("whoami", expect=1, env=self.cli_env(SIGNET_API_KEY="sk_wrong"))
        self.assertIn("HTTP 401", err)
        self.signet("whoami", "--api-key", self.api.key,
                    env=self.cli_env(SIGNET_API_KEY="sk_wrong"))
        self.assertKeyNeverShown()

        out, _ = self.signet("logout")
        self.assertFalse(os.path.exists(self.config))
        _, err = self.signet("order", "list", expect=1)
        self.assertIn("signet login", err)

    def test_upload_with_an_encrypted_key_and_its_password_file(self):
        from test_hardening import KEY_PASSWORD, certificate_with_key, key_pem
        self.server = self.start_signetd()
        self.api = self.server.client(self.server.create_owner("upload@example.com", "upload"))
        self.login()
        leaf, root, key = certificate_with_key()
        d = self.temp_dir()
        files = {"leaf.pem": leaf, "chain.pem": root, "leaf.key": key_pem(key, KEY_PASSWORD),
                 "pass.txt": KEY_PASSWORD + "\n"}
        for name, text in files.items():
            with open(os.path.join(d, name), "w") as f:
                f.write(text)
        args = ["certificate", "upload", "--cert", os.path.join(d, "leaf.pem"), "--chain",
                os.path.join(d, "chain.pem"), "--key", os.path.join(d, "leaf.key")]
        _, err = self.signet(*args, expect=1)
        self.assertIn("key_encrypted", err)
        out = self.signet_json(*args, "--key-password-file", os.path.join(d, "pass.txt"))
        self.assertEqual(out["names"], ["upload.hardening.test"])
        self.assertTrue(out["private_key_held"])
        for text in self.outputs:
            self.assertNotIn(KEY_PASSWORD, text)

    def test_refusals_usage_errors_and_help(self):
        self.server = self.start_signetd()
        self.api = self.server.client(self.server.create_owner("cli@example.com", "cli"))
        # A wrong key is refused by the server and nothing is saved.
        _, err = self.signet("login", "--url", self.server.url, "--api-key", "sk_wrong",
                             "--ca-file", self.server.ca_file, expect=1)
        self.assertIn("HTTP 401", err)
        self.assertFalse(os.path.exists(self.config))
        # Plain http would send the key in clear.
        _, err = self.signet("login", "--url", f"http://127.0.0.1:{self.server.port}",
                             "--api-key", self.api.key, expect=2)
        self.assertIn("https://", err)
        # The key from standard input; then a server certificate from another CA is refused.
        self.signet("login", "--url", self.server.url, "--api-key-stdin", "--ca-file",
                    self.server.ca_file, input=self.api.key + "\n")
        self.assertEqual(stat.S_IMODE(os.stat(self.config).st_mode), 0o600)
        other_ca = os.path.join(self.temp_dir(), "other-ca.pem")
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", other_ca + ".key", "-out", other_ca, "-days", "1", "-subj", "/CN=x")
        _, err = self.signet("--ca-file", other_ca, "products", expect=1)
        self.assertIn(self.server.url, err)
        self.assertIn("certificate", err.lower())
        # Nothing listens on the port: the error names the URL.
        closed = f"https://127.0.0.1:{self.unused_port()}"
        _, err = self.signet("--url", closed, "products", expect=1)
        self.assertIn(f"cannot reach {closed}/api/v1/products", err)

        self.assertIn("dv-single", self.signet("products")[0])
        # Usage errors exit 2 and say what is wrong.
        _, err = self.signet("order", "frobnicate", expect=2)
        self.assertIn("frobnicate", err)
        _, err = self.signet("order", "create", expect=2)
        self.assertIn("--product", err)
        _, err = self.signet("-o", "yaml", "products", expect=2)
        self.assertIn("yaml", err)
        _, err = self.signet("certificate", "set", "abc", expect=2)
        self.assertIn("nothing to change", err)
        # --help everywhere.
        out, _ = self.signet("--help")
        for command in ("login", "order", "certificate", "validation", "products", "domains"):
            self.assertIn(command, out)
        out, _ = self.signet("order", "--help")
        for command in ("create", "application", "submit", "wait", "attach", "merge"):
            self.assertIn(command, out)
        for group, commands in {"order": ["create", "list", "show", "application", "submit",
                                          "check", "wait", "cancel", "resubmit", "attach",
                                          "merge"],
                                "validation": ["create", "show", "check", "list"],
                                "certificate": ["list", "show", "download", "revoke", "reissue",
                                                "renew", "delete", "upload", "set"]}.items():
            for command in commands:
                out, _ = self.signet(group, command, "--help")
                self.assertIn("Usage: signet " + group + " " + command, out)
        self.assertKeyNeverShown()

    @staticmethod
    def unused_port():
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]


harness.make_backend_tests(globals(), CliTests, backends=["sqlite"])

if __name__ == "__main__":
    harness.main()
