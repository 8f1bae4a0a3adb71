"""ACME, first part, against the real signetd: the directory, nonces (single use, checked by the
database so every node can redeem them) and accounts, with JWS made by Python's cryptography
package. The refusals are the RFC 8555 error types."""

import base64
import json

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils

import harness


def b64(data):
    if isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Key:
    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        numbers = self.key.public_key().public_numbers()
        self.jwk = {"kty": "EC", "crv": "P-256", "x": b64(numbers.x.to_bytes(32, "big")),
                    "y": b64(numbers.y.to_bytes(32, "big"))}

    def jws(self, url, nonce, payload, kid=None):
        header = {"alg": "ES256", "nonce": nonce, "url": url}
        if kid:
            header["kid"] = kid
        else:
            header["jwk"] = self.jwk
        return self.jws_header(header, payload)

    def jws_header(self, header, payload):
        """A flattened JWS with exactly this protected header."""
        protected = b64(json.dumps(header))
        body = "" if payload is None else b64(json.dumps(payload))
        der = self.key.sign(f"{protected}.{body}".encode(), ec.ECDSA(hashes.SHA256()))
        r, s = utils.decode_dss_signature(der)
        signature = b64(r.to_bytes(32, "big") + s.to_bytes(32, "big"))
        return json.dumps({"protected": protected, "payload": body, "signature": signature})


class AcmeAccounts:
    def setUp(self):
        self.server = self.start_signetd()
        self.client = self.server.client()
        self.directory = self.client.get("/acme/directory").body

    def nonce(self):
        r = self.client.request("HEAD", "/acme/new-nonce")
        self.assertStatus(r, 200)
        return r.headers["Replay-Nonce"]

    def post(self, url, body):
        path = url[url.index("/acme/"):]
        return self.client.request("POST", path, raw_body=body,
                                   content_type="application/jose+json")

    def assertAcmeProblem(self, r, status, kind):
        self.assertEqual(r.status, status, r)
        self.assertEqual(r.content_type, "application/problem+json")
        self.assertEqual(r.body["type"], "urn:ietf:params:acme:error:" + kind, r.body)
        self.assertTrue(r.headers["Replay-Nonce"])

    def test_directory_and_nonces(self):
        for k in ("newNonce", "newAccount", "newOrder", "revokeCert", "keyChange"):
            self.assertTrue(self.directory[k].startswith(self.server.url + "/acme/"), k)
        r = self.client.get("/acme/new-nonce")
        self.assertStatus(r, 204)
        self.assertEqual(r.headers["Cache-Control"], "no-store")
        nonces = {self.nonce() for _ in range(5)}
        self.assertEqual(len(nonces), 5)

    def test_accounts_and_refusals(self):
        key = Key()
        url = self.directory["newAccount"]
        nonce = self.nonce()
        body = key.jws(url, nonce, {"termsOfServiceAgreed": True,
                                    "contact": ["mailto:ops@example.com"]})
        r = self.post(url, body)
        self.assertStatus(r, 201)
        account_url = r.headers["Location"]
        self.assertEqual(r.body["status"], "valid")
        self.assertEqual(r.body["contact"], ["mailto:ops@example.com"])
        # The same request again: its nonce is spent.
        self.assertAcmeProblem(self.post(url, body), 400, "badNonce")
        # The same key again: the same account, 200.
        r = self.post(url, key.jws(url, self.nonce(), {"termsOfServiceAgreed": True}))
        self.assertStatus(r, 200)
        self.assertEqual(r.headers["Location"], account_url)
        # onlyReturnExisting for an unknown key.
        other = Key()
        r = self.post(url, other.jws(url, self.nonce(), {"onlyReturnExisting": True}))
        self.assertAcmeProblem(r, 400, "accountDoesNotExist")
        # A JWS whose url names another endpoint.
        r = self.post(url, other.jws(self.directory["newOrder"], self.nonce(), {}))
        self.assertAcmeProblem(r, 401, "unauthorized")
        # A broken signature, a bad contact, the wrong media type.
        broken = json.loads(other.jws(url, self.nonce(), {}))
        broken["signature"] = b64(b"\x01" * 64)
        self.assertAcmeProblem(self.post(url, json.dumps(broken)), 400, "malformed")
        r = self.post(url, other.jws(url, self.nonce(), {"contact": ["tel:+1555"]}))
        self.assertAcmeProblem(r, 400, "unsupportedContact")
        r = self.client.request("POST", "/acme/new-account", raw_body="{}",
                                content_type="application/json")
        self.assertAcmeProblem(r, 415, "malformed")  # RFC 8555 6.2

        # The account reads and updates itself with kid; another key cannot.
        r = self.post(account_url, key.jws(account_url, self.nonce(), None, kid=account_url))
        self.assertStatus(r, 200)
        self.assertEqual(r.body["status"], "valid")
        r = self.post(account_url, key.jws(account_url, self.nonce(),
                                           {"contact": ["mailto:new@example.com"]},
                                           kid=account_url))
        self.assertEqual(r.body["contact"], ["mailto:new@example.com"])
        r = self.post(account_url, other.jws(account_url, self.nonce(), None, kid=account_url))
        self.assertAcmeProblem(r, 401, "unauthorized")
        r = self.post(account_url, key.jws(account_url, self.nonce(), {"status": "deactivated"},
                                           kid=account_url))
        self.assertEqual(r.body["status"], "deactivated")
        r = self.post(account_url, key.jws(account_url, self.nonce(), None, kid=account_url))
        self.assertAcmeProblem(r, 401, "unauthorized")


harness.make_backend_tests(globals(), AcmeAccounts)

if __name__ == "__main__":
    harness.main()
