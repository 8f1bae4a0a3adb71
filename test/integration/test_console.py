"""The web console end to end: the real signetd (with Knot DNS for validation) serving the built
console, driven in Debian's headless Chromium by test/console/e2e.mjs (playwright-core).

This file starts the world, creates the users and writes a JSON config for the browser script;
the script signs in, buys and completes orders, publishes the DNS record it reads from the page
(knsupdate with the test zone's TSIG key), reviews in a second browser context, downloads the
nginx bundle, switches to 中文, invites a colleague who accepts from the emailed link, and writes
screenshots to build/console-screenshots/. Then, in English and in 中文, the initial administrator
(signing in with what the first start wrote to initial-admin.txt) invites buyers into accounts of
their own, who order, validate through the host record, reissue and bulk-download; and after the
script has this side restart signetd with its clock 31 days on (ServerControl), start an expired
validation again. Each buyer also deploys their reissued certificate (test/console/deploy.mjs) over
SSH to a real OpenSSH server started here (deploy_servers.SshServer) into the files of an nginx site
of their language (deploy_servers.TlsSite), checked at 127.0.0.1:<its port>; after the browser run
this side asks nginx which serial it serves. Each buyer also watches nginx sites started here with
monitors (test/console/monitor.mjs): their certificate installed by hand (SiteControl), with and
without its chain, and a self-signed one, found by discovery; and adds chat robots played here
(test_chat_channels.RobotReceiver, trusted through notify.ca_file) as notification channels
(test/console/channels.mjs), whose test messages this side checks arrived signed. The
administrator lands on the overview of their own account (the first user runs the whole service);
each buyer also sets a forgotten password again from the emailed reset link and signs another
browser out from their list of sessions. The catalog adds to the built-in products a brand
whose upstream CA is pebble (upstream_servers.Pebble), which the administrator sees on the
Upstream CAs page and buys (test/console/upstreams.mjs).

Invitation and password reset emails go to a real SMTP sink (aiosmtpd). A thread here writes
each message it receives, decoded, as NNNN.json ({to, subject, text}) into the config's `mailbox`
directory, which the browser script polls for the links: the script never parses MIME, and this side never
needs to know which message the script is waiting for.

By hand, with a copy of the server:
    SIGNETD=/tmp/console-signetd PYTHONPATH=test/integration /usr/bin/python3 \
        test/integration/test_console.py
    ... test_console.py --serve    keeps the world running and prints the config (development)
"""

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import unittest

import dcv_servers
import deploy_servers
import harness
import upstream_servers
from test_chat_channels import RobotReceiver
from test_domain_validation import DcvFixture

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
E2E_SCRIPT = os.path.join(ROOT, "test", "console", "e2e.mjs")
CHROMIUM = "/usr/bin/chromium"
APPLICANT = ("applicant@example.com", "applicant-password-1")
REVIEWER = ("reviewer@ca.example", "reviewer-password-1")
ACCOUNT = "acme-trading"
# The applicant invites a colleague from the console; the colleague was already invited to a
# second account (by its owner, through the API), so they accept that one with the password they
# chose for the first and then belong to two accounts.
COLLEAGUE = ("colleague@example.com", "colleague-password-1")
OTHER_OWNER = ("owner@northwind.example", "northwind-password-1")
OTHER_ACCOUNT = "northwind-labs"
# Buyers invited by the initial administrator (from the credentials file the first start wrote)
# into accounts of their own, one journey in English and one in 中文.
BUYER_ACCOUNTS = {"en": "globex-en", "zh": "globex-zh"}
# Reissue: the old certificate is revoked this many hours after the new one is issued; the
# console's confirmation must say this number (not a default of its own).
SUPERSEDE_HOURS = 48
# The DingTalk robot's signing secret (加签) each buyer pastes (test/console/channels.mjs).
DINGTALK_SECRET = "SECc0ffee0123456789abcdef0123456789abcdef0123456789abcdef01234567"
# The catalog: the built-in one (src/ra/product_catalog.cc Default()), which the journeys buy
# from, and a brand whose upstream CA is pebble (test/console/upstreams.mjs).
BUILT_IN_PRODUCTS = [
    ("dv-single", "DV SSL, single domain", "dv", "single", 1, 12),
    ("dv-multi", "DV SSL, multi-domain (up to 5)", "dv", "multi", 5, 12),
    ("dv-wildcard", "DV SSL, wildcard", "dv", "wildcard", 1, 12),
    ("dv-mixed", "DV SSL, multi-domain with wildcards (up to 5)", "dv", "mixed", 5, 12),
    ("ov-single", "OV SSL, single domain", "ov", "single", 1, 12),
    ("ov-multi", "OV SSL, multi-domain (up to 5)", "ov", "multi", 5, 12),
    ("ov-wildcard", "OV SSL, wildcard", "ov", "wildcard", 1, 12),
    ("ev-single", "EV SSL, single domain", "ev", "single", 1, 12),
    ("ev-multi", "EV SSL, multi-domain (up to 5)", "ev", "multi", 5, 12),
    ("acme-dv", "DV by ACME, up to 100 names with wildcards, 3-month term", "dv", "mixed", 100, 3),
]
BRAND_PRODUCT = "pebble-dv"
# Endpoints the console has pages for that the server is still gaining (issue 7/8 work).
PLANNED_ENDPOINTS = ("/api/v1/eab-keys", "/api/v1/notification-channels")


def console_dir():
    """The built console: beside the signetd under test (build/bin/../console), else the
    checkout's build/console (when SIGNETD is a copy elsewhere)."""
    for d in (os.path.join(os.path.dirname(harness.signetd_binary()), "..", "console"),
              os.path.join(ROOT, "build", "console")):
        if os.path.isfile(os.path.join(d, "index.html")):
            return os.path.abspath(d)
    raise RuntimeError("the console is not built: run scripts/build-console.sh (make build)")


def screenshot_dir():
    return os.environ.get("SIGNET_CONSOLE_SCREENSHOTS",
                          os.path.join(ROOT, "build", "console-screenshots"))


class Mailbox:
    """Writes every message an SmtpSink receives, decoded, into a directory as NNNN.json:
    {"to", "subject", "text"} (the plain-text body). Written whole, then renamed into place, so
    a reader never sees half a file."""

    def __init__(self, sink, directory):
        self.sink = sink
        self.directory = directory
        os.makedirs(directory, exist_ok=True)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="console-mailbox", daemon=True)
        self._thread.start()

    def _run(self):
        written = 0
        while not self._stop.is_set():
            for message in self.sink.messages()[written:]:
                written += 1
                body = message.get_body(preferencelist=("plain",))
                doc = {"to": str(message["To"] or ""), "subject": str(message["Subject"] or ""),
                       "text": body.get_content() if body is not None else ""}
                path = os.path.join(self.directory, f"{written:04d}.json")
                with open(path + ".tmp", "w") as f:
                    json.dump(doc, f)
                os.replace(path + ".tmp", path)
            self._stop.wait(0.1)

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=5)


class _ControlRequests:
    """Answers a request the browser script writes into the control directory: REQUEST.json is
    read and removed, handle(request) runs, and ANSWER.json gets its answer ({"error"} when it
    raised). The script waits for that file (no fixed sleep); writes are whole files renamed into
    place, so neither side reads half of one."""

    request_name = answer_name = ""

    def __init__(self, directory):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="console-" + self.request_name,
                                        daemon=True)
        self._thread.start()

    def _run(self):
        request = os.path.join(self.directory, self.request_name + ".json")
        while not self._stop.is_set():
            if os.path.exists(request):
                with open(request) as f:
                    body = json.load(f)
                os.remove(request)
                try:
                    answer = self.handle(body)
                except Exception as e:  # reported to the script, which fails with it
                    answer = {"error": repr(e)}
                done = os.path.join(self.directory, self.answer_name + ".json")
                with open(done + ".tmp", "w") as f:
                    json.dump(answer, f)
                os.replace(done + ".tmp", done)
            self._stop.wait(0.1)

    def handle(self, request):
        raise NotImplementedError

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=5)


class ServerControl(_ControlRequests):
    """Lets the browser script move the server's clock forward, as days passing would: it writes
    `restart.json` ({"offset_seconds": N}) into the control directory; this stops signetd and
    starts it again on the same data directory and port with clock.offset_seconds=N, then writes
    `restarted.json` ({"url"} or {"error"})."""

    request_name, answer_name = "restart", "restarted"

    def __init__(self, test, directory):
        self.test = test
        super().__init__(directory)

    def handle(self, request):
        return {"url": self._restart(int(request["offset_seconds"]))}

    def _restart(self, offset):
        old = self.test.server
        port = old.port
        self.test.assertEqual(old.stop(), 0, "signetd stops cleanly before the clock moves")
        settings = dict(old.settings, **{"clock.offset_seconds": str(offset),
                                         "listen": f"127.0.0.1:{port}"})
        moved = self.test.new_signetd(data_dir=old.data_dir, settings=settings,
                                      database_url=old.database_url)
        moved.start()
        self.test.server = moved
        return moved.url


class SiteControl(_ControlRequests):
    """Lets the browser script install files on one of the nginx sites, as an administrator does
    by hand: `install.json` ({"site", "fullchain", "key", "server_name"}) is answered with
    `installed.json` ({} or {"error"}) once nginx serves the new certificate
    (deploy_servers.TlsSite.install)."""

    request_name, answer_name = "install", "installed"

    def __init__(self, sites, directory):
        self.sites = sites
        super().__init__(directory)

    def handle(self, request):
        self.sites[request["site"]].install(request["fullchain"], request["key"],
                                            request["server_name"])
        return {}


class ConsoleWorld(DcvFixture):
    def start_console_world(self):
        self.smtp = dcv_servers.SmtpSink()
        self.addCleanup(self.smtp.stop)
        mailbox = Mailbox(self.smtp, os.path.join(self.temp_dir(), "mailbox"))
        self.addCleanup(mailbox.stop)
        robots = self.start_robots()
        pebble, catalog = self.upstream_catalog()
        self.start_world(web=False, smtp=False,
                         extra={"console.dir": console_dir(), "smtp.url": self.smtp.url,
                                # A brand issued by pebble, an upstream CA on 127.0.0.1.
                                "products.file": catalog,
                                "upstream.allow_private_addresses": "true",
                                # The chat robots (test_chat_channels.RobotReceiver) on
                                # 127.0.0.1, trusted through their throwaway CA.
                                "notify.ca_file": self.robots.ca_file,
                                "notify.allow_private_webhooks": "true",
                                "reissue.supersede_after_hours": str(SUPERSEDE_HOURS),
                                # The journeys watch nginx sites on 127.0.0.1, and check them
                                # with Check now only: no scheduled check adds to the timeline.
                                "monitoring.allow_private_addresses": "true",
                                "monitoring.scan_interval_seconds": "3600"})
        # pebble validates dns-01 against the test's Knot; no http-01 here.
        pebble.start(self.dns.address, dcv_servers.free_port())
        control = ServerControl(self, os.path.join(self.temp_dir(), "control"))
        self.addCleanup(control.stop)
        deployment = self.start_deploy_servers()
        monitoring = self.start_monitored_sites(control.directory)
        self.server.create_user(APPLICANT[0], "owner", ACCOUNT, password=APPLICANT[1])
        self.server.create_user(REVIEWER[0], "reviewer", password=REVIEWER[1])
        self.server.create_user(OTHER_OWNER[0], "owner", OTHER_ACCOUNT, password=OTHER_OWNER[1])
        for lang, account in BUYER_ACCOUNTS.items():
            self.server.create_user(f"founder-{lang}@example.com", "owner", account)
        other = self.server.client(self.server.create_api_key(OTHER_OWNER[0],
                                                              account=OTHER_ACCOUNT))
        self.assertStatus(other.post("/api/v1/users", {"email": COLLEAGUE[0], "role": "member"}),
                          201)
        # Pages whose endpoints this signetd lacks are checked for showing the error instead.
        paths = self.server.client().get("/api/v1/openapi.json").body["paths"]
        missing = [p for p in PLANNED_ENDPOINTS if p not in paths]
        return {
            "missing_endpoints": missing,
            "url": self.server.url,
            "chromium": CHROMIUM,
            "applicant": {"email": APPLICANT[0], "password": APPLICANT[1]},
            "reviewer": {"email": REVIEWER[0], "password": REVIEWER[1]},
            "account": ACCOUNT,
            "colleague": {"email": COLLEAGUE[0], "password": COLLEAGUE[1]},
            "other_account": OTHER_ACCOUNT,
            # What the first start wrote to data_dir/initial-admin.txt: the browser signs in
            # with it and invites the buyers.
            "initial_admin": {k: v for k, v in self.server.initial_admin().items()
                              if k in ("email", "password")},
            "buyer_accounts": BUYER_ACCOUNTS,
            "supersede_hours": SUPERSEDE_HOURS,
            # Moving the server's clock (see ServerControl).
            "control": control.directory,
            # Invitation emails, decoded (see Mailbox).
            "mailbox": mailbox.directory,
            # The browser script publishes the value the page shows, as an applicant would.
            "dns": {"server": "127.0.0.1", "port": self.dns.port,
                    "key": self.dns.admin_key.knsupdate_argument()},
            "domain_zone": "insecure.test",
            "screenshots": screenshot_dir(),
            "upload": self.upload_fixture(),
            # Deployment: the SSH server and each language's nginx site (None without root).
            "deployment": deployment,
            # Monitoring: the nginx sites each language's journey watches.
            "monitoring": monitoring,
            # Notification channels: each language's chat robots (see start_robots).
            "robots": robots,
            # The brand product and its upstream CA (see upstream_catalog).
            "upstream": {"product": BRAND_PRODUCT, "directory": pebble.directory_url},
        }

    def upstream_catalog(self):
        """pebble (not started yet: it needs the DNS server) and a products.file with the
        built-in catalog and a brand product pebble issues (upstream_servers.Pebble)."""
        tmp = self.temp_dir()
        pebble = upstream_servers.Pebble(os.path.join(tmp, "pebble"))
        self.addCleanup(pebble.stop)
        products = [{"id": i, "name": n, "type": t, "coverage": c, "max_domains": m,
                     "term_months": months} for i, n, t, c, m, months in BUILT_IN_PRODUCTS]
        products.append({"id": BRAND_PRODUCT, "name": "Pebble DV", "type": "dv",
                         "coverage": "single",
                         "upstream": {"acme_directory": pebble.directory_url,
                                      "ca_file": pebble.ca_file,
                                      "contact": "ops@example.com"}})
        catalog = os.path.join(tmp, "products.json")
        with open(catalog, "w") as f:
            json.dump({"products": products}, f)
        return pebble, catalog

    def start_robots(self):
        """Chat robots the buyers add as notification channels (test/console/channels.mjs), per
        language: a DingTalk robot that checks its signature (加签) and a Slack webhook whose
        channel is archived (Slack's own refusal, to see it shown as given)."""
        self.robots = RobotReceiver(os.path.join(self.temp_dir(), "robots"))
        self.addCleanup(self.robots.stop)
        config = {}
        for lang in BUYER_ACCOUNTS:
            gone = f"slack-gone-{lang}"
            config[lang] = {
                "dingtalk": self.robots.add("dingtalk", f"ding-{lang}", DINGTALK_SECRET),
                "dingtalk_secret": DINGTALK_SECRET,
                "slack_gone": self.robots.add("slack", gone)}
            self.robots.fail(gone, 410, b"channel_is_archived")
        return config

    def check_robots(self):
        """Each language's DingTalk robot received the test message the buyer sent, signed."""
        for lang in BUYER_ACCOUNTS:
            got = self.robots.wait_for(
                f"ding-{lang}", lambda r: "channel.test" in (r.get("text") or ""), timeout=5)
            self.assertEqual(got["signature"], "ok", f"the {lang} test message is signed: {got}")

    def start_deploy_servers(self):
        """A real OpenSSH server (key login, its host key to pin) and an nginx site per buyer
        language, whose files a deployment writes and whose reload command it runs. The browser
        writes what it deployed to `results` (<lang>.json: {name, serial})."""
        tmp = self.temp_dir()
        try:
            ssh = deploy_servers.SshServer(os.path.join(tmp, "deploy-ssh"))
        except unittest.SkipTest as e:
            sys.stderr.write(f"console: no deployment journey ({e})\n")
            self.deploy_sites = {}
            return None
        self.addCleanup(ssh.stop)
        self.deploy_sites = {}
        for lang in BUYER_ACCOUNTS:
            site = deploy_servers.TlsSite(os.path.join(tmp, f"deploy-site-{lang}"))
            self.addCleanup(site.stop)
            self.deploy_sites[lang] = site
        self.deploy_results = os.path.join(tmp, "deployed")
        return {
            "ssh": {"port": ssh.port, "username": ssh.username, "host_key": ssh.host_key,
                    "other_host_key": ssh.other_host_key, "client_key_pem": ssh.client_key_pem},
            "sites": {lang: {"port": site.port, "cert_file": site.cert_file,
                             "key_file": site.key_file, "reload_command": site.reload_command}
                      for lang, site in self.deploy_sites.items()},
            "results": self.deploy_results,
        }

    def start_monitored_sites(self, control_dir):
        """Per buyer language, two nginx sites to watch: `good`, on which the browser installs the
        buyer's certificate (through SiteControl, as an administrator would by hand), and
        `self_signed`, serving the self-signed certificate `openssl req -x509` made for its name
        (a critical finding)."""
        tmp = self.temp_dir()
        sites, config = {}, {}
        for lang in BUYER_ACCOUNTS:
            config[lang] = {}
            for kind in ("good", "self_signed"):
                name = f"{kind.replace('_', '-')}.{lang}-monitored.insecure.test"
                site = deploy_servers.TlsSite(os.path.join(tmp, f"monitor-{lang}-{kind}"), name)
                self.addCleanup(site.stop)
                sites[f"{lang}-{kind}"] = site
                config[lang][kind] = {"id": f"{lang}-{kind}", "port": site.port, "name": name}
        control = SiteControl(sites, control_dir)
        self.addCleanup(control.stop)
        return {"sites": config}

    def check_deployed(self):
        """nginx serves, for each language, the certificate the browser deployed."""
        for lang, site in self.deploy_sites.items():
            path = os.path.join(self.deploy_results, f"{lang}.json")
            self.assertTrue(os.path.exists(path), f"the {lang} journey deployed a certificate")
            with open(path) as f:
                deployed = json.load(f)
            self.assertEqual(site.served_serial(deployed["name"]),
                             deployed["serial"].lower().lstrip("0") or "0",
                             f"nginx ({lang}) serves the deployed certificate {deployed}")
            sys.stderr.write(f"console: nginx ({lang}) serves {deployed['name']} with the "
                             f"deployed serial {deployed['serial']}\n")

    @staticmethod
    def upload_fixture():
        """A certificate issued elsewhere with its key encrypted under a password."""
        from test_hardening import KEY_PASSWORD, certificate_with_key, key_pem
        leaf, root, key = certificate_with_key()
        return {"certificate": leaf, "chain": root, "encrypted_key": key_pem(key, KEY_PASSWORD),
                "password": KEY_PASSWORD}


class ConsoleEndToEnd(ConsoleWorld):
    def test_console_journeys_in_chromium(self):
        if not os.access(CHROMIUM, os.X_OK):
            self.fail(f"{CHROMIUM} is missing: run scripts/install-deps.sh")
        config = self.start_console_world()
        path = os.path.join(self.temp_dir(), "console-e2e.json")
        with open(path, "w") as f:
            json.dump(config, f)
        os.makedirs(config["screenshots"], exist_ok=True)
        proc = subprocess.run(["node", E2E_SCRIPT, path], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=600)
        sys.stderr.write(proc.stdout)
        self.assertEqual(proc.returncode, 0, "the browser journeys failed (output above)")
        if config["deployment"]:
            self.check_deployed()
        self.check_robots()


def serve_forever():
    """Development: start the world, print the config, wait for Ctrl-C."""

    class Serve(ConsoleWorld, harness.SignetTestCase):
        def runTest(self):
            config = self.start_console_world()
            with open("/tmp/console-dev.json", "w") as f:
                json.dump(config, f)
            print(json.dumps(config, indent=2), flush=True)
            try:
                while self.server.running():
                    time.sleep(1)
            except KeyboardInterrupt:
                pass

    Serve().run()


harness.make_backend_tests(globals(), ConsoleEndToEnd, backends=["sqlite"])

if __name__ == "__main__":
    if "--serve" in sys.argv:
        serve_forever()
    else:
        harness.main()
