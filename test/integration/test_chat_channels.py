"""Chat-robot notification channels (DingTalk, WeCom, Feishu, Slack) and the channel test action,
against the real signetd and a local HTTPS server that plays the four vendors' robots: per path it
checks the payload shape each vendor documents, recomputes the signature exactly as the vendor
does (DingTalk: the URL's timestamp and sign; Feishu: the body's), and answers HTTP 200 with the
vendor's success or error JSON, as the real robots do.

How signetd trusts the receiver's throwaway CA: the setting notify.ca_file (libcurl reads no
environment variable for its trust roots: SSL_CERT_FILE and CURL_CA_BUNDLE are curl(1)'s).
notify.allow_private_webhooks=true lets the deliveries reach 127.0.0.1."""

import base64
import hashlib
import hmac
import http.server
import json
import os
import ssl
import subprocess
import threading
import time
import urllib.parse

import harness
from test_orders import ADMIN, OrderFixture

CHANNELS = "/api/v1/notification-channels"
DINGTALK_SECRET = "SECd1e2a3b4c5d6e7f8091a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4"
FEISHU_SECRET = "fs-Wq8PzV3kL0mN2bR5tY7u"

# The vendors' answers, as their documentation shows them.
DINGTALK_OK = {"errcode": 0, "errmsg": "ok"}
DINGTALK_BAD_SIGN = {"errcode": 310000, "errmsg": "sign not match, more: [https://ding-doc."
                     "dingtalk.com/doc#/serverapi2/qf2nxq]"}
WECOM_OK = {"errcode": 0, "errmsg": "ok"}
FEISHU_OK = {"code": 0, "data": {}, "msg": "success"}
FEISHU_BAD_SIGN = {"code": 19021, "msg": "sign match fail or timestamp is not within one hour "
                                         "from current time"}


def dingtalk_sign(timestamp, secret):
    """DingTalk's documented scheme: base64(HMAC-SHA256(key=secret, "<timestamp>\\n<secret>"))."""
    mac = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


def feishu_sign(timestamp, secret):
    """Feishu's documented scheme: base64(HMAC-SHA256(key="<timestamp>\\n<secret>", b""))."""
    mac = hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


class RobotReceiver:
    """HTTPS on 127.0.0.1 (a throwaway CA, ca_file) playing the vendors' robots.

    add(vendor, name, secret=None) returns the robot's URL: /<vendor>/<name>/... shaped like the
    vendor's (DingTalk's access_token and WeCom's key in the query). A robot with a secret checks
    the signature and refuses a wrong or missing one with the vendor's error. fail(name, status,
    body) makes the robot answer that instead of success (until fail(name, None)). received
    lists every request as a dict: vendor, name, query, body, headers, signature ("ok", "bad" or
    "none"), answer."""

    def __init__(self, directory):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)
        self.robots = {}
        self.failures = {}
        self.received = []
        self.lock = threading.Lock()
        self._make_certificate()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # answers curl's Expect: 100-continue at once

            def do_POST(self):  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                status, answer = receiver._answer(self.path, self.headers, raw)
                data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/plain" if isinstance(answer, bytes)
                                 else "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def _make_certificate(self):
        d = self.directory
        self.ca_file = os.path.join(d, "ca.pem")
        self.cert_file = os.path.join(d, "server.pem")
        self.key_file = os.path.join(d, "server.key")
        ca_key = os.path.join(d, "ca.key")
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        for argv in (
                ["openssl", "req", "-x509", *ec, "-keyout", ca_key, "-out", self.ca_file,
                 "-days", "2", "-subj", "/CN=chat robots test CA",
                 "-addext", "basicConstraints=critical,CA:TRUE",
                 "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
                ["openssl", "req", "-x509", *ec, "-keyout", self.key_file, "-out",
                 self.cert_file, "-days", "2", "-subj", "/CN=127.0.0.1",
                 "-CA", self.ca_file, "-CAkey", ca_key,
                 "-addext", "subjectAltName=IP:127.0.0.1",
                 "-addext", "basicConstraints=critical,CA:FALSE",
                 "-addext", "extendedKeyUsage=serverAuth"]):
            subprocess.run(argv, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=60)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def add(self, vendor, name, secret=None):
        token = base64.urlsafe_b64encode(os.urandom(12)).decode()
        self.robots[name] = {"vendor": vendor, "secret": secret, "token": token}
        base = f"https://127.0.0.1:{self.port}/{vendor}/{name}"
        return {"dingtalk": f"{base}/robot/send?access_token={token}",
                "wecom": f"{base}/cgi-bin/webhook/send?key={token}",
                "feishu": f"{base}/open-apis/bot/v2/hook/{token}",
                "slack": f"{base}/services/T0001/B0001/{token}",
                "webhook": f"{base}/hook"}[vendor]

    def set_secret(self, name, secret):
        self.robots[name]["secret"] = secret

    def fail(self, name, status, body=None):
        with self.lock:
            if status is None:
                self.failures.pop(name, None)
            else:
                self.failures[name] = (status, body)

    def requests(self, name=None):
        with self.lock:
            return [r for r in self.received if name is None or r["name"] == name]

    def wait_for(self, name, predicate, timeout=30):
        def found():
            matching = [r for r in self.requests(name) if predicate(r)]
            return matching[-1] if matching else None
        return harness.wait_until(found, timeout, interval=0.1,
                                  message=f"a request to robot {name}")

    # -- the robots --

    def _answer(self, path, headers, raw):
        parts = urllib.parse.urlsplit(path)
        segments = parts.path.strip("/").split("/")
        query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
        name = segments[1] if len(segments) > 1 else ""
        robot = self.robots.get(name)
        record = {"vendor": segments[0], "name": name, "query": query, "headers": dict(headers),
                  "raw": raw, "signature": "none"}
        try:
            record["body"] = json.loads(raw)
        except ValueError:
            record["body"] = None
        if robot is None or robot["vendor"] != segments[0]:
            status, answer = 404, b"no such robot"
        else:
            check = getattr(self, "_" + robot["vendor"])
            status, answer = check(robot, record)
            with self.lock:
                if name in self.failures and record["signature"] != "bad":
                    status, answer = self.failures[name]
        record["answer"] = (status, answer)
        with self.lock:
            self.received.append(record)
        return status, answer

    @staticmethod
    def _fresh(timestamp_seconds):
        return abs(time.time() - timestamp_seconds) < 3600

    def _dingtalk(self, robot, record):
        q, body = record["query"], record["body"]
        if q.get("access_token") != robot["token"]:
            return 200, {"errcode": 300001, "errmsg": "token is not exist"}
        if robot["secret"] is not None:
            # parse_qsl undid the URL-encoding: a '+' sent unencoded would be a space here.
            t, sign = q.get("timestamp", ""), q.get("sign", "")
            good = (t.isdigit() and self._fresh(int(t) / 1000)
                    and hmac.compare_digest(sign, dingtalk_sign(t, robot["secret"])))
            record["signature"] = "ok" if good else "bad"
            if not good:
                return 200, DINGTALK_BAD_SIGN
        if not (isinstance(body, dict) and body.get("msgtype") == "markdown"
                and isinstance(body.get("markdown", {}).get("title"), str)
                and isinstance(body["markdown"].get("text"), str)):
            return 200, {"errcode": 40035, "errmsg": "missing parameter: markdown"}
        record["title"], record["text"] = body["markdown"]["title"], body["markdown"]["text"]
        return 200, DINGTALK_OK

    def _wecom(self, robot, record):
        q, body = record["query"], record["body"]
        if q.get("key") != robot["token"]:
            return 200, {"errcode": 93000, "errmsg": "invalid webhook url"}
        if not (isinstance(body, dict) and body.get("msgtype") == "markdown"
                and isinstance(body.get("markdown", {}).get("content"), str)):
            return 200, {"errcode": 40008, "errmsg": "invalid message type"}
        content = body["markdown"]["content"]
        if len(content.encode()) > 4096:
            return 200, {"errcode": 40058, "errmsg": "markdown.content exceed max length 4096"}
        record["title"], record["text"] = content.split("\n", 1)[0], content
        return 200, WECOM_OK

    def _feishu(self, robot, record):
        body = record["body"]
        if not isinstance(body, dict):
            return 200, {"code": 9499, "msg": "Bad Request"}
        if robot["secret"] is not None:
            t, sign = body.get("timestamp"), body.get("sign")
            good = (isinstance(t, str) and t.isdigit() and self._fresh(int(t))
                    and isinstance(sign, str)
                    and hmac.compare_digest(sign, feishu_sign(t, robot["secret"])))
            record["signature"] = "ok" if good else "bad"
            if not good:
                return 200, FEISHU_BAD_SIGN
        post = body.get("content", {}).get("post", {}).get("zh_cn", {})
        paragraphs = post.get("content")
        well_formed = (body.get("msg_type") == "post" and isinstance(post.get("title"), str)
                       and isinstance(paragraphs, list)
                       and all(isinstance(p, list) and all(
                           isinstance(e, dict) and e.get("tag") == "text"
                           and isinstance(e.get("text"), str) for e in p) for p in paragraphs))
        if not well_formed:
            return 200, {"code": 19002, "msg": "params error, msg_type or content is invalid"}
        record["title"] = post["title"]
        record["text"] = "\n".join("".join(e["text"] for e in p) for p in paragraphs)
        return 200, FEISHU_OK

    def _slack(self, robot, record):
        body = record["body"]
        if not (isinstance(body, dict) and isinstance(body.get("text"), str) and body["text"]):
            return 400, b"invalid_payload"
        record["title"], record["text"] = body["text"].split("\n", 1)[0], body["text"]
        return 200, b"ok"

    def _webhook(self, robot, record):
        # Signet's own scheme: X-Signet-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">.
        header = record["headers"].get("X-Signet-Signature", "")
        fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
        expected = hmac.new((robot["secret"] or "").encode(),
                            fields.get("t", "").encode() + b"." + record["raw"],
                            hashlib.sha256).hexdigest()
        good = hmac.compare_digest(fields.get("v1", ""), expected)
        record["signature"] = "ok" if good else "bad"
        if isinstance(record["body"], dict):
            record["title"] = record["body"].get("subject")
            record["text"] = record["body"].get("text")
        return (204, b"") if good else (401, b"bad signature")


class ChatChannels(OrderFixture):
    def start_signetd(self, data_dir=None, settings=None, database_url="default"):
        # The receiver's throwaway CA: notify.ca_file (libcurl reads no environment variable).
        settings = dict(settings or {}, **{"notify.ca_file": self.robots.ca_file})
        return super().start_signetd(data_dir, settings, database_url)

    def start_robots_and_signet(self, smtp=True):
        self.robots = RobotReceiver(os.path.join(self.temp_dir(), "robots"))
        self.addCleanup(self.robots.stop)
        self.start_world(web=False, smtp=smtp,
                         extra={"notify.allow_private_webhooks": "true"})

    def add_channel(self, kind, target, secret=None, expect=201):
        body = {"kind": kind, "target": target}
        if secret is not None:
            body["secret"] = secret
        r = self.api.post(CHANNELS, body)
        self.assertStatus(r, expect)
        return r.body

    def run_channel_test(self, channel):
        r = self.api.post(f"{CHANNELS}/{channel['id']}/test")
        self.assertStatus(r, 200)
        self.assertEqual(sorted(r.body), ["detail", "ok"])
        return r.body

    def test_each_robot_receives_the_order_notification_in_its_vendors_format(self):
        self.start_robots_and_signet()
        urls = {"ding": self.robots.add("dingtalk", "ding", DINGTALK_SECRET),
                "wecom": self.robots.add("wecom", "wecom"),
                "feishu": self.robots.add("feishu", "feishu", FEISHU_SECRET),
                "slack": self.robots.add("slack", "slack")}
        created = {
            "ding": self.add_channel("dingtalk", urls["ding"], DINGTALK_SECRET),
            "wecom": self.add_channel("wecom", urls["wecom"]),
            "feishu": self.add_channel("feishu", urls["feishu"], FEISHU_SECRET),
            "slack": self.add_channel("slack", urls["slack"]),
        }
        for name, channel in created.items():
            self.assertNotIn("secret", channel, name)
            self.assertEqual(channel["has_secret"], name in ("ding", "feishu"), channel)
            self.assertEqual(channel["target"], urls[name])

        # Secrets are never returned, and are sealed at rest.
        r = self.api.get(CHANNELS)
        self.assertStatus(r, 200)
        self.assertIsNone(r.body["next_page_token"])
        self.assertEqual(sorted(c["kind"] for c in r.body["items"]),
                         ["dingtalk", "feishu", "slack", "wecom"])
        self.assertTrue(all("secret" not in c for c in r.body["items"]))
        for secret in (DINGTALK_SECRET, FEISHU_SECRET):
            self.assertNotIn(secret.encode(), r.raw)
            self.assertNotIn(secret, self.sql(self.server,
                                              "SELECT secret FROM notification_channels"))

        order = self.order("dv-single", {
            "domains": ["robots.insecure.test"], "key": {"generate": {"algorithm": "ecdsa-p256"}},
            "administrator": ADMIN, "validation_method": "dns_txt"}, submit=True)

        def announced(r):
            return r.get("text") and order["id"] in r["text"] and "order.submitted" in r["text"]
        for name in urls:
            got = self.robots.wait_for(name, announced)
            self.assertEqual(got["answer"][0], 200, got)
            self.assertIn(order["id"], got["title"], got)
            self.assertIn("robots.insecure.test", got["text"], got)
            self.assertIn("Signet", got["text"], "the keyword a robot's security can require")
        # The signatures verified as the vendors compute them; the others carry none.
        ding = self.robots.wait_for("ding", announced)
        self.assertEqual(ding["signature"], "ok")
        self.assertEqual(ding["body"]["markdown"]["title"], ding["title"])
        self.assertEqual(self.robots.wait_for("feishu", announced)["signature"], "ok")
        self.assertNotIn("sign", self.robots.wait_for("feishu", announced)["query"])
        for name in ("wecom", "slack"):
            got = self.robots.wait_for(name, announced)
            self.assertNotIn("sign", got["query"])
            self.assertNotIn("timestamp", got["query"])
        slack = self.robots.wait_for("slack", announced)
        self.assertEqual(list(slack["body"]), ["text"])
        # Each delivery is a notify.webhook job that succeeded at its first attempt.
        admin = self.server.client(self.server.initial_admin()["api_key"])

        def jobs_done():
            jobs = [j for j in admin.get("/api/v1/jobs").body["items"]
                    if j["kind"] == "notify.webhook"]
            return jobs if len(jobs) >= 4 and all(j["state"] == "done" for j in jobs) else None
        for job in harness.wait_until(jobs_done, 30, interval=0.2, message="4 finished jobs"):
            self.assertEqual(job["attempts"], 1, job)

    def test_the_test_action_reports_what_each_robot_answered(self):
        self.start_robots_and_signet()
        ding = self.add_channel("dingtalk", self.robots.add("dingtalk", "ding", DINGTALK_SECRET),
                                DINGTALK_SECRET)
        wecom = self.add_channel("wecom", self.robots.add("wecom", "wecom"))
        feishu = self.add_channel("feishu", self.robots.add("feishu", "feishu", FEISHU_SECRET),
                                  FEISHU_SECRET)
        slack = self.add_channel("slack", self.robots.add("slack", "slack"))
        hook_url = self.robots.add("webhook", "hook")
        hook = self.add_channel("webhook", hook_url)
        self.robots.set_secret("hook", hook["secret"])
        mail = self.add_channel("email", "robots-test@example.com")

        names = {"ding": ding, "wecom": wecom, "feishu": feishu, "slack": slack, "hook": hook}
        for name, channel in names.items():
            result = self.run_channel_test(channel)
            self.assertTrue(result["ok"], (name, result))
            self.assertIn("accepted the test message", result["detail"])
            got = self.robots.requests(name)[-1]
            self.assertIn("channel.test", got["text"] if name != "hook" else got["body"]["event"])
            self.assertIn("Signet test message", got["title"], got)
        self.assertEqual(self.robots.requests("ding")[-1]["signature"], "ok")
        self.assertEqual(self.robots.requests("feishu")[-1]["signature"], "ok")
        self.assertEqual(self.robots.requests("hook")[-1]["signature"], "ok")
        # Sent now, not queued: no job was made for the tests.
        admin = self.server.client(self.server.initial_admin()["api_key"])
        self.assertFalse([j for j in admin.get("/api/v1/jobs").body["items"]
                          if j["kind"].startswith("notify.")])

        result = self.run_channel_test(mail)
        self.assertTrue(result["ok"], result)
        message = self.smtp.wait_for(lambda m: m["To"] == "robots-test@example.com", timeout=30)
        self.assertIn("Signet test message", message["Subject"])

        # Each vendor's error, inside an HTTP 200 (or Slack's HTTP error), is reported as such.
        self.robots.fail("ding", 200, {"errcode": 310000,
                                       "errmsg": "keywords not in content, more: [...]"})
        self.robots.fail("wecom", 200, {"errcode": 93000, "errmsg": "invalid webhook url, hint: "
                                                                    "[1714538355]"})
        self.robots.fail("feishu", 200, {"code": 19024, "msg": "Key Words Not Found"})
        self.robots.fail("slack", 404, b"no_service")
        expected = {"ding": ["keywords not in content", "310000"],
                    "wecom": ["invalid webhook url", "93000"],
                    "feishu": ["Key Words Not Found", "19024"],
                    "slack": ["no_service", "404"]}
        for name, words in expected.items():
            result = self.run_channel_test(names[name])
            self.assertFalse(result["ok"], (name, result))
            for word in words:
                self.assertIn(word, result["detail"], (name, result))
            self.robots.fail(name, None)

        # The signature depends on the secret: the robot's own secret differs from the one
        # Signet was given, and the robot refuses, as DingTalk and Feishu do.
        wrong_ding = self.add_channel(
            "dingtalk", self.robots.add("dingtalk", "ding2", DINGTALK_SECRET),
            DINGTALK_SECRET[:-1] + "5")
        wrong_feishu = self.add_channel(
            "feishu", self.robots.add("feishu", "feishu2", FEISHU_SECRET), FEISHU_SECRET + "x")
        unsigned_feishu = self.add_channel(
            "feishu", self.robots.add("feishu", "feishu3", FEISHU_SECRET))
        for name, channel, words in (("ding2", wrong_ding, ["sign not match", "310000"]),
                                     ("feishu2", wrong_feishu, ["sign match fail", "19021"]),
                                     ("feishu3", unsigned_feishu, ["sign match fail"])):
            result = self.run_channel_test(channel)
            self.assertFalse(result["ok"], result)
            for word in words:
                self.assertIn(word, result["detail"], (name, result))
            self.assertEqual(self.robots.requests(name)[-1]["signature"], "bad")

        # Unreachable: libcurl's reason, and no URL (it carries the robot's token).
        self.robots.stop()
        result = self.run_channel_test(ding)
        self.assertFalse(result["ok"])
        self.assertIn("could not be reached", result["detail"])
        self.assertNotIn("access_token", result["detail"])

        # Only the account's own channels.
        other = self.server.client(self.server.create_owner("other@example.com", "other"))
        self.assertProblem(other.post(f"{CHANNELS}/{ding['id']}/test"), 404, "not_found")
        self.assertProblem(self.api.post(f"{CHANNELS}/chan_nothing/test"), 404, "not_found")

    def test_input_is_checked_and_a_refused_delivery_is_retried(self):
        self.start_robots_and_signet(smtp=False)
        url = self.robots.add("slack", "slack")
        for body, words in (
                ({"kind": "wecom", "target": url, "secret": "x"}, "only for dingtalk and feishu"),
                ({"kind": "slack", "target": url, "secret": "x"}, "only for dingtalk and feishu"),
                ({"kind": "webhook", "target": url, "secret": "x"}, "only for dingtalk"),
                ({"kind": "dingtalk", "target": url, "secret": "not-a-sec"}, "starts with SEC"),
                ({"kind": "feishu", "target": url, "secret": "two words"}, "printable"),
                ({"kind": "slack", "target": url.replace("https:", "http:")}, "https://"),
                ({"kind": "teams", "target": url}, "dingtalk, wecom, feishu, slack")):
            r = self.api.post(CHANNELS, body)
            self.assertProblem(r, 400, "invalid_field")
            self.assertIn(words, r.body["detail"], body)
        r = self.api.post(CHANNELS, {"kind": "slack", "target": url, "extra": 1})
        self.assertProblem(r, 400)

        # No SMTP server: an email channel's test is a clear problem, in Chinese too.
        mail = self.add_channel("email", "nobody@example.com")
        r = self.api.post(f"{CHANNELS}/{mail['id']}/test")
        self.assertProblem(r, 503, "email_channel_unavailable")
        self.assertIn("smtp.url", r.body["detail"])
        zh = self.api.post(f"{CHANNELS}/{mail['id']}/test", headers={"Accept-Language": "zh-CN"})
        self.assertProblem(zh, 503, "email_channel_unavailable")
        self.assertIn("SMTP", zh.body["detail"])
        self.assertNotEqual(zh.body["detail"], r.body["detail"])

        # A robot that refuses (HTTP 200 or not) fails the job, which retries with the vendor's
        # message recorded, and delivers once the robot accepts.
        slack = self.add_channel("slack", url)
        self.robots.fail("slack", 403, b"action_prohibited")
        order = self.order("dv-single", {
            "domains": ["retry.insecure.test"], "key": {"generate": {"algorithm": "ecdsa-p256"}},
            "administrator": ADMIN, "validation_method": "dns_txt"}, submit=True)
        admin = self.server.client(self.server.initial_admin()["api_key"])

        def webhook_job():
            jobs = [j for j in admin.get("/api/v1/jobs").body["items"]
                    if j["kind"] == "notify.webhook"]
            return jobs[0] if jobs and jobs[0]["last_error"] else None
        job = harness.wait_until(webhook_job, 30, interval=0.2, message="a refused delivery")
        self.assertIn("action_prohibited", job["last_error"])
        self.assertIn("Slack", job["last_error"])
        self.robots.fail("slack", None)
        got = self.robots.wait_for("slack", lambda r: r["answer"][0] == 200 and
                                   order["id"] in (r.get("text") or ""), timeout=60)
        self.assertIn("order.submitted", got["text"])
        self.assertEqual(self.api.delete(f"{CHANNELS}/{slack['id']}").status, 204)


harness.make_backend_tests(globals(), ChatChannels)

if __name__ == "__main__":
    harness.main()
