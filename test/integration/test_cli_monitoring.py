"""`signet monitor` against the real signetd and nginx (deploy_servers.TlsSite): a monitor added
for a site serving a Signet certificate with its chain is checked ok (exit 0) and linked to the
inventory; the same certificate without its intermediate is critical (exit 1, the problem with
what to do, one line on stderr); a self-signed certificate and a closed port too; the history
newest first with the change of status; list, show, set, pause, resume and remove; paging;
stable JSON; refusals (a private address, invalid input, a duplicate) as one line; usage errors
as exit 2; the API key never printed. `monitor discover`: a Signet certificate already known, a
self-signed one added to the inventory (and known the second time), a closed port failing the
command, --add-monitors watching only what answered and nothing twice, and a private address
refused with the setting to change."""

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

    def discovery_rows(self, out):
        """The discovery table's rows by endpoint (the lines up to the first blank one)."""
        lines = out.split("\n\n")[0].splitlines()
        self.assertTrue(lines[0].startswith("ENDPOINT"), out)
        return {line.split()[0]: line for line in lines[1:]}

    def test_discovery(self):
        self.start()
        cert = self.issue(NAME)
        signet_site = self.site()
        signet_site.install(cert["certificate"] + self.chain_of(cert), self.key_of(cert), NAME)
        # TlsSite serves a self-signed placeholder (openssl req -x509) until one is installed.
        self_signed = deploy_servers.TlsSite(os.path.join(self.temp_dir(), "found"),
                                             "found.insecure.test")
        self.addCleanup(self_signed.stop)
        known, found = f"127.0.0.1:{signet_site.port}", f"127.0.0.1:{self_signed.port}"

        # Both answer: exit 0, whatever they serve. The Signet certificate is known (and does not
        # cover 127.0.0.1, the name discovery asks for), the self-signed one is added to the
        # inventory as discovered; each problem explained; no monitor is made.
        out, err = self.signet("monitor", "discover", "127.0.0.1", "--port", signet_site.port,
                               "--port", self_signed.port)
        self.assertEqual(err, "")
        rows = self.discovery_rows(out)
        self.assertEqual(sorted(rows), sorted([known, found]), out)
        for text in ("127.0.0.1", "critical", NAME, cert["not_after"][:10], "already known",
                     cert["id"], "name_mismatch"):
            self.assertIn(text, rows[known])
        for text in ("critical", "added", "dc_", "self_signed"):
            self.assertIn(text, rows[found])
        self.assertIn("\n    - self_signed: ", out.split(f"\n  {found}:\n")[1])
        self.assertIn("what to do: install a certificate issued by a certificate authority", out)
        self.assertIn("To keep watching an endpoint: signet monitor add HOST --port PORT", out)
        self.assertEqual(self.signet_json("monitor", "list")["items"], [])
        discovered = rows[found].split()[rows[found].split().index("added") + 1]
        inventory = self.api.get(f"/api/v1/certificates/{discovered}").body
        self.assertEqual((inventory["source"], inventory["alias"]),
                         ("discovered", f"discovered on {found}"))

        # Found again, it is the same entry and known now; ports separated by commas; JSON is the
        # API's document.
        result = self.signet_json("monitor", "discover", "127.0.0.1", "--port",
                                  f"{self_signed.port},{signet_site.port}")
        self.assertEqual(set(result), {"items"})
        by_port = {e["port"]: e for e in result["items"]}
        self.assertEqual((by_port[self_signed.port]["added"],
                          by_port[self_signed.port]["certificate_id"]), (False, discovered))
        self.assertEqual((by_port[signet_site.port]["added"],
                          by_port[signet_site.port]["certificate_id"]), (False, cert["id"]))
        self.assertIn("self_signed", [p["code"] for p in by_port[self_signed.port]["problems"]])
        out, _ = self.signet("monitor", "discover", "127.0.0.1", "--port", self_signed.port)
        self.assertIn("already known", self.discovery_rows(out)[found])

        # --add-monitors: a monitor for each endpoint that answered, none for the closed port,
        # which fails the command (exit 1) and is named on stderr.
        closed = dcv_servers.free_port()
        out, err = self.signet("monitor", "discover", "127.0.0.1", "--port", signet_site.port,
                               "--port", self_signed.port, "--port", closed, "--add-monitors",
                               expect=1)
        self.assertEqual(err.strip(),
                         f"signet: 1 of 3 endpoints did not answer: 127.0.0.1:{closed}")
        self.assertIn("unreachable", self.discovery_rows(out)[f"127.0.0.1:{closed}"])
        self.assertIn("what to do: check that the host resolves", out)
        monitors = {(m["host"], m["port"]): m for m in self.signet_json("monitor", "list")["items"]}
        self.assertEqual(sorted(monitors),
                         [("127.0.0.1", p) for p in sorted([signet_site.port, self_signed.port])])
        section = out.split("Monitors:\n")[1]
        for port in (signet_site.port, self_signed.port):
            mid = monitors[("127.0.0.1", port)]["id"]
            self.assertRegex(section, rf"127\.0\.0\.1:{port} https\s+{mid}\s+added")
        # Again: nothing twice, the monitors there are named; in JSON as "monitors".
        result = self.signet_json("monitor", "discover", "127.0.0.1", "--port", signet_site.port,
                                  "--port", self_signed.port, "--add-monitors")
        self.assertEqual(sorted(m["id"] for m in result["monitors"]),
                         sorted(m["id"] for m in monitors.values()))
        self.assertEqual(len(self.signet_json("monitor", "list")["items"]), 2)
        out, _ = self.signet("monitor", "discover", "127.0.0.1", "--port", self_signed.port,
                             "--add-monitors")
        mid = monitors[("127.0.0.1", self_signed.port)]["id"]
        self.assertRegex(out, rf"127\.0\.0\.1:{self_signed.port} https\s+{mid}\s+watched already")

        # The server's refusal is one line; the command line is checked before anything is sent.
        _, err = self.signet("monitor", "discover", "a b", expect=1)
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertIn("not a host name", err)
        self.assertIn("HTTP 400", err)
        for args in (("monitor", "discover"), ("monitor", "discover", "x.test", "--port", "0"),
                     ("monitor", "discover", "x.test", "--port", "https")):
            _, err = self.signet(*args, expect=2)
            self.assertTrue(err.startswith("signet: "), err)
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
        # Discovery does not connect to loopback either: the row says why, and so does exit 1.
        port = dcv_servers.free_port()
        out, err = self.signet("monitor", "discover", "127.0.0.1", "--port", port, expect=1)
        self.assertIn("unreachable", out.splitlines()[1])
        self.assertIn(f"  127.0.0.1:{port}:\n    - ", out)
        self.assertIn("is a loopback or private address", out)
        self.assertIn("what to do: use a public name or address, or ask the operator to set "
                      "monitoring.allow_private_addresses = true", out)
        self.assertEqual(err.strip(), f"signet: 1 of 1 endpoints did not answer: 127.0.0.1:{port}")
        out, _ = self.signet("-o", "json", "monitor", "discover", "127.0.0.1", "--port", port,
                             expect=1)
        [endpoint] = json.loads(out)["items"]
        self.assertEqual((endpoint["status"], endpoint["certificate"], endpoint["added"]),
                         ("unreachable", None, False))
        self.assertIn("monitoring.allow_private_addresses", endpoint["problems"][0]["detail"])
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
