"""The deployment agent (`signet agent`, issue 16) as a real process next to its own nginx:
registration with a one-time token, long-polled work, files written and nginx reloaded by the
command of the agent's own configuration, the served serial checked and reported; a reissue is
deployed with nobody acting; a failing reload rolls back. The server cannot change what the
agent runs: an agent target refuses a reload command, and the work it hands out carries only
the certificate."""

import json
import os
import subprocess

import deploy_servers
import harness
from test_deployment import NAME, Deployment as DeploymentFixture
from test_orders import OrderFixture

AGENT_TIMEOUT_SECONDS = 120


class Agent(OrderFixture):
    start = DeploymentFixture.start
    issue = DeploymentFixture.issue
    reissue = DeploymentFixture.reissue
    wait_deployment = DeploymentFixture.wait_deployment
    serial = DeploymentFixture.serial

    def setUp(self):
        super().setUp()
        self.site = deploy_servers.TlsSite(os.path.join(self.temp_dir(), "site"))
        self.addCleanup(self.site.stop)

    def signet(self):
        return os.path.join(os.path.dirname(harness.signetd_binary()), "signet")

    def agent_config(self, reload_command, marker):
        d = self.temp_dir()
        config = {"url": self.server.url, "ca_file": self.server.ca_file,
                  "credential_file": os.path.join(d, "state", "credential"),
                  "files": {"fullchain": self.site.cert_file, "private_key": self.site.key_file},
                  "reload_command": f"touch {marker} && {reload_command}",
                  "verify": {"host": "127.0.0.1", "port": self.site.port, "server_name": NAME}}
        path = os.path.join(d, "agent.json")
        with open(path, "w") as f:
            json.dump(config, f)
        return path, config

    def run_signet(self, *args, check=True):
        proc = subprocess.run([self.signet(), *args], stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=AGENT_TIMEOUT_SECONDS, env={"HOME": self.temp_dir(),
                                                                  "PATH": os.environ["PATH"]})
        if check:
            self.assertEqual(proc.returncode, 0, proc.stdout)
        return proc

    def test_the_agent_installs_what_it_is_sent_with_its_own_command_only(self):
        self.start()
        first = self.issue()
        r = self.api.post("/api/v1/deployment-targets", {"name": "behind-nat", "type": "agent"})
        self.assertStatus(r, 201)
        target, token = r.body, r.body["registration_token"]
        self.assertEqual(target["agent"], {"registered": False})
        marker = os.path.join(self.temp_dir(), "reloaded-by-the-agent")
        config_path, config = self.agent_config(self.site.reload_command, marker)

        out = self.run_signet("agent", "register", "--config", config_path, "--token", token)
        self.assertIn("behind-nat", out.stdout)
        self.assertEqual(os.stat(config["credential_file"]).st_mode & 0o777, 0o600)
        # The token works once.
        again = self.run_signet("agent", "register", "--config", config_path, "--token", token,
                                check=False)
        self.assertNotEqual(again.returncode, 0)
        self.assertIn("invalid_token", again.stdout)
        shown = self.api.get(f"/api/v1/deployment-targets/{target['id']}").body
        self.assertTrue(shown["agent"]["registered"])

        # Signet cannot give the agent a command, a file or a keystore password to use.
        for change in ({"reload_command": "touch /tmp/owned"},
                       {"files": {"fullchain": "/etc/passwd"}}):
            r = self.api.patch(f"/api/v1/deployment-targets/{target['id']}", change)
            self.assertProblem(r, 400, "invalid_target")

        log = open(os.path.join(self.temp_dir(), "agent.log"), "w")
        self.addCleanup(log.close)
        agent = subprocess.Popen([self.signet(), "agent", "run", "--config", config_path],
                                 stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                 preexec_fn=harness._die_with_parent)  # noqa: SLF001
        self.addCleanup(lambda: (agent.kill(), agent.wait()))
        r = self.api.post(f"/api/v1/certificates/{first['id']}/bindings",
                          {"target_id": target["id"]})
        self.assertStatus(r, 201)
        run = self.wait_deployment(first)
        self.assertEqual(run["status"], "succeeded", run)
        self.assertEqual(run["served_serial"].lstrip("0"), self.serial(first))
        self.site.wait_serving(NAME, self.serial(first))
        self.assertTrue(os.path.exists(marker), "the agent ran its own configured command")
        self.assertEqual(os.stat(self.site.key_file).st_mode & 0o777, 0o600)

        # A reissue reaches the agent with nobody acting.
        second = self.reissue(first)
        run = self.wait_deployment(second)
        self.assertEqual(run["status"], "succeeded", run)
        self.site.wait_serving(NAME, self.serial(second))

        # What the server hands an agent: the certificate, and nothing to run or write where.
        agent.kill()
        agent.wait()
        third = self.reissue(second)
        self.wait_deployment(third, statuses=("pending",))
        with open(config["credential_file"]) as f:
            credential = f.read().strip()
        work = harness.Client(self.server.port, self.server.ca_file, key=credential).get(
            "/api/v1/agent/work?wait=0")
        self.assertStatus(work, 200)
        self.assertEqual(set(work.body), {"deployment", "serial", "names", "certificate_pem",
                                          "chain_pem", "fullchain_pem", "private_key_pem"})
        self.assertNotIn("command", json.dumps(work.body["deployment"]))
        self.assertNotIn("/etc/", json.dumps(work.body["deployment"]))
        # A stranger's credential gets nothing.
        stranger = harness.Client(self.server.port, self.server.ca_file, key="sag_" + "x" * 43)
        self.assertProblem(stranger.get("/api/v1/agent/work?wait=0"), 401, "unknown_agent")

    def test_a_failing_reload_is_rolled_back_by_the_agent(self):
        self.start()
        first = self.issue()
        r = self.api.post("/api/v1/deployment-targets", {"name": "agent-2", "type": "agent"})
        self.assertStatus(r, 201)
        marker = os.path.join(self.temp_dir(), "tried")
        config_path, _ = self.agent_config(self.site.reload_command, marker)
        self.run_signet("agent", "register", "--config", config_path, "--token",
                        r.body["registration_token"])
        self.assertStatus(self.api.post(f"/api/v1/certificates/{first['id']}/bindings",
                                        {"target_id": r.body["id"]}), 201)
        self.run_signet("agent", "run", "--config", config_path, "--once")
        self.site.wait_serving(NAME, self.serial(first))

        # The agent's own configuration changes to a command that fails.
        with open(config_path) as f:
            config = json.load(f)
        config["reload_command"] = "echo 'reload refused' >&2; exit 4"
        with open(config_path, "w") as f:
            json.dump(config, f)
        second = self.reissue(first)
        self.wait_deployment(second, statuses=("pending",))
        out = self.run_signet("agent", "run", "--config", config_path, "--once", check=False)
        self.assertEqual(out.returncode, 1, out.stdout)
        run = self.wait_deployment(second)
        self.assertEqual(run["status"], "rolled_back", run)
        self.assertIn("exit 4", run["error"])
        self.assertIn("reload refused", run["error"])
        self.site.wait_serving(NAME, self.serial(first))
        with open(self.site.cert_file) as f:
            self.assertTrue(f.read().startswith(first["certificate"].strip()))

    def test_the_agent_monitors_endpoints_inside_its_own_network(self):
        """A monitor assigned to an agent is checked by the agent, from its own network: here a
        loopback address that Signet itself refuses to connect to. Signet judges what the agent
        read like its own checks; another agent cannot report for it."""
        from test_monitoring import certificate
        self.start()
        self.site.install(*certificate(NAME, -1, 200), NAME)
        r = self.api.post("/api/v1/deployment-targets", {"name": "inside", "type": "agent"})
        self.assertStatus(r, 201)
        target = r.body
        config_path, config = self.agent_config("true", os.path.join(self.temp_dir(), "m"))
        self.run_signet("agent", "register", "--config", config_path, "--token",
                        target["registration_token"])

        endpoint = {"host": "127.0.0.1", "port": self.site.port, "server_name": NAME}
        self.assertProblem(self.api.post("/api/v1/monitors", endpoint), 403, "private_address")
        r = self.api.post("/api/v1/monitors", dict(endpoint, agent_target_id="tgt_nope"))
        self.assertProblem(r, 400, "invalid_monitor")
        self.assertIn("agent target", r.body["detail"])
        r = self.api.post("/api/v1/monitors", dict(endpoint, agent_target_id=target["id"]))
        self.assertStatus(r, 201)
        monitor = r.body
        self.assertEqual(monitor["agent_target_id"], target["id"])
        # "Check now" cannot connect from here: it makes the monitor due for the agent.
        r = self.api.post(f"/api/v1/monitors/{monitor['id']}/check")
        self.assertStatus(r, 202)
        self.assertTrue(r.body["queued"])

        out = self.run_signet("agent", "run", "--config", config_path, "--once")
        self.assertIn(f"checked 127.0.0.1:{self.site.port}: critical", out.stdout)
        checks = self.api.get(f"/api/v1/monitors/{monitor['id']}/checks").body["items"]
        self.assertEqual(len(checks), 1, checks)
        self.assertEqual(checks[0]["status"], "critical")
        self.assertEqual([p["code"] for p in checks[0]["problems"]], ["self_signed"])
        self.assertEqual(checks[0]["addresses"][0]["address"], "127.0.0.1")
        self.assertIn(NAME, checks[0]["certificate"]["names"])
        # Not due again until its interval has passed: the next run reports nothing.
        out = self.run_signet("agent", "run", "--config", config_path, "--once")
        self.assertNotIn("checked", out.stdout)

        with open(config["credential_file"]) as f:
            mine = harness.Client(self.server.port, self.server.ca_file, key=f.read().strip())
        r = mine.post(f"/api/v1/agent/monitors/{monitor['id']}/check",
                      {"addresses": [{"address": "127.0.0.1", "certificates": ["AAAA"]}]})
        self.assertStatus(r, 200)
        self.assertEqual(r.body["status"], "unreachable")
        self.assertIn("not a DER certificate", r.body["problems"][0]["detail"])
        self.assertProblem(mine.post(f"/api/v1/agent/monitors/{monitor['id']}/check",
                                     {"addresses": [{"address": "x", "cipher": "y"}]}),
                           400, "invalid_field")

        other = self.api.post("/api/v1/deployment-targets", {"name": "elsewhere", "type": "agent"})
        other_path, other_config = self.agent_config("true", os.path.join(self.temp_dir(), "o"))
        self.run_signet("agent", "register", "--config", other_path, "--token",
                        other.body["registration_token"])
        with open(other_config["credential_file"]) as f:
            stranger = harness.Client(self.server.port, self.server.ca_file, key=f.read().strip())
        self.assertEqual(stranger.get("/api/v1/agent/monitors").body["items"], [])
        self.assertStatus(stranger.post(f"/api/v1/agent/monitors/{monitor['id']}/check",
                                        {"error": "made up"}), 404)


harness.make_backend_tests(globals(), Agent)

if __name__ == "__main__":
    harness.main()
