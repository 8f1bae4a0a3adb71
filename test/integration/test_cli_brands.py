"""`signet` and the brands of issue 18 (docs/BRANDS.md), with Debian's pebble as the upstream
ACME CA as in test_brands.py: `products` names who issues each product (Signet's CA or the
public CA's host); an order by dns_txt placed, filled in and submitted with the CLI is issued by
pebble, and `order show`, `order list`, `certificate show` and `certificate list` say so (the
issuer, the upstream.* timeline with its details, the source "upstream (public CA)"); the
automatic renewal shows as "Renews" with its upstream.renewal event; `upstream list` shows the
CA reachable with Signet's account and exits 0 for an administrator, and an owner's key gets the
403 as one line; with the upstream's directory on a closed port, `upstream list` exits 1 and
says why, on stdout and on stderr."""

import datetime
import json
import os
import re
import subprocess

import dcv_servers
import harness
from test_brands import Brands
from test_cli import CliFixture
from test_orders import ADMIN, OrderFixture

NAME = "www.insecure.test"


class CliBrands(CliFixture, OrderFixture):
    start = Brands.start
    validations = Brands.validations

    def admin_key(self):
        return self.server.initial_admin()["api_key"]

    def listener_certificate(self):
        """A self-signed certificate for 127.0.0.1 and its key, valid for a year from now."""
        d = self.temp_dir()
        cert, key = os.path.join(d, "listener.pem"), os.path.join(d, "listener.key")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert,
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-days", "365"], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        return cert, key

    def row(self, out, first):
        return next(line for line in out.splitlines() if line.startswith(first))

    def test_a_brand_from_the_catalog_to_its_renewal(self):
        self.start()
        self.login()
        host = f"127.0.0.1:{self.pebble.port}"

        # The catalog: the brand is the public CA's.
        out, _ = self.signet("products")
        self.assertIn("ISSUER", out.splitlines()[0])
        self.assertIn(f"public CA: {host}", self.row(out, "pebble-dv"))
        self.assertEqual(self.signet_json("products"), self.api.get("/api/v1/products").body)

        # The upstream as an administrator sees it: reachable, Signet's account there, exit 0.
        out, err = self.signet("upstream", "list", "--api-key", self.admin_key())
        self.assertEqual(err, "")
        header = out.splitlines()[0].split("  ")
        for column in ("DIRECTORY", "PRODUCTS", "ACCOUNT", "EAB REQUIRED", "ARI", "REACHABLE"):
            self.assertIn(column, [h.strip() for h in header if h.strip()])
        listed = self.signet_json("upstream", "list", "--api-key", self.admin_key())
        (health,) = listed["items"]
        self.assertTrue(health["reachable"])
        self.assertEqual(health["products"], ["pebble-dv"])
        self.assertTrue(health["account_url"].startswith(f"https://{host}/"), health)
        row = self.row(out, self.pebble.directory_url)
        self.assertEqual(row.split(), [self.pebble.directory_url, "pebble-dv",
                                       health["account_url"], "no", "no", "yes"])
        # An owner's key: the API's 403 as one line, nothing on stdout.
        problem = self.api.get("/api/v1/upstreams")
        self.assertStatus(problem, 403)
        out, err = self.signet("upstream", "list", expect=1)
        self.assertEqual(out, "")
        self.assertEqual(err, f"signet: {problem.body['detail']} ({problem.body['code']}, "
                              "HTTP 403)\n")

        # An order by dns_txt, placed, filled in and submitted with the CLI.
        oid = self.signet_json("order", "create", "--product", "pebble-dv")["id"]
        out, _ = self.signet("order", "application", oid, "--domain", NAME, "--generate-key",
                             "ecdsa-p256", "--admin-name", ADMIN["name"], "--admin-email",
                             ADMIN["email"], "--admin-phone", ADMIN["phone"],
                             "--admin-position", ADMIN["position"], "--method", "dns_txt")
        self.assertRegex(out, rf"Issuer:\s+public CA: {re.escape(host)}\n")
        out, _ = self.signet("order", "submit", oid)
        self.assertRegex(out, rf"Issuer:\s+public CA: {re.escape(host)}\n")
        # pebble's challenges become the order's validations, shown with what to publish.
        found = self.validations({"id": oid})
        out, _ = self.signet("order", "show", oid)
        for v in found:
            self.assertIn(v["instructions"]["record_name"], out)
            self.assertIn(v["instructions"]["value"], out)
            self.publish_txt(v)
        self.signet("order", "check", oid)
        self.signet("order", "wait", oid, "--until", "issued", "--timeout", "90")

        order = self.get({"id": oid})
        cert_id = order["certificate_id"]
        out, _ = self.signet("order", "show", oid)
        self.assertRegex(out, r"Product:\s+pebble-dv \(dv\)\n")
        self.assertRegex(out, rf"Issuer:\s+public CA: {re.escape(host)}\n")
        self.assertRegex(out, rf"Certificate:\s+{cert_id}\n")
        self.assertNotIn("Renews:", out)
        # The upstream's steps in the timeline, each with its detail.
        upstream = [e for e in order["timeline"] if e["event"].startswith("upstream.")]
        self.assertEqual({e["event"] for e in upstream},
                         {"upstream.ordered", "upstream.challenge_answered", "upstream.finalized"})
        lines = [line.split() for line in out.splitlines()]
        for e in upstream:
            self.assertIn([e["at"], e["event"], "system", *e["detail"].split()], lines)
        # Each name's challenge answered (twice when `order check` and the job both got there).
        details = {e["detail"] for e in upstream if e["event"].endswith("_answered")}
        self.assertEqual(details, {"insecure.test: dns-01", "www.insecure.test: dns-01"})
        (ordered,) = [e["detail"] for e in upstream if e["event"] == "upstream.ordered"]
        self.assertTrue(ordered.startswith(f"order https://{host}/"), ordered)
        out, _ = self.signet("order", "list")
        self.assertIn("ISSUER", out.splitlines()[0])
        self.assertIn(f"public CA: {host}", self.row(out, oid))
        self.assertEqual(self.signet_json("order", "show", oid), self.get({"id": oid}))

        # The certificate: from the upstream, pebble's issuer.
        cert = self.api.get(f"/api/v1/certificates/{cert_id}").body
        self.assertIn("Pebble", cert["issuer"])
        out, _ = self.signet("certificate", "show", cert_id)
        self.assertRegex(out, r"Source:\s+upstream \(public CA\)\n")
        self.assertRegex(out, rf"Issuer:\s+{re.escape(cert['issuer'])}\n")
        self.assertRegex(out, r"Product:\s+pebble-dv\n")
        self.assertRegex(out, rf"Order:\s+{oid}\n")
        out, _ = self.signet("certificate", "list")
        header = out.splitlines()[0]
        self.assertIn("SOURCE", header)
        self.assertIn("ISSUER", header)
        row = self.row(out, cert_id)
        self.assertIn("upstream (public CA)", row)
        self.assertIn(cert["issuer"], row)

        # Two thirds into its lifetime (pebble offers no ARI), Signet renews it on its own; the
        # renewal order says which certificate it renews.
        start, end = (datetime.datetime.fromisoformat(cert[k].replace("Z", "+00:00"))
                      for k in ("not_before", "not_after"))
        now = datetime.datetime.now(datetime.timezone.utc)
        offset = start + (end - start) * 2 / 3 + datetime.timedelta(hours=1) - now
        # signetd would issue its own listener certificate again, valid from its shifted clock
        # on, which the CLI (checking it by the real clock) refuses: it gets one valid now.
        cert, key = self.listener_certificate()
        self.server.stop()
        later = self.new_signetd(data_dir=self.server.data_dir, settings=dict(
            self.server.settings, **{"clock.offset_seconds": str(int(offset.total_seconds())),
                                     "scheduler.interval_seconds": "1",
                                     "tls.cert": cert, "tls.key": key}))
        later.start()
        self.server = later
        url = ("--url", later.url, "--ca-file", cert)

        def renewal():
            listed = self.signet_json("order", "list", *url)["items"]
            found = [o for o in listed if o.get("continues_certificate_id") == cert_id]
            return found[0] if found else None

        successor = harness.wait_until(renewal, 60, interval=0.5, message="the renewal order")
        self.assertNotEqual(successor["id"], oid)
        out, _ = self.signet("order", "show", successor["id"], *url)
        self.assertRegex(out, rf"Issuer:\s+public CA: {re.escape(host)}\n")
        self.assertRegex(out, rf"Renews:\s+{cert_id}\n")
        self.assertRegex(out, r"\n  \S+\s+upstream\.renewal\s")
        self.assertKeyNeverShown()

    def test_an_unreachable_upstream_fails_upstream_list(self):
        closed = dcv_servers.free_port()
        directory = f"https://127.0.0.1:{closed}/dir"
        self.start(product_upstream={"acme_directory": directory})
        self.login()
        out, _ = self.signet("products")
        self.assertIn(f"public CA: 127.0.0.1:{closed}", self.row(out, "pebble-dv"))

        out, err = self.signet("upstream", "list", "--api-key", self.admin_key(), expect=1)
        row = self.row(out, directory)
        # Nothing known of what its directory would say: no account, EAB, ARI or profiles.
        self.assertRegex(row, rf"^{re.escape(directory)}\s+pebble-dv\s+no: ")
        reason = row.split("no: ", 1)[1]
        self.assertIn("could not be reached", reason)
        self.assertIn(f"127.0.0.1:{closed}", reason)
        # One line on stderr: the server's reason, which names the CA.
        self.assertEqual(err, f"signet: {reason}\n")
        # With -o json: the API's document on stdout, the exit status and stderr the same.
        out, err = self.signet("-o", "json", "upstream", "list", "--api-key", self.admin_key(),
                               expect=1)
        (health,) = json.loads(out)["items"]
        self.assertFalse(health["reachable"])
        self.assertEqual(health["error"], reason)
        self.assertIsNone(health["account_url"])
        self.assertEqual(err, f"signet: {reason}\n")


harness.make_backend_tests(globals(), CliBrands)

if __name__ == "__main__":
    harness.main()
