#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into test/fuzz/corpus/<name>/ (docs/FUZZING.md).

Seeds are a few small, real inputs per target: CSRs and keys made by `openssl`, JWS signed with
test/fuzz/data/acme-account.key.pem, OCSP requests made by `openssl ocsp -reqout` for the issuers
of the fixture in test/fuzz/data/ocsp-ca. Keys and signatures are fresh on every run, so only
run it to change the seeds; the fuzzers add what they find to their own working corpora.

  test/fuzz/make_corpus.py
"""
import base64
import hashlib
import hmac
import json
import os
import pathlib
import subprocess
import tempfile

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

HERE = pathlib.Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
DATA = HERE / "data"
# Must match kEabHmacKey in fuzz_jws.cc.
EAB_HMAC_KEY = b"signet-fuzz-eab-hmac-key-32-byte"


def openssl(*args, stdin=None):
    return subprocess.run(["openssl", *args], input=stdin, check=True, capture_output=True).stdout


def b64u(data):
    if isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def write(target, name, data):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())


def ec_jwk(public_key):
    n = public_key.public_numbers()
    size = (public_key.curve.key_size + 7) // 8
    return {"crv": "P-256" if size == 32 else "P-384", "kty": "EC",
            "x": b64u(n.x.to_bytes(size, "big")), "y": b64u(n.y.to_bytes(size, "big"))}


def es_sign(key, data):
    size = (key.curve.key_size + 7) // 8
    algorithm = hashes.SHA256() if size == 32 else hashes.SHA384()
    r, s = decode_dss_signature(key.sign(data, ec.ECDSA(algorithm)))
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def jws(header, payload, sign):
    protected = b64u(json.dumps(header, separators=(",", ":")))
    body = "" if payload is None else b64u(payload)
    signature = sign(f"{protected}.{body}".encode())
    return json.dumps({"protected": protected, "payload": body, "signature": b64u(signature)})


def csr_seeds(tmp):
    san = "subjectAltName=DNS:www.example.com,DNS:example.com"
    ec_pem = openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                     "-nodes", "-keyout", str(tmp / "csr-ec.key"), "-subj", "/CN=www.example.com",
                     "-addext", san)
    write("csr", "ec-p256.pem", ec_pem)
    write("csr", "ec-p256.der", openssl("req", "-outform", "DER", stdin=ec_pem))
    write("csr", "ec-p384-cn-only.pem",
          openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384", "-nodes",
                  "-keyout", str(tmp / "csr-p384.key"), "-subj", "/O=Example/CN=Shop.Example.COM"))
    write("csr", "rsa-2048.pem",
          openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", str(tmp / "r.key"),
                  "-subj", "/CN=example.org", "-addext", "subjectAltName=DNS:*.example.org"))


def jws_seeds():
    account = serialization.load_pem_private_key((DATA / "acme-account.key.pem").read_bytes(), None)
    account_jwk = ec_jwk(account.public_key())
    url = "https://signet.test/acme/"
    write("jws", "new-account-es256.json",
          jws({"alg": "ES256", "jwk": account_jwk, "nonce": "bm9uY2Ux", "url": url + "new-account"},
              '{"termsOfServiceAgreed":true,"contact":["mailto:a@example.com"]}',
              lambda d: es_sign(account, d)))
    kid = {"alg": "ES256", "kid": url + "acct/1", "nonce": "bm9uY2Uy"}
    write("jws", "kid-post-as-get.json",
          jws({**kid, "url": url + "order/1"}, None, lambda d: es_sign(account, d)))
    write("jws", "kid-new-order.json",
          jws({**kid, "url": url + "new-order"},
              '{"identifiers":[{"type":"dns","value":"www.example.com"}]}',
              lambda d: es_sign(account, d)))
    new_key = ec.generate_private_key(ec.SECP384R1())
    inner = jws({"alg": "ES384", "jwk": ec_jwk(new_key.public_key()), "url": url + "key-change"},
                json.dumps({"account": url + "acct/1", "oldKey": account_jwk}),
                lambda d: es_sign(new_key, d))
    write("jws", "key-change-inner.json", inner)
    write("jws", "eab-hs256.json",
          jws({"alg": "HS256", "kid": "eab_01", "url": url + "new-account"},
              json.dumps(account_jwk, separators=(",", ":")),
              lambda d: hmac.new(EAB_HMAC_KEY, d, hashlib.sha256).digest()))
    ed = ed25519.Ed25519PrivateKey.generate()
    raw = ed.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    ed_jwk = {"crv": "Ed25519", "kty": "OKP", "x": b64u(raw)}
    write("jws", "new-account-eddsa.json",
          jws({"alg": "EdDSA", "jwk": ed_jwk, "nonce": "bm9uY2Uz", "url": url + "new-account"},
              "{}", ed.sign))
    write("jws", "jwk-ec.json", json.dumps(account_jwk))
    write("jws", "spki-ec.der",
          account.public_key().public_bytes(serialization.Encoding.DER,
                                            serialization.PublicFormat.SubjectPublicKeyInfo))


def pem_seeds(tmp):
    key = tmp / "pem-ec.key"
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", str(key))
    cert = openssl("req", "-x509", "-key", str(key), "-subj", "/CN=pem.example.com", "-days", "30")
    root = (DATA / "ocsp-ca" / "root" / "cert.pem").read_bytes()
    write("pem", "certificate.pem", cert)
    write("pem", "chain-with-text.pem", b"subject: pem.example.com\n" + cert + b"\n" + root)
    write("pem", "certificate.der", openssl("x509", "-outform", "DER", stdin=cert))
    write("pem", "key-pkcs8.pem", key.read_bytes())
    # Inputs are "password\0text" (fuzz_pem.cc).
    write("pem", "key-pkcs8-encrypted.pem",
          b"fuzzpass\0" + openssl("pkcs8", "-topk8", "-in", str(key), "-v2", "aes-128-cbc",
                                  "-passout", "pass:fuzzpass"))
    write("pem", "key-legacy-encrypted.pem",
          b"fuzzpass\0" + openssl("ec", "-in", str(key), "-aes128", "-passout", "pass:fuzzpass"))
    write("pem", "key-pkcs8-encrypted.der",
          b"fuzzpass\0" + openssl("pkcs8", "-topk8", "-in", str(key), "-outform", "DER",
                                  "-passout", "pass:fuzzpass"))
    write("pem", "csr.pem",
          openssl("req", "-new", "-key", str(key), "-subj", "/CN=pem.example.com"))


def domain_name_seeds():
    write("domain_name", "plain", "www.example.com\nExample.COM.\nshop.example.co.uk\n")
    write("domain_name", "wildcards", "*.example.com\n*.*.example.com\n*.co.uk\nw*.example.com\n")
    write("domain_name", "idn", "例子.中国\nxn--fsqu00a.xn--fiqs8s\nbücher.example\nxn--a.com\n")
    write("domain_name", "internal", "host.internal\nsvc.test\nlocalhost\nexample.local\n")
    write("domain_name", "addresses", "192.168.1.1\n8.8.8.8\n[::1]\n2001:db8::1\n10.0.0.1.com\n")
    write("domain_name", "bad", " under_score.example.com \na..b.com\n-a.example.com\nab--c.com\n")


def caa_record(flags, tag, value):
    rdata = bytes([flags, len(tag)]) + tag.encode() + value.encode()
    return bytes([len(rdata)]) + rdata


def caa_seeds():
    # One control byte, then length-prefixed RDATA; a 0 length moves to the parent (fuzz_caa.cc).
    write("caa", "issue", b"\x00" + caa_record(0, "issue", "signet.test"))
    write("caa", "other-ca-at-parent", b"\x00\x00" + caa_record(0, "issue", "other.example") +
          caa_record(0, "iodef", "mailto:security@example.com"))
    write("caa", "issuewild-wildcard", b"\x01" + caa_record(0, "issue", "signet.test") +
          caa_record(0, "issuewild", ";"))
    write("caa", "rfc8657-parameters", b"\x0a" + caa_record(
        0, "issue", "signet.test; accounturi=https://signet.test/acme/acct/1; "
        "validationmethods=dns-01,http-01"))
    write("caa", "critical-unknown", b"\x00" + caa_record(128, "tbs", "unknown") +
          caa_record(0, "Issue", "ca.example.net"))


def ocsp_seeds(tmp):
    ca = DATA / "ocsp-ca"
    ecdsa = str(ca / "issuers" / "ecdsa-1" / "cert.pem")
    rsa = str(ca / "issuers" / "rsa-1" / "cert.pem")
    root = str(ca / "root" / "cert.pem")
    out = tmp / "req.der"

    def request(name, *args):
        openssl("ocsp", *args, "-reqout", str(out))
        write("ocsp_request", name, out.read_bytes())

    # The last hex digit of the serial picks the stub storage's answer (fuzz_ocsp_request.cc).
    request("ecdsa-good.der", "-no_nonce", "-issuer", ecdsa, "-serial", "0x5f3a91c2d4e6b701")
    request("ecdsa-revoked-nonce.der", "-issuer", ecdsa, "-serial", "0x5f3a91c2d4e6b702")
    request("rsa-unknown-sha256.der", "-no_nonce", "-sha256", "-issuer", rsa, "-serial", "0x48")
    request("rsa-revoked.der", "-no_nonce", "-issuer", rsa, "-serial", "0x7b3e0000000000000b")
    request("two-certificates.der", "-no_nonce", "-issuer", ecdsa, "-serial", "0x11",
            "-serial", "0x12")
    request("other-issuer.der", "-no_nonce", "-issuer", root, "-serial", "0x01")


def json_body_seeds():
    write("json_body", "order",
          '/api/v1/orders\napplication/json\n{"names":["www.example.com","example.com"],'
          '"product":"dv-1y","validity_days":90,"comment":"renewal"}')
    write("json_body", "query-and-charset",
          "/api/v1/orders?page_token=b3JkXzAx&state=pending&q=a%20b+c\n"
          'Application/JSON; charset=utf-8\n{"csr":"-----BEGIN CERTIFICATE REQUEST-----\\n",'
          '"contact":null}')
    write("json_body", "unknown-field", '/api/v1/orders/%6Frd_01\napplication/json\n{"nmes":[]}')
    write("json_body", "unicode", '/\napplication/json \n{"comment":"\\u00fc\\ud83d\\ude00 ü"}')
    write("json_body", "not-json", "/x\ntext/plain\nnames=a")


def main():
    # Regression seeds (inputs that once crashed a target) stay; the rest is made anew.
    for old in CORPUS.glob("*/*"):
        if not old.name.startswith("regression-"):
            old.unlink()
    with tempfile.TemporaryDirectory() as t:
        tmp = pathlib.Path(t)
        os.chmod(tmp, 0o700)
        csr_seeds(tmp)
        jws_seeds()
        pem_seeds(tmp)
        domain_name_seeds()
        caa_seeds()
        ocsp_seeds(tmp)
        json_body_seeds()
    for d in sorted(CORPUS.iterdir()):
        files = list(d.iterdir())
        print(f"{d.name}: {len(files)} seeds, {sum(f.stat().st_size for f in files)} bytes")


if __name__ == "__main__":
    main()
