"""ACME orders against the real signetd, with JWS from Python's cryptography package: a full
http-01 order driven step by step (pending -> ready -> valid, the certificate and its alternate
chain), the refusals with their RFC 8555 error types (another account's order, a bad CSR, an
unready finalize, an oversized request, a replayed nonce, a wrong URL), key rollover, ARI with
`replaces`, and the per-account rate limit with Retry-After."""

import base64
import hashlib
import hmac
import http.server
import json
import threading

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

import dcv_servers
import harness
from test_acme_accounts import Key, b64
from test_orders import ADMIN, LETTER, ORG


class ChallengeServer:
    """Answers http-01 on 127.0.0.1:port from a dict token -> key authorization."""

    def __init__(self, port):
        answers = self.answers = {}

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                token = self.path.rsplit("/", 1)[-1]
                body = answers.get(token)
                self.send_response(200 if body else 404)
                self.end_headers()
                if body:
                    self.wfile.write(body.encode())

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def thumbprint(jwk):
    canonical = json.dumps({k: jwk[k] for k in sorted(jwk)}, separators=(",", ":"))
    digest = hashes.Hash(hashes.SHA256())
    digest.update(canonical.encode())
    return b64(digest.finalize())


def csr_der(names, key=None):
    key = key or ec.generate_private_key(ec.SECP256R1())
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
           .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]),
                          critical=False)
           .sign(key, hashes.SHA256()))
    return csr.public_bytes(serialization.Encoding.DER)


class AcmeOrders:
    def setUp(self):
        tmp = self.temp_dir()
        self.dns = dcv_servers.AuthoritativeDns(f"{tmp}/dns")
        self.addCleanup(self.dns.stop)
        port = dcv_servers.free_port()
        self.web = ChallengeServer(port)
        self.addCleanup(self.web.stop)
        self.server = self.start_signetd(settings={
            "validation.dns_resolvers": self.dns.address,
            "validation.dns_trust_anchors": self.dns.trust_anchor_file(f"{tmp}/anchors.txt"),
            "names.internal_suffixes": "test",
            "validation.allow_private_addresses": "true",
            "validation.http_port": str(port),
            "acme.rate_limit.new_orders_per_hour": "6",
            "acme.profiles": "acme-dv,ov-multi",
        })
        self.client = self.server.client()
        self.directory = self.client.get("/acme/directory").body

    def nonce(self):
        return self.client.request("HEAD", "/acme/new-nonce").headers["Replay-Nonce"]

    def post(self, url, key, payload, kid=None, nonce=None, raw=None):
        body = raw if raw is not None else key.jws(url, nonce or self.nonce(), payload, kid=kid)
        return self.client.request("POST", url[url.index("/acme/"):], raw_body=body,
                                   content_type="application/jose+json")

    def account(self):
        key = Key()
        r = self.post(self.directory["newAccount"], key, {"termsOfServiceAgreed": True})
        self.assertStatus(r, 201)
        return key, r.headers["Location"]

    def assertAcmeProblem(self, r, status, kind):
        self.assertEqual(r.status, status, r.body)
        self.assertEqual(r.body["type"], "urn:ietf:params:acme:error:" + kind, r.body)

    def name(self, label):
        name = f"{label}.insecure.test"
        self.dns.set_records(name, "A", ["127.0.0.1"])
        return name

    def order(self, key, kid, names, **extra):
        payload = {"identifiers": [{"type": "dns", "value": n} for n in names], **extra}
        return self.post(self.directory["newOrder"], key, payload, kid=kid)

    def validate(self, key, kid, order):
        for authz_url in order["authorizations"]:
            authz = self.post(authz_url, key, None, kid=kid).body
            challenge = next(c for c in authz["challenges"] if c["type"] == "http-01")
            self.web.answers[challenge["token"]] = challenge["token"] + "." + thumbprint(key.jwk)
            r = self.post(challenge["url"], key, {}, kid=kid)
            self.assertStatus(r, 200)
            harness.wait_until(
                lambda: self.post(authz_url, key, None, kid=kid).body["status"] == "valid", 30,
                message="the authorization valid")

    def test_full_order_and_certificate(self):
        key, kid = self.account()
        name = self.name("full")
        r = self.order(key, kid, [name])
        self.assertStatus(r, 201)
        order_url, order = r.headers["Location"], r.body
        self.assertEqual(order["status"], "pending")
        # Finalizing early is refused with orderNotReady.
        r = self.post(order["finalize"], key, {"csr": b64(csr_der([name]))}, kid=kid)
        self.assertAcmeProblem(r, 403, "orderNotReady")
        self.validate(key, kid, order)
        self.assertEqual(self.post(order_url, key, None, kid=kid).body["status"], "ready")
        # A CSR for other names, and one with the account's own key, are bad CSRs.
        r = self.post(order["finalize"], key, {"csr": b64(csr_der([name, "x.insecure.test"]))},
                      kid=kid)
        self.assertAcmeProblem(r, 400, "badCSR")
        r = self.post(order["finalize"], key, {"csr": b64(csr_der([name], key.key))}, kid=kid)
        self.assertAcmeProblem(r, 400, "badCSR")
        r = self.post(order["finalize"], key, {"csr": b64(csr_der([name]))}, kid=kid)
        self.assertStatus(r, 200)
        harness.wait_until(
            lambda: self.post(order_url, key, None, kid=kid).body["status"] == "valid", 30,
            message="the order valid")
        cert_url = self.post(order_url, key, None, kid=kid).body["certificate"]
        r = self.post(cert_url, key, None, kid=kid)
        self.assertStatus(r, 200)
        self.assertEqual(r.content_type, "application/pem-certificate-chain")
        chain = r.body if isinstance(r.body, str) else r.body.decode()
        self.assertEqual(chain.count("BEGIN CERTIFICATE"), 2)
        alternate = r.headers["Link"]
        self.assertIn('rel="alternate"', alternate)
        r = self.post(cert_url + "/1", key, None, kid=kid)
        self.assertEqual((r.body if isinstance(r.body, str) else r.body.decode())
                         .count("BEGIN CERTIFICATE"), 3)
        leaf = x509.load_pem_x509_certificate(chain.encode())
        self.assertEqual(leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName)
                         .value.get_values_for_type(x509.DNSName), [name])

        # Another account sees none of it.
        other, other_kid = self.account()
        self.assertEqual(self.post(order_url, other, None, kid=other_kid).status, 404)
        self.assertEqual(self.post(cert_url, other, None, kid=other_kid).status, 404)
        self.assertEqual(self.post(order["authorizations"][0], other, None, kid=other_kid).status,
                         404)

        # ARI: the window, and a replacement order naming the certificate (once only).
        aki = leaf.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
        serial = leaf.serial_number.to_bytes((leaf.serial_number.bit_length() + 8) // 8, "big")
        cert_id = b64(aki.key_identifier) + "." + b64(serial)
        r = self.client.get(self.directory["renewalInfo"][
            self.directory["renewalInfo"].index("/acme/"):] + "/" + cert_id)
        self.assertStatus(r, 200)
        self.assertIn("start", r.body["suggestedWindow"])
        self.assertTrue(r.headers["Retry-After"])
        r = self.order(key, kid, [name], replaces=cert_id)
        self.assertStatus(r, 201)
        self.assertEqual(r.body["replaces"], cert_id)
        r = self.order(key, kid, [name], replaces=cert_id)
        self.assertAcmeProblem(r, 409, "alreadyReplaced")
        r = self.order(other, other_kid, [name], replaces=cert_id)
        self.assertAcmeProblem(r, 401, "unauthorized")

    def test_refusals(self):
        key, kid = self.account()
        name = self.name("refusals")
        # Replayed nonce.
        nonce = self.nonce()
        self.assertStatus(self.order_with_nonce(key, kid, name, nonce), 201)
        self.assertAcmeProblem(self.order_with_nonce(key, kid, name, nonce), 400, "badNonce")
        # Wrong URL in the protected header.
        body = key.jws(self.directory["newAccount"], self.nonce(),
                       {"identifiers": [{"type": "dns", "value": name}]}, kid=kid)
        r = self.client.request("POST", "/acme/new-order", raw_body=body,
                                content_type="application/jose+json")
        self.assertAcmeProblem(r, 401, "unauthorized")
        # Malformed JWS, and an oversized one.
        r = self.client.request("POST", "/acme/new-order", raw_body="{not json",
                                content_type="application/jose+json")
        self.assertAcmeProblem(r, 400, "malformed")
        r = self.order(key, kid, [f"n{i}.insecure.test" for i in range(3000)])
        self.assertAcmeProblem(r, 400, "malformed")
        # Identifiers: unsupported type, a refused name.
        r = self.post(self.directory["newOrder"], key,
                      {"identifiers": [{"type": "ip", "value": "127.0.0.1"}]}, kid=kid)
        self.assertAcmeProblem(r, 400, "unsupportedIdentifier")
        r = self.order(key, kid, ["bad..name.insecure.test"])
        self.assertAcmeProblem(r, 400, "rejectedIdentifier")
        r = self.order(key, kid, [name], profile="no-such-profile")
        self.assertAcmeProblem(r, 400, "invalidProfile")
        # The rate limit (6 orders per hour in this test) says when to come back.
        statuses = [self.order(key, kid, [name]).status for _ in range(8)]
        self.assertIn(429, statuses)
        r = self.order(key, kid, [name])
        self.assertAcmeProblem(r, 429, "rateLimited")
        self.assertEqual(r.headers["Retry-After"], "3600")

    def order_with_nonce(self, key, kid, name, nonce):
        return self.post(self.directory["newOrder"], key,
                         {"identifiers": [{"type": "dns", "value": name}]}, kid=kid, nonce=nonce)

    def bound_account(self, eab):
        """An ACME account bound with the EAB key (RFC 8555 7.3.4: HS256 over the account JWK)."""
        key = Key()
        url = self.directory["newAccount"]
        protected = b64(json.dumps({"alg": "HS256", "kid": eab["key_id"], "url": url}))
        payload = b64(json.dumps(key.jwk))
        secret = base64.urlsafe_b64decode(eab["hmac_key"] + "=" * (-len(eab["hmac_key"]) % 4))
        mac = hmac.new(secret, f"{protected}.{payload}".encode(), hashlib.sha256).digest()
        binding = {"protected": protected, "payload": payload, "signature": b64(mac)}
        r = self.post(url, key, {"termsOfServiceAgreed": True, "externalAccountBinding": binding})
        self.assertStatus(r, 201)
        return key, r.headers["Location"]

    def finalize_and_wait(self, key, kid, order_url, order, name, status):
        r = self.post(order["finalize"], key, {"csr": b64(csr_der([name]))}, kid=kid)
        self.assertStatus(r, 200)
        return harness.wait_until(
            lambda: (lambda o: o if o["status"] == status else None)(
                self.post(order_url, key, None, kid=kid).body), 30,
            message=f"the order {status}")

    def test_ov_for_an_account_bound_to_its_organization(self):
        api = self.server.client(self.server.create_owner("ov@example.com", "ov"))
        org = api.post("/api/v1/organizations", ORG).body
        admin = api.post("/api/v1/administrators", ADMIN).body
        self.assertProblem(api.post("/api/v1/eab-keys", {"organization_id": org["id"]}), 400,
                           "invalid_field")
        r = api.post("/api/v1/eab-keys", {"name": "web", "organization_id": org["id"],
                                          "administrator_id": admin["id"]})
        self.assertStatus(r, 201)
        key, kid = self.bound_account(r.body)
        self.assertIn("ov-multi", self.directory["meta"]["profiles"])

        # An account without that binding cannot use the OV profile.
        loose, loose_kid = self.account()
        r = self.order(loose, loose_kid, [self.name("ov-loose")], profile="ov-multi")
        self.assertAcmeProblem(r, 401, "unauthorized")

        # First OV order: validated by ACME, then the organization review as for any OV order.
        first = self.name("ov-first")
        r = self.order(key, kid, [first], profile="ov-multi")
        self.assertStatus(r, 201)
        order_url, order = r.headers["Location"], r.body
        self.validate(key, kid, order)
        self.finalize_and_wait(key, kid, order_url, order, first, "processing")
        order_id = order_url.rsplit("/", 1)[1]
        signet_order = api.get(f"/api/v1/orders/{order_id}").body
        self.assertEqual(signet_order["progress"]["review"], "pending_attachments")
        self.assertEqual(signet_order["application"]["organization"]["name"], ORG["name"])
        r = api.post(f"/api/v1/orders/{order_id}/attachments?kind=confirmation_letter",
                     raw_body=LETTER, content_type="application/pdf")
        self.assertStatus(r, 201)
        self.server.create_user("reviewer@ca.example", "reviewer")
        reviewer = self.server.client(self.server.create_api_key("reviewer@ca.example"))
        harness.wait_until(lambda: api.get(f"/api/v1/orders/{order_id}").body["progress"]
                           ["review"] == "ca_reviewing", 30, message="the order in review")
        r = reviewer.post(f"/api/v1/orders/{order_id}/review",
                          {"decision": "approve", "checks": {"phone_confirmed": True}})
        self.assertStatus(r, 200)
        done = harness.wait_until(
            lambda: (lambda o: o if o["status"] == "valid" else None)(
                self.post(order_url, key, None, kid=kid).body), 30, message="the order valid")
        chain = self.post(done["certificate"], key, None, kid=kid).body
        chain = chain if isinstance(chain, str) else chain.decode()
        leaf = x509.load_pem_x509_certificate(chain.encode())
        self.assertEqual(leaf.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value,
                         ORG["name"])

        # The next order rests on that review: issued at finalize, with the reuse on its timeline.
        second = self.name("ov-second")
        r = self.order(key, kid, [second], profile="ov-multi")
        order_url, order = r.headers["Location"], r.body
        self.validate(key, kid, order)
        self.finalize_and_wait(key, kid, order_url, order, second, "valid")
        events = [e["event"] for e in
                  api.get(f"/api/v1/orders/{order_url.rsplit('/', 1)[1]}").body["timeline"]]
        self.assertIn("review.reused", events)

    def test_key_change(self):
        key, kid = self.account()
        new = Key()
        url = self.directory["keyChange"]
        inner = new.jws(url, None, {"account": kid, "oldKey": key.jwk})
        inner_doc = json.loads(inner)
        # The inner JWS carries no nonce.
        header = json.loads(base64.urlsafe_b64decode(inner_doc["protected"] + "=="))
        header.pop("nonce")
        inner_doc = json.loads(new.jws_header(header, {"account": kid, "oldKey": key.jwk}))
        r = self.post(url, key, inner_doc, kid=kid)
        self.assertStatus(r, 200)
        # The old key no longer signs for the account; the new one does.
        self.assertEqual(self.post(kid, key, None, kid=kid).status, 401)
        self.assertStatus(self.post(kid, new, None, kid=kid), 200)


harness.make_backend_tests(globals(), AcmeOrders)

if __name__ == "__main__":
    harness.main()
