"""Deployment (issue 16) against real servers: OpenSSH started here (key login, pinned host key)
and nginx serving TLS from the deployed files, reloaded by the target's command. Bind -> nginx
serves the certificate; reissue -> the new serial is served with nobody acting; a failing
reload -> rolled_back with the old files back and still served; a wrong host key -> refused with
nothing written; a crash after the files are placed -> the run resumes and finishes once.
Targets' secrets never appear in responses, logs or the database."""

import os
import stat

import deploy_servers
import harness
from test_orders import ADMIN, OrderFixture

NAME = "site.insecure.test"


class Deployment(OrderFixture):
    def setUp(self):
        super().setUp()
        tmp = self.temp_dir()
        self.ssh = deploy_servers.SshServer(os.path.join(tmp, "ssh"))
        self.addCleanup(self.ssh.stop)
        self.site = deploy_servers.TlsSite(os.path.join(tmp, "site"))
        self.addCleanup(self.site.stop)

    def start(self, smtp=False, **extra):
        settings = {"deployment.scan_interval_seconds": "1",
                    "deployment.verify_wait_seconds": "8", "jobs.lease_seconds": "4"}
        settings.update(extra)
        self.start_world(web=False, smtp=smtp, extra=settings)

    def issue(self, domain=NAME):
        order = self.order("dv-single", {
            "domains": [domain], "key": {"generate": {"algorithm": "ecdsa-p256"}},
            "administrator": ADMIN, "validation_method": "dns_txt"}, submit=True)
        self.publish_all(order)
        order = self.wait_status(order, "issued")
        return self.api.get(f"/api/v1/certificates/{order['certificate_id']}").body

    def reissue(self, cert):
        r = self.api.post(f"/api/v1/certificates/{cert['id']}/reissue")
        self.assertStatus(r, 201)
        order = self.wait_status(r.body, "issued")
        return self.api.get(f"/api/v1/certificates/{order['certificate_id']}").body

    def ssh_target(self, **override):
        body = {"name": "web-1", "type": "ssh", "host": "127.0.0.1", "port": self.ssh.port,
                "username": self.ssh.username, "private_key": self.ssh.client_key_pem,
                "host_key": self.ssh.host_key,
                "files": {"fullchain": self.site.cert_file, "private_key": self.site.key_file},
                "reload_command": self.site.reload_command}
        body.update(override)
        r = self.api.post("/api/v1/deployment-targets", body)
        self.assertStatus(r, 201)
        return r.body

    def bind(self, cert, target, expect=201):
        r = self.api.post(f"/api/v1/certificates/{cert['id']}/bindings", {
            "target_id": target["id"],
            "verify": {"host": "127.0.0.1", "port": self.site.port, "server_name": NAME}})
        self.assertStatus(r, expect)
        return r.body

    def wait_deployment(self, cert, statuses=("succeeded", "failed", "rolled_back"),
                        timeout=90):
        def finished():
            r = self.api.get(f"/api/v1/deployments?certificate_id={cert['id']}")
            self.assertStatus(r, 200)
            done = [d for d in r.body["items"] if d["status"] in statuses]
            return done[0] if done else None
        return harness.wait_until(finished, timeout, interval=0.2,
                                  message=f"a deployment of {cert['id']}")

    def serial(self, cert):
        return cert["serial"].lower().lstrip("0")

    def test_bind_then_every_successor_is_deployed_and_a_failed_reload_rolls_back(self):
        self.start(smtp=True)
        self.assertStatus(self.api.post("/api/v1/notification-channels",
                                        {"kind": "email", "target": "ops@example.com"}), 201)
        first = self.issue()
        target = self.ssh_target()
        self.assertNotIn("private_key", {k for k in target if k != "files"})
        self.assertEqual(target["auth"], "private_key")
        r = self.api.post(f"/api/v1/deployment-targets/{target['id']}/test")
        self.assertStatus(r, 200)
        self.assertTrue(r.body["ok"], r.body)
        self.assertEqual(r.body["host_key"], self.ssh.host_key)

        binding = self.bind(first, target)
        self.assertEqual(binding["last_deployment"]["status"], "pending")
        self.assertEqual(binding["last_deployment"]["trigger"], "binding")
        run = self.wait_deployment(first)
        self.assertEqual(run["status"], "succeeded", run)
        self.assertEqual(run["served_serial"].lstrip("0"), self.serial(first))
        self.site.wait_serving(NAME, self.serial(first))
        self.assertEqual(stat.S_IMODE(os.stat(self.site.key_file).st_mode), 0o600)
        with open(self.site.cert_file) as f:
            self.assertTrue(f.read().startswith(first["certificate"].strip()))

        # A reissue is deployed with nobody acting.
        second = self.reissue(first)
        run = self.wait_deployment(second)
        self.assertEqual(run["status"], "succeeded", run)
        self.assertEqual(run["trigger"], "successor")
        self.site.wait_serving(NAME, self.serial(second))
        listed = self.api.get(f"/api/v1/certificates/{second['id']}/bindings").body["items"]
        self.assertEqual([b["id"] for b in listed], [binding["id"]])
        self.assertEqual(listed[0]["last_deployment"]["certificate_id"], second["id"])
        receipts = self.api.get("/api/v1/audit-events?page_size=200").body["items"]
        self.assertIn("deployment.succeeded", [e["action"] for e in receipts])

        # A reload that fails: the previous files come back and are still served.
        r = self.api.patch(f"/api/v1/deployment-targets/{target['id']}", {
            # Bytes that are not UTF-8 in the output too: kept as "?", never breaking the run.
            "reload_command": "echo 'nginx: configuration file test failed' >&2; "
                              "printf 'latin-1 \\351t\\351\\n' >&2; exit 1"})
        self.assertStatus(r, 200)
        third = self.reissue(second)
        run = self.wait_deployment(third)
        self.assertEqual(run["status"], "rolled_back", run)
        self.assertIn("exit 1", run["error"])
        self.assertIn("configuration file test failed", run["error"])
        self.assertIn("latin-1 ?t?", run["error"])
        self.site.wait_serving(NAME, self.serial(second))
        with open(self.site.cert_file) as f:
            self.assertTrue(f.read().startswith(second["certificate"].strip()))
        # The account hears of it through its channels.
        mail = self.smtp.wait_for(lambda m: "ops@example.com" in m["To"] and
                                  "web-1" in m["Subject"], timeout=30)
        self.assertIn("rolled_back", mail.get_payload())
        self.assertIn("configuration file test failed", mail.get_payload())

        # Redeployed by hand once the command is fixed.
        r = self.api.patch(f"/api/v1/deployment-targets/{target['id']}",
                           {"reload_command": self.site.reload_command})
        self.assertStatus(r, 200)
        r = self.api.post(f"/api/v1/certificates/{third['id']}/bindings/{binding['id']}/deploy")
        self.assertStatus(r, 201)
        self.assertEqual(r.body["trigger"], "manual")
        harness.wait_until(lambda: self.site.served_serial(NAME) == self.serial(third), 60,
                           interval=0.2, message="the third certificate served")

        # The target is in use; the binding goes first.
        r = self.api.delete(f"/api/v1/deployment-targets/{target['id']}")
        self.assertProblem(r, 409, "target_in_use")
        r = self.api.delete(f"/api/v1/certificates/{third['id']}/bindings/{binding['id']}")
        self.assertStatus(r, 204)
        self.assertStatus(self.api.delete(f"/api/v1/deployment-targets/{target['id']}"), 204)

    def test_a_wrong_host_key_is_refused_and_nothing_is_written(self):
        self.start()
        cert = self.issue()
        elsewhere = os.path.join(self.temp_dir(), "untouched")
        os.makedirs(elsewhere)
        target = self.ssh_target(name="impostor", host_key=self.ssh.other_host_key, files={
            "fullchain": os.path.join(elsewhere, "site.pem"),
            "private_key": os.path.join(elsewhere, "site.key")})
        r = self.api.post(f"/api/v1/deployment-targets/{target['id']}/test")
        self.assertStatus(r, 200)
        self.assertFalse(r.body["ok"])
        self.assertIn(self.ssh.host_key, r.body["detail"])
        self.assertEqual(r.body["host_key"], self.ssh.host_key)
        self.bind(cert, target)
        run = self.wait_deployment(cert)
        self.assertEqual(run["status"], "failed", run)
        self.assertIn("not the pinned", run["error"])
        self.assertEqual(os.listdir(elsewhere), [])
        # Not even a login was attempted.
        with open(self.ssh.log) as f:
            self.assertNotIn("Accepted publickey", f.read())

    def test_an_unreachable_target_is_tried_again_with_backoff(self):
        self.start()
        cert = self.issue()
        self.ssh.stop()
        target = self.ssh_target()
        self.bind(cert, target)

        def retrying():
            runs = self.api.get(f"/api/v1/deployments?certificate_id={cert['id']}").body["items"]
            return runs and runs[0]["attempts"] >= 2 and runs[0]
        run = harness.wait_until(retrying, 60, interval=0.2, message="a second attempt")
        self.assertEqual(run["status"], "running", run)
        self.assertIn("trying again", run["error"])
        jobs = self.sql(self.server, "SELECT state, attempts FROM jobs WHERE kind = 'deploy.run'")
        self.assertIn("queued", jobs)

    def test_bad_targets_are_refused_with_the_field_named(self):
        self.start()
        base = {"name": "x", "type": "ssh", "host": "127.0.0.1", "username": "deploy",
                "private_key": self.ssh.client_key_pem, "host_key": self.ssh.host_key,
                "files": {"fullchain": "/etc/x.pem"}}
        cases = [({"host_key": "SHA256:short"}, "host_key"),
                 ({"host_key": "MD5:aa:bb"}, "host_key"),
                 ({"host": "bad host;rm"}, "host"),
                 ({"files": {"fullchain": "relative.pem"}}, "files.fullchain"),
                 ({"files": {"fullchain": "/a/../etc/shadow"}}, "files.fullchain"),
                 ({"files": {}}, "files"),
                 ({"files": {"pfx": "/etc/x.pfx"}}, "keystore_password"),
                 ({"private_key": "-----BEGIN OPENSSH PRIVATE KEY-----\nnot a key\n"},
                  "private_key"),
                 ({"password": "and a key too"}, "private_key"),
                 ({"port": 70000}, "port")]
        for change, field in cases:
            body = dict(base)
            body.update(change)
            r = self.api.post("/api/v1/deployment-targets", body)
            self.assertProblem(r, 400, "invalid_target")
            self.assertIn(field, r.body["detail"], change)
        r = self.api.post("/api/v1/deployment-targets", dict(base, files={"tar": "/x"}))
        self.assertProblem(r, 400, "unknown_field")
        r = self.api.post("/api/v1/deployment-targets",
                          {"name": "here", "type": "local", "files": {"fullchain": "/tmp/x"}})
        self.assertProblem(r, 403, "local_targets_disabled")
        # An agent's files and command are its own host's to set, never Signet's.
        r = self.api.post("/api/v1/deployment-targets", {
            "name": "a", "type": "agent", "reload_command": "touch /tmp/owned"})
        self.assertProblem(r, 400, "invalid_target")
        self.assertIn("agent's own configuration", r.body["detail"])
        self.assertStatus(self.api.post("/api/v1/deployment-targets", base), 201)
        r = self.api.post("/api/v1/deployment-targets", base)
        self.assertProblem(r, 409, "already_exists")

    def test_a_crash_after_the_files_are_placed_resumes_and_finishes_once(self):
        self.start()
        first = self.issue()
        target = self.ssh_target()
        self.server.stop()
        self.server.env = {"SIGNET_TEST_CRASH_AT": "deploy.files_placed"}
        self.server.start()
        self.api = self.server.client(self.api.key)
        self.bind(first, target)
        self.assertEqual(self.server.wait(60), -9, self.server.stderr()[-3000:])
        self.server.env = {}
        self.server.start()
        self.api = self.server.client(self.api.key)
        run = self.wait_deployment(first)
        self.assertEqual(run["status"], "succeeded", run)
        self.assertGreaterEqual(run["attempts"], 2)
        self.site.wait_serving(NAME, self.serial(first))
        runs = self.api.get(f"/api/v1/deployments?certificate_id={first['id']}").body["items"]
        self.assertEqual(len(runs), 1, runs)

    def test_secrets_never_appear_in_responses_logs_or_the_database(self):
        self.start()
        cert = self.issue()
        password = "pw-" + os.urandom(8).hex()
        keystore = "ks-" + os.urandom(8).hex()
        target = self.ssh_target(keystore_password=keystore, files={
            "fullchain": self.site.cert_file, "private_key": self.site.key_file,
            "pfx": os.path.join(self.site.directory, "tls", "site.pfx")})
        other = self.ssh_target(name="by-password", private_key=None, password=password)
        hook = self.api.post("/api/v1/deployment-targets", {
            "name": "hook", "type": "webhook", "url": "https://hooks.example.com/signet"})
        self.assertStatus(hook, 201)
        webhook_secret = hook.body["webhook_secret"]
        self.bind(cert, target)
        self.assertEqual(self.wait_deployment(cert)["status"], "succeeded")
        with open(os.path.join(self.site.directory, "tls", "site.pfx"), "rb") as f:
            pfx = f.read()
        self.assertTrue(pfx)
        key_body = "".join(self.ssh.client_key_pem.strip().splitlines()[1:-1])
        secrets = [key_body[:40], key_body[-40:], password, keystore, webhook_secret]
        seen = [self.api.get("/api/v1/deployment-targets").raw]
        for t in (target, other, hook.body):
            seen.append(self.api.get(f"/api/v1/deployment-targets/{t['id']}").raw)
        seen.append(self.api.patch(f"/api/v1/deployment-targets/{other['id']}",
                                   {"name": "renamed"}).raw)
        seen.append(self.api.get("/api/v1/deployments").raw)
        seen.append(self.api.get("/api/v1/audit-events?page_size=200").raw)
        seen.append((self.server.stdout() + self.server.stderr()).encode())
        seen.append(self.dump_database(self.server).encode())
        for text in seen:
            for secret in secrets:
                self.assertNotIn(secret.encode(), text)


harness.make_backend_tests(globals(), Deployment)

if __name__ == "__main__":
    harness.main()
