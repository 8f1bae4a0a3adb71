"""`signet target`, `signet certificate bind/bindings/unbind/redeploy` and `signet deployment`
against the real signetd, a real OpenSSH server and nginx: an ssh target added from a 0600 key
file and tested, a certificate bound with a verify endpoint and waited for until nginx serves it,
where it is installed, a wrong host key and a failing reload as non-zero exits with the reason,
stable JSON, secrets that never appear in any output, usage errors that name the flag, and the
server's problems as one line."""

import json
import os

import deploy_servers
import harness
from test_cli import CliFixture
from test_orders import ADMIN, OrderFixture

NAME = "cli-deploy.insecure.test"


def write_private(path, text):
    """A file only its owner may read, as a key file should be."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


class CliDeployment(CliFixture, OrderFixture):
    def setUp(self):
        super().setUp()
        tmp = self.temp_dir()
        self.ssh = deploy_servers.SshServer(os.path.join(tmp, "ssh"))
        self.addCleanup(self.ssh.stop)
        self.site = deploy_servers.TlsSite(os.path.join(tmp, "site"))
        self.addCleanup(self.site.stop)
        self.secrets_dir = self.temp_dir()
        self.key_file = write_private(os.path.join(self.secrets_dir, "deploy_key"),
                                      self.ssh.client_key_pem)

    def start(self):
        self.start_world(web=False, smtp=False, extra={
            "deployment.scan_interval_seconds": "1", "deployment.verify_wait_seconds": "8",
            "jobs.lease_seconds": "4"})
        self.login()

    def issue(self):
        order = self.order("dv-single", {
            "domains": [NAME], "key": {"generate": {"algorithm": "ecdsa-p256"}},
            "administrator": ADMIN, "validation_method": "dns_txt"}, submit=True)
        self.publish_all(order)
        order = self.wait_status(order, "issued")
        return self.api.get(f"/api/v1/certificates/{order['certificate_id']}").body

    def add_ssh_target(self, *extra, name="web-1", host_key=None, expect=0):
        return self.signet(
            "target", "add", "ssh", "--name", name, "--host", "127.0.0.1", "--port",
            self.ssh.port, "--username", self.ssh.username, "--private-key-file", self.key_file,
            "--host-key", host_key or self.ssh.host_key, "--fullchain", self.site.cert_file,
            "--key", self.site.key_file, "--reload-command", self.site.reload_command, *extra,
            expect=expect)

    def wait(self, deployment_id, expect):
        return self.signet("deployment", "wait", deployment_id, "--timeout", "90", expect=expect)

    @staticmethod
    def serial(cert):
        return cert["serial"].lower().lstrip("0")

    def assertSecretsNeverShown(self, secrets):
        self.assertKeyNeverShown()
        for text in self.outputs:
            for secret in secrets:
                self.assertNotIn(secret, text)

    def test_add_test_bind_wait_and_where_it_is_installed(self):
        self.start()
        cert = self.issue()
        key_body = "".join(self.ssh.client_key_pem.strip().splitlines()[1:-1])
        secrets = [key_body[:40], key_body[-40:]]

        out, _ = self.add_ssh_target("-o", "json")
        target = json.loads(out)
        self.assertEqual(target["type"], "ssh")
        self.assertEqual(target["auth"], "private_key")
        self.assertEqual(target["host_key"], self.ssh.host_key)
        self.assertEqual(target["files"], {"fullchain": self.site.cert_file,
                                           "private_key": self.site.key_file})
        tid = target["id"]
        out, _ = self.signet("target", "test", tid)
        self.assertIn("ok", out)
        self.assertIn(self.ssh.host_key, out)
        self.assertTrue(self.signet_json("target", "test", tid)["ok"])
        out, _ = self.signet("target", "show", tid)
        self.assertIn("private key (stored sealed)", out)
        self.assertIn(self.site.cert_file, out)
        self.assertEqual(self.signet_json("target", "show", tid), target)
        out, _ = self.signet("target", "list")
        self.assertIn(tid, out)
        self.assertIn(f"root@127.0.0.1:{self.ssh.port}", out)

        # Bind with the verify endpoint; the run is followed until nginx serves the certificate.
        binding = self.signet_json("certificate", "bind", cert["id"], "--target", tid,
                                   "--verify-host", "127.0.0.1", "--verify-port", self.site.port,
                                   "--server-name", NAME)
        self.assertEqual(binding["target_id"], tid)
        self.assertEqual(binding["verify"]["port"], self.site.port)
        run_id = binding["last_deployment"]["id"]
        out, err = self.wait(run_id, 0)
        self.assertIn(f"Deployment {run_id} succeeded", out)
        self.assertIn(run_id, err)  # the progress line
        self.site.wait_serving(NAME, self.serial(cert))
        run = self.signet_json("deployment", "show", run_id)
        self.assertEqual(run["status"], "succeeded")
        self.assertEqual(run["served_serial"].lower().lstrip("0"), self.serial(cert))

        # Where is it installed: the target's name, the endpoint, the run and the served serial.
        out, _ = self.signet("certificate", "bindings", cert["id"])
        row = next(line for line in out.splitlines() if binding["id"] in line)
        for text in ("web-1", f"127.0.0.1:{self.site.port} https (SNI {NAME})", "succeeded",
                     run["served_serial"]):
            self.assertIn(text, row)
        listed = self.signet_json("certificate", "bindings", cert["id"])
        self.assertEqual([b["id"] for b in listed["items"]], [binding["id"]])

        # Stable JSON: the same list prints the same bytes, and it is the API's document.
        first, _ = self.signet("-o", "json", "deployment", "list", "--certificate", cert["id"])
        second, _ = self.signet("deployment", "list", "--certificate", cert["id"], "--output",
                                "json")
        self.assertEqual(first, second)
        runs = json.loads(first)
        self.assertEqual(set(runs), {"items", "next_page_token"})
        self.assertEqual([d["id"] for d in runs["items"]], [run_id])
        self.assertEqual(runs, self.api.get(
            f"/api/v1/deployments?certificate_id={cert['id']}").body)
        self.assertEqual(self.signet_json("deployment", "list", "--target", tid,
                                          "--binding", binding["id"])["items"], runs["items"])
        out, _ = self.signet("deployment", "list")
        self.assertIn(run_id, out)
        self.assertIn("succeeded", out)

        # A reload that fails: the redeploy is rolled back, and waiting says so with exit 1.
        self.signet("target", "update", tid, "--reload-command",
                    "echo 'nginx: configuration file test failed' >&2; exit 1")
        redeploy = self.signet_json("certificate", "redeploy", cert["id"], binding["id"])
        self.assertEqual(redeploy["trigger"], "manual")
        out, err = self.wait(redeploy["id"], 1)
        self.assertIn(f"deployment {redeploy['id']} was rolled back: ", err)
        self.assertIn("configuration file test failed", err)
        self.assertEqual(out, "")
        self.site.wait_serving(NAME, self.serial(cert))
        out, _ = self.signet("certificate", "bindings", cert["id"])
        self.assertIn("rolled_back", out)
        self.assertIn("configuration file test failed", out)
        # Fixed again; a table redeploy says how to follow it.
        out, _ = self.signet("target", "update", tid, "--reload-command",
                             self.site.reload_command)
        self.assertIn(self.site.reload_command, out)
        out, _ = self.signet("certificate", "redeploy", cert["id"], binding["id"])
        self.assertIn("manual", out)
        follow = next(line for line in out.splitlines() if "deployment wait" in line)
        self.wait(follow.split()[-1], 0)

        # A target in use cannot go; the binding goes first.
        _, err = self.signet("target", "remove", tid, expect=1)
        self.assertIn("(target_in_use, HTTP 409)", err)
        out, _ = self.signet("certificate", "unbind", cert["id"], binding["id"])
        self.assertIn(binding["id"], out)
        self.assertEqual(self.signet_json("certificate", "bindings", cert["id"])["items"], [])
        self.signet("target", "remove", tid)
        self.assertEqual(self.signet_json("target", "list")["items"], [])
        self.assertSecretsNeverShown(secrets)

    def test_a_wrong_host_key_fails_the_test_until_the_pin_is_updated(self):
        self.start()
        out, _ = self.add_ssh_target("-o", "json", name="impostor",
                                     host_key=self.ssh.other_host_key)
        tid = json.loads(out)["id"]
        out, err = self.signet("target", "test", tid, expect=1)
        self.assertIn("failed", out)
        # One line: the presented key, and how to pin it once checked.
        self.assertIn(self.ssh.host_key, out)
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertIn(f"target {tid} failed the test", err)
        self.assertIn(f"signet target update {tid} --host-key {self.ssh.host_key}", err)
        test = json.loads(self.signet("-o", "json", "target", "test", tid, expect=1)[0])
        self.assertFalse(test["ok"])
        self.assertEqual(test["host_key"], self.ssh.host_key)
        out, _ = self.signet("target", "update", tid, "--host-key", self.ssh.host_key, "--chain",
                             os.path.join(self.site.directory, "tls", "chain.pem"))
        self.assertIn("chain.pem", out)
        self.signet("target", "test", tid)
        # The other files were kept: --chain was added to them, not put in their place.
        files = self.signet_json("target", "show", tid)["files"]
        self.assertEqual(set(files), {"fullchain", "private_key", "chain"})
        files = self.signet_json("target", "update", tid, "--chain", "")["files"]
        self.assertEqual(set(files), {"fullchain", "private_key"})

    def test_secrets_from_files_usage_errors_and_problems(self):
        self.start()
        password = "pw-" + os.urandom(8).hex()
        keystore = "ks-" + os.urandom(8).hex()
        password_file = write_private(os.path.join(self.secrets_dir, "password"), password + "\n")
        keystore_file = write_private(os.path.join(self.secrets_dir, "keystore"), keystore + "\n")
        # A password login, and a keystore password; neither is ever printed.
        out, _ = self.signet(
            "target", "add", "ssh", "--name", "by-password", "--host", "127.0.0.1", "--username",
            "deploy", "--password-file", password_file, "--host-key", self.ssh.host_key,
            "--fullchain", "/etc/site/fullchain.pem", "--pfx", "/etc/site/site.pfx",
            "--keystore-password-file", keystore_file)
        self.assertIn("password (stored sealed)", out)
        self.assertIn("Keystore password", out)
        self.assertIn("/etc/site/site.pfx", out)
        # A webhook's secret is shown once, and said to be.
        out, _ = self.signet("target", "add", "webhook", "--name", "hook", "--url",
                             "https://hooks.example.com/signet")
        self.assertIn("shown only once", out)
        webhook_secret = next(line for line in out.splitlines()
                              if line.startswith("Webhook secret:")).split()[-1]
        self.assertGreaterEqual(len(webhook_secret), 20)
        shown_once = len(self.outputs)
        targets = self.signet_json("target", "list")["items"]
        self.assertEqual(sorted(t["name"] for t in targets), ["by-password", "hook"])
        hook = next(t for t in targets if t["name"] == "hook")
        out, _ = self.signet("target", "show", hook["id"])
        self.assertIn("https://hooks.example.com/signet", out)
        self.assertNotIn(webhook_secret, out)
        hook = self.signet_json("target", "update", hook["id"], "--name", "hook-2", "--url",
                                "https://hooks2.example.com/signet")
        self.assertEqual((hook["name"], hook["url"]),
                         ("hook-2", "https://hooks2.example.com/signet"))

        # Usage errors exit 2 and name the flag.
        base = ["target", "add", "ssh", "--name", "x", "--host", "127.0.0.1", "--username", "u",
                "--host-key", self.ssh.host_key, "--private-key-file", self.key_file,
                "--fullchain", "/etc/x.pem"]
        _, err = self.signet(*base, "--frobnicate", expect=2)
        self.assertIn("--frobnicate", err)
        _, err = self.signet(*[a for a in base if a not in ("--host-key", self.ssh.host_key)],
                             expect=2)
        self.assertIn("--host-key is required", err)
        _, err = self.signet("target", "add", "ssh", "--name", "x", "--host", "h",
                             "--username", "u", "--host-key", self.ssh.host_key,
                             "--fullchain", "/etc/x.pem", expect=2)
        self.assertIn("--private-key-file", err)
        _, err = self.signet(*base, "--password-file", password_file, expect=2)
        self.assertIn("--password-file", err)
        _, err = self.signet(*base, "--pfx", "/etc/x.pfx", expect=2)
        self.assertIn("--keystore-password-file", err)
        _, err = self.signet(*base[:-2], expect=2)
        self.assertIn("--fullchain", err)
        _, err = self.signet("target", "update", hook["id"], expect=2)
        self.assertIn("nothing to change", err)
        _, err = self.signet("target", "update", hook["id"], "--host", "h", expect=2)
        self.assertIn("--host cannot be changed", err)
        _, err = self.signet("certificate", "bind", "c", "--target", "t", "--server-name", "n",
                             expect=2)
        self.assertIn("--verify-host", err)
        _, err = self.signet("certificate", "bind", "c", "--target", "t", "--verify-host", "h",
                             "--protocol", "ftp", expect=2)
        self.assertIn("ftp", err)
        _, err = self.signet("deployment", expect=2)
        self.assertIn("list, show, wait", err)
        # An unreadable or empty secret file is the operation failing, named.
        missing = os.path.join(self.secrets_dir, "missing")
        _, err = self.signet(*base[:-4], "--private-key-file", missing, "--fullchain", "/x.pem",
                             expect=1)
        self.assertIn(missing, err)
        empty = write_private(os.path.join(self.secrets_dir, "empty"), "\n")
        _, err = self.signet(*base[:-4], "--private-key-file", empty, "--fullchain", "/x.pem",
                             expect=1)
        self.assertIn(f"{empty} is empty", err)

        # The server's problems: one line with the detail, code and status.
        cert = self.issue()
        problem = self.api.post(f"/api/v1/certificates/{cert['id']}/bindings",
                                {"target_id": "tgt_nope"})
        self.assertGreaterEqual(problem.status, 400)
        out, err = self.signet("certificate", "bind", cert["id"], "--target", "tgt_nope",
                               expect=1)
        self.assertEqual(out, "")
        self.assertEqual(err, f"signet: {problem.body['detail']} ({problem.body['code']}, HTTP "
                              f"{problem.status})\n")
        _, err = self.signet("target", "add", "local", "--name", "here", "--fullchain",
                             "/tmp/x.pem", expect=1)
        self.assertIn("(local_targets_disabled, HTTP 403)", err)
        self.assertEqual(len(err.splitlines()), 1)
        # A key file others may read is used, with a warning (ssh would refuse it).
        loose = os.path.join(self.secrets_dir, "loose_key")
        with open(loose, "w") as f:
            f.write(self.ssh.client_key_pem)
        os.chmod(loose, 0o644)
        _, err = self.signet(*base[:-4], "--private-key-file", loose, "--fullchain", "/x.pem")
        self.assertIn(f"{loose} holds a secret but other users may read it; chmod 600 it", err)
        _, err = self.signet("deployment", "wait", "dep_nope", expect=1)
        self.assertIn("HTTP 404", err)
        self.assertSecretsNeverShown([password, keystore])
        for text in self.outputs[shown_once:]:
            self.assertNotIn(webhook_secret, text)


harness.make_backend_tests(globals(), CliDeployment)

if __name__ == "__main__":
    harness.main()
