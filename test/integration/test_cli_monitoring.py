"""`signet monitor` against the real signetd and nginx (deploy_servers.TlsSite): a monitor added
for a site serving a Signet certificate with its chain is checked ok (exit 0) and linked to the
inventory; the same certificate without its intermediate is critical (exit 1, the problem with
what to do, one line on stderr); a self-signed certificate and a closed port too; the history
newest first with the change of status; list, show, set, pause, resume and remove; paging;
stable JSON; refusals (a private address, invalid input, a duplicate) as one line; usage errors
as exit 2; the API key never printed."""

import json
import os

import dcv_servers
import deploy_servers
import harness
from test_cli import CliFixture
from test_deployment import Deployment as DeploymentFixture
from test_monitoring import Monitoring as MonitoringFixture, certificate
from test_orders import OrderFixture

NAME = "cli-watched.insecure.test"


class CliMonitoring(CliFixture, OrderFixture):
    issue = DeploymentFixture.issue
    key_of = MonitoringFixture.key_of
    chain_of = MonitoringFixture.chain_of

    def start(self, allow_private=True):
        extra = {"monitoring.scan_interval_seconds": "3600"}  # no scheduled check interferes
        if allow_private:
            extra["monitoring.allow_private_addresses"] = "true"
        self.start_world(web=False, smtp=False, extra=extra)
        self.login()

    def site(self):
        s = deploy_servers.TlsSite(os.path.join(self.temp_dir(), "site"))
        self.addCleanup(s.stop)
        return s

    def add(self, port, *extra):
        return self.signet_json("monitor", "add", "127.0.0.1", "--port", port, *extra)

    def check(self, monitor_id, expect):
        out, err = self.signet("monitor", "check", monitor_id, expect=expect)
        return out, err

    def check_json(self, monitor_id, expect):
        out, _ = self.signet("-o", "json", "monitor", "check", monitor_id, expect=expect)
        return json.loads(out)

    def test_add_check_history_and_the_monitors_life(self):
        self.start()
        cert = self.issue(NAME)
        key, chain = self.key_of(cert), self.chain_of(cert)
        site = self.site()
        site.install(cert["certificate"] + chain, key, NAME)

        # Added: the answer as the API gives it, and the table says how to check it.
        out, _ = self.signet("monitor", "add", "127.0.0.1", "--port", site.port, "--server-name",
                             NAME, "--interval", "30")
        self.assertIn(f"127.0.0.1:{site.port} https", out)
        self.assertIn("every 30 minutes", out)
        mid = next(line.split()[-1] for line in out.splitlines() if line.startswith("Monitor"))
        self.assertIn(f"Not checked yet: signet monitor check {mid}", out)
        shown = self.signet_json("monitor", "show", mid)
        self.assertEqual((shown["host"], shown["port"], shown["server_name"], shown["protocol"],
                          shown["interval_minutes"], shown["enabled"], shown["status"]),
                         ("127.0.0.1", site.port, NAME, "https", 30, True, None))
        # JSON is stable: the same state prints the same bytes.
        self.assertEqual(self.signet("-o", "json", "monitor", "show", mid)[0],
                         self.signet("-o", "json", "monitor", "show", mid)[0])

        # With its chain: ok, exit 0, the certificate and where it is in the inventory.
        out, err = self.check(mid, 0)
        self.assertRegex(out, r"Status:\s+ok")
        self.assertIn(NAME, out)
        self.assertIn(f"certificate {cert['id']}", out)
        self.assertIn("Problems: none", out)
        self.assertEqual(err, "")
        result = self.check_json(mid, 0)
        self.assertEqual(result["status"], "ok")
        self.assertEqual(result["certificate_id"], cert["id"])
        self.assertEqual(result["problems"], [])

        # Without its intermediate: critical, exit 1, the problem and what to do about it.
        site.install(cert["certificate"], key, NAME)
        out, err = self.check(mid, 1)
        self.assertRegex(out, r"Status:\s+critical")
        self.assertIn("- chain_incomplete: the server does not send the intermediate", out)
        self.assertIn("what to do: configure the full chain (fullchain: the certificate followed "
                      "by its intermediates", out)
        self.assertEqual(err.strip(), f"signet: monitor {mid} is critical: chain_incomplete")
        result = self.check_json(mid, 1)
        self.assertEqual([p["code"] for p in result["problems"]], ["chain_incomplete"])

        # The history, newest first, each change of status marked.
        history = self.signet_json("monitor", "history", mid)
        self.assertEqual([c["status"] for c in history["items"]],
                         ["critical", "critical", "ok", "ok"])
        out, _ = self.signet("monitor", "history", mid)
        rows = [line for line in out.splitlines()[1:] if line.strip()]
        self.assertEqual(len(rows), 4, out)
        self.assertNotIn("was ", rows[0])
        self.assertIn("was ok", rows[1])
        self.assertIn("chain_incomplete", rows[1])
        self.assertNotIn("was ", rows[2])
        # Pages: one check, and the token for the next on stderr.
        out, err = self.signet("monitor", "history", mid, "--page-size", "1")
        self.assertIn("--page-token", err)
        token = err.split("--page-token")[1].split(")")[0].strip()
        page = self.signet_json("monitor", "history", mid, "--page-size", "1", "--page-token",
                                token)
        self.assertEqual(page["items"][0]["id"], history["items"][1]["id"])

        # The list and show: status, endpoint, server name, expiry and the problems.
        out, _ = self.signet("monitor", "list")
        row = next(line for line in out.splitlines() if mid in line)
        for text in (f"127.0.0.1:{site.port} https", NAME, "critical", "chain_incomplete",
                     cert["not_after"][:10]):
            self.assertIn(text, row)
        out, _ = self.signet("monitor", "show", mid)
        self.assertIn("Last check:", out)
        self.assertIn("  Problems:", out)
        self.assertIn("chain_incomplete", out)

        # The interval, paused and resumed.
        self.assertEqual(self.signet_json("monitor", "set", mid, "--interval", "120")
                         ["interval_minutes"], 120)
        out, _ = self.signet("monitor", "pause", mid)
        self.assertEqual(out.strip(), f"Paused monitor {mid} (127.0.0.1:{site.port} https): not "
                                      "checked until `signet monitor resume`.")
        self.assertFalse(self.api.get(f"/api/v1/monitors/{mid}").body["enabled"])
        out, _ = self.signet("monitor", "list")
        row = next(line for line in out.splitlines() if mid in line)
        self.assertIn("critical, paused", row)
        self.assertIn("(paused)", row)
        out, _ = self.signet("monitor", "resume", mid)
        self.assertIn(f"Resumed monitor {mid}", out)
        self.assertTrue(self.api.get(f"/api/v1/monitors/{mid}").body["enabled"])

        # A self-signed certificate (openssl req -x509, as TlsSite starts with) and a closed port.
        self_signed = deploy_servers.TlsSite(os.path.join(self.temp_dir(), "self-signed"),
                                             "self.insecure.test")
        self.addCleanup(self_signed.stop)
        other = self.add(self_signed.port, "--server-name", "self.insecure.test")
        out, err = self.check(other["id"], 1)
        self.assertIn("- self_signed:", out)
        self.assertIn("what to do: install a certificate issued by a certificate authority", out)
        self.assertIn("no (not a certificate of this account)", out)
        self.assertIn("self_signed", err)
        closed = self.add(dcv_servers.free_port())
        out, err = self.check(closed["id"], 1)
        self.assertRegex(out, r"Status:\s+unreachable")
        self.assertIn("what to do: check that the host resolves", out)
        self.assertIn(f"monitor {closed['id']} is unreachable: unreachable", err)

        # Removed, with its history.
        out, _ = self.signet("monitor", "remove", mid)
        self.assertEqual(out.strip(), f"Removed monitor {mid}.")
        _, err = self.signet("monitor", "show", mid, expect=1)
        self.assertIn("HTTP 404", err)
        listed = self.signet_json("monitor", "list")
        self.assertEqual(sorted(m["id"] for m in listed["items"]),
                         sorted([other["id"], closed["id"]]))
        self.assertKeyNeverShown()

    def test_refusals_and_usage_errors(self):
        self.start(allow_private=False)
        # Loopback is refused unless the operator allows it: one line, the code and the status.
        _, err = self.signet("monitor", "add", "127.0.0.1", expect=1)
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertIn("monitoring.allow_private_addresses", err)
        self.assertIn("(private_address, HTTP 403)", err)
        _, err = self.signet("monitor", "add", "a b", expect=1)
        self.assertIn("(invalid_monitor, HTTP 400)", err)
        # A name that resolves to loopback is added, but not connected to.
        m = self.signet_json("monitor", "add", "localhost", "--protocol", "smtp")
        self.assertEqual((m["port"], m["protocol"]), (25, "smtp"))
        _, err = self.signet("monitor", "add", "localhost", "--protocol", "smtp", expect=1)
        self.assertIn("(already_exists, HTTP 409)", err)
        out, err = self.check(m["id"], 1)
        self.assertIn("monitoring.allow_private_addresses", out)
        self.assertIn("is unreachable", err)
        # The command line is checked before anything is sent.
        for args in (("monitor", "add", "x.test", "--protocol", "ftp"),
                     ("monitor", "add", "x.test", "--port", "70000"),
                     ("monitor", "add", "x.test", "--interval", "1"),
                     ("monitor", "set", m["id"]),
                     ("monitor", "check"),
                     ("monitor",)):
            _, err = self.signet(*args, expect=2)
            self.assertTrue(err.startswith("signet: "), err)
        self.assertKeyNeverShown()


harness.make_backend_tests(globals(), CliMonitoring)

if __name__ == "__main__":
    harness.main()
