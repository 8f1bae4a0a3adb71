"""`signet channel` against the real signetd and an HTTPS server playing the vendors' robots
(test_chat_channels.RobotReceiver, which checks DingTalk's signature as DingTalk does): a DingTalk
robot added with its secret from a file, listed as signed, tested (exit 0, the signature
verified); the same robot with a wrong secret tested (exit 1, DingTalk's errmsg shown); a secret
from standard input; a webhook whose generated secret is printed once, with a warning, and never
again (not in `list`, not in JSON); monitor alerts as a daily digest, at creation and with `set`;
removal; refusals as one line and usage errors as exit 2; no secret ever on the command line."""

import json
import os

import harness
from test_chat_channels import DINGTALK_SECRET, FEISHU_SECRET, RobotReceiver
from test_cli import CliFixture
from test_orders import OrderFixture

CHANNELS = "/api/v1/notification-channels"


class CliChannels(CliFixture, OrderFixture):
    def start_signetd(self, data_dir=None, settings=None, database_url="default"):
        # The receiver's throwaway CA: notify.ca_file (libcurl reads no environment variable).
        settings = dict(settings or {}, **{"notify.ca_file": self.robots.ca_file})
        return super().start_signetd(data_dir, settings, database_url)

    def start(self):
        self.robots = RobotReceiver(os.path.join(self.temp_dir(), "robots"))
        self.addCleanup(self.robots.stop)
        # Without SMTP, so that an email channel's test is refused as such.
        self.start_world(web=False, smtp=False, extra={"notify.allow_private_webhooks": "true"})
        self.login()

    def secret_file(self, text, mode=0o600):
        path = os.path.join(self.temp_dir(), "secret")
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, mode)
        return path

    def added_id(self, out):
        return next(line.split()[-1] for line in out.splitlines() if line.startswith("Channel:"))

    def row(self, channel_id):
        out, _ = self.signet("channel", "list")
        self.assertTrue(out.startswith("ID"), out)
        return next(line for line in out.splitlines() if line.startswith(channel_id))

    def test_add_list_test_set_and_remove(self):
        self.start()

        # A DingTalk robot, its signing secret from a file: signed, alerts immediate by default.
        ding_url = self.robots.add("dingtalk", "ding", DINGTALK_SECRET)
        out, err = self.signet("channel", "add", "--kind", "dingtalk", "--target", ding_url,
                               "--secret-file", self.secret_file(DINGTALK_SECRET + "\n"))
        self.assertEqual(err, "")
        ding = self.added_id(out)
        self.assertTrue(ding.startswith("chan_"), out)
        self.assertRegex(out, r"Kind:\s+dingtalk")
        self.assertRegex(out, r"Signed:\s+yes")
        self.assertRegex(out, r"Monitor alerts:\s+immediate")
        self.assertNotIn("Secret:", out)
        row = self.row(ding)
        for text in ("dingtalk", ding_url, "yes", "immediate"):
            self.assertIn(text, row)

        # Tested: DingTalk's signature checks out, exit 0, who took it.
        out, err = self.signet("channel", "test", ding)
        self.assertRegex(out, r"Delivered:\s+yes")
        self.assertIn("accepted the test message", out)
        self.assertEqual(err, "")
        self.assertEqual(self.robots.requests("ding")[-1]["signature"], "ok")

        # The same robot with a wrong secret: DingTalk refuses, exit 1 with its errmsg.
        wrong_url = self.robots.add("dingtalk", "ding2", DINGTALK_SECRET)
        wrong = self.signet_json("channel", "add", "--kind", "dingtalk", "--target", wrong_url,
                                 "--secret-file", self.secret_file(DINGTALK_SECRET[:-1] + "5"))
        self.assertNotIn("secret", wrong)
        out, err = self.signet("channel", "test", wrong["id"], expect=1)
        self.assertRegex(out, r"Delivered:\s+no")
        self.assertIn("sign not match", out)
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertIn(f"signet: channel {wrong['id']} did not deliver the test message: ", err)
        self.assertIn("sign not match", err)
        self.assertIn("310000", err)
        self.assertEqual(self.robots.requests("ding2")[-1]["signature"], "bad")
        result = json.loads(self.signet("-o", "json", "channel", "test", wrong["id"],
                                        expect=1)[0])
        self.assertFalse(result["ok"])
        self.assertIn("310000", result["detail"])

        # A Feishu secret from standard input; a group-readable secret file is warned about.
        out, _ = self.signet("-o", "json", "channel", "add", "--kind", "feishu", "--target",
                             self.robots.add("feishu", "feishu", FEISHU_SECRET),
                             "--secret-file", "-", input=FEISHU_SECRET + "\n")
        feishu = json.loads(out)
        self.assertTrue(feishu["has_secret"])
        out, _ = self.signet("channel", "test", feishu["id"])
        self.assertEqual(self.robots.requests("feishu")[-1]["signature"], "ok")
        _, err = self.signet("channel", "add", "--kind", "feishu", "--target",
                             self.robots.add("feishu", "feishu2", FEISHU_SECRET),
                             "--secret-file", self.secret_file(FEISHU_SECRET, 0o644))
        self.assertIn("holds a secret but other users may read it; chmod 600 it", err)

        # A webhook: its secret is made by signetd, printed once with a warning, and is the one
        # the receiver checks the signature with.
        hook_url = self.robots.add("webhook", "hook")
        out, err = self.signet("channel", "add", "--kind", "webhook", "--target", hook_url)
        hook = self.added_id(out)
        secret = next(line.split()[-1] for line in out.splitlines() if line.startswith("Secret:"))
        self.assertGreaterEqual(len(secret), 32)
        self.assertRegex(out, r"Signed:\s+yes")
        self.assertEqual(err.strip(), "signet: warning: this is the only time the webhook's "
                                      "secret is shown; keep it where your receiver checks "
                                      "X-Signet-Signature (docs/NOTIFICATIONS.md)")
        # In JSON too, with the same warning on stderr.
        out, err = self.signet("-o", "json", "channel", "add", "--kind", "webhook", "--target",
                               self.robots.add("webhook", "hook2"))
        self.assertGreaterEqual(len(json.loads(out)["secret"]), 32)
        self.assertIn("the only time the webhook's secret is shown", err)
        self.robots.set_secret("hook", secret)
        self.signet("channel", "test", hook)
        self.assertEqual(self.robots.requests("hook")[-1]["signature"], "ok")
        # Never shown again: not in the list, as a table or as JSON.
        out, _ = self.signet("channel", "list")
        self.assertNotIn(secret, out)
        listed = self.signet_json("channel", "list")
        self.assertTrue(all("secret" not in c for c in listed["items"]))
        self.assertNotIn(secret, json.dumps(listed))
        self.assertEqual(self.signet("-o", "json", "channel", "list")[0],
                         self.signet("-o", "json", "channel", "list")[0])

        # Monitor alerts as a daily digest: at creation, and changed with set.
        slack = self.signet_json("channel", "add", "--kind", "slack", "--target",
                                 self.robots.add("slack", "slack"), "--monitor-alerts",
                                 "daily_digest")
        self.assertEqual((slack["monitor_alerts"], slack["has_secret"]), ("daily_digest", False))
        self.assertIn("daily_digest", self.row(slack["id"]))
        self.assertIn("no", self.row(slack["id"]).split())
        out, _ = self.signet("channel", "set", ding, "--monitor-alerts", "daily_digest")
        self.assertRegex(out, r"Monitor alerts:\s+daily_digest")
        self.assertIn("daily_digest", self.row(ding))
        shown = self.signet_json("channel", "set", ding, "--monitor-alerts", "immediate")
        self.assertEqual(shown["monitor_alerts"], "immediate")
        stored = {c["id"]: c for c in self.api.get(CHANNELS).body["items"]}
        self.assertEqual(stored[ding]["monitor_alerts"], "immediate")
        self.assertEqual(stored[slack["id"]]["monitor_alerts"], "daily_digest")

        # Removed: gone from the list, and receives nothing more.
        out, _ = self.signet("channel", "remove", wrong["id"])
        self.assertEqual(out.strip(), f"Removed channel {wrong['id']}.")
        self.assertNotIn(wrong["id"], self.signet("channel", "list")[0])
        _, err = self.signet("channel", "test", wrong["id"], expect=1)
        self.assertIn("HTTP 404", err)

        # No secret was ever printed (but the webhook's, once), nor the API key.
        for text in self.outputs:
            self.assertNotIn(DINGTALK_SECRET, text)
            self.assertNotIn(FEISHU_SECRET, text)
        self.assertEqual(sum(secret in text for text in self.outputs), 1)
        self.assertKeyNeverShown()

    def test_refusals_and_usage_errors(self):
        self.start()
        url = self.robots.add("wecom", "wecom")
        # The server's refusals, one line each, with what to change.
        for args, words in (
                (("--kind", "wecom", "--target", url, "--secret-file",
                  self.secret_file("x")), "only for dingtalk and feishu"),
                (("--kind", "dingtalk", "--target", self.robots.add("dingtalk", "d"),
                  "--secret-file", self.secret_file("the-access-token")), "starts with SEC"),
                (("--kind", "slack", "--target", url.replace("https:", "http:")), "https://"),
                (("--kind", "email", "--target", "not an address"), "email address")):
            _, err = self.signet("channel", "add", *args, expect=1)
            self.assertEqual(len(err.strip().splitlines()), 1, err)
            self.assertIn(words, err)
            self.assertIn("(invalid_field, HTTP 400)", err)
        self.signet("channel", "add", "--kind", "wecom", "--target", url)
        _, err = self.signet("channel", "add", "--kind", "wecom", "--target", url, expect=1)
        self.assertIn("(already_exists, HTTP 409)", err)
        # An empty secret file is refused before anything is sent.
        _, err = self.signet("channel", "add", "--kind", "dingtalk", "--target", url,
                             "--secret-file", self.secret_file("\n"), expect=1)
        self.assertIn("is empty", err)
        _, err = self.signet("channel", "add", "--kind", "dingtalk", "--target", url,
                             "--secret-file", os.path.join(self.temp_dir(), "missing"), expect=1)
        self.assertIn("missing", err)

        # An email channel's test without an SMTP server: the problem, exit 1.
        mail = self.signet_json("channel", "add", "--kind", "email", "--target",
                                "ops@example.com")
        self.assertEqual(mail["has_secret"], False)
        _, err = self.signet("channel", "test", mail["id"], expect=1)
        self.assertIn("(email_channel_unavailable, HTTP 503)", err)
        _, err = self.signet("channel", "remove", "chan_nothing", expect=1)
        self.assertIn("HTTP 404", err)
        _, err = self.signet("channel", "set", "chan_nothing", "--monitor-alerts", "immediate",
                             expect=1)
        self.assertIn("HTTP 404", err)

        # --help for each command; the command line is checked before anything is sent.
        for command in ("list", "add", "remove", "test", "set"):
            out, _ = self.signet("channel", command, "--help")
            self.assertIn(f"Usage: signet channel {command}", out)
        for args in (("channel", "add", "--kind", "teams", "--target", url),
                     ("channel", "add", "--kind", "slack"),
                     ("channel", "add", "--kind", "slack", "--target", url, "--monitor-alerts",
                      "weekly"),
                     ("channel", "add", "--kind", "slack", "--target", url, "--secret", "x"),
                     ("channel", "set", mail["id"]),
                     ("channel", "test"),
                     ("channel",)):
            _, err = self.signet(*args, expect=2)
            self.assertTrue(err.startswith("signet: "), err)
        self.assertKeyNeverShown()


harness.make_backend_tests(globals(), CliChannels)

if __name__ == "__main__":
    harness.main()
