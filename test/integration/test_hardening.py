"""Hardening, as an attacker and an operator would try it: encrypted keys in uploads never make
signetd wait for a passphrase on its terminal, secrets never come back out (API, log, database),
an oversized header gets its 431, and the
documented PostgreSQL URL works over TCP with a password that needs percent-encoding. That an
owner learns nothing of other accounts' users is in test_people.py."""

import concurrent.futures
import datetime
import os
import re
import shutil
import socket
import ssl
import subprocess
import tempfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

import dcv_servers
import harness
import pg_cluster
from test_orders import ADMIN, OrderFixture

KEY_PASSWORD = "correct horse battery staple"


def _name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def certificate_with_key():
    """A root, and a leaf for upload.hardening.test issued by it, with the leaf's key."""
    now = datetime.datetime.now(datetime.timezone.utc)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = (x509.CertificateBuilder().subject_name(_name("Hardening Root"))
            .issuer_name(_name("Hardening Root")).public_key(root_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False,
                                         False), critical=True)
            .sign(root_key, hashes.SHA256()))
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = (x509.CertificateBuilder().subject_name(_name("upload.hardening.test"))
            .issuer_name(root.subject).public_key(leaf_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=90))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("upload.hardening.test")]),
                           critical=False)
            .sign(root_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    return (leaf.public_bytes(pem).decode(), root.public_bytes(pem).decode(), leaf_key)


def key_pem(key, password=None, legacy=False):
    if password is None:
        encryption = serialization.NoEncryption()
    else:
        encryption = serialization.BestAvailableEncryption(password.encode())
    fmt = serialization.PrivateFormat.TraditionalOpenSSL if legacy else \
        serialization.PrivateFormat.PKCS8
    return key.private_bytes(serialization.Encoding.PEM, fmt, encryption).decode()


class EncryptedUploads:
    """Defect: an encrypted key made OpenSSL ask signetd's terminal for a passphrase."""

    def test_encrypted_keys_never_wait_for_a_terminal(self):
        server = self.new_signetd()
        server.stdin_pipe = True  # an open standard input nobody writes to, as under docker -it
        server.start()
        api = server.client(server.create_owner("keys@example.com", "keys"))
        leaf, root, key = certificate_with_key()
        encrypted = key_pem(key, KEY_PASSWORD)
        legacy = key_pem(key, KEY_PASSWORD, legacy=True)
        self.assertIn("ENCRYPTED PRIVATE KEY", encrypted)
        self.assertIn("Proc-Type: 4,ENCRYPTED", legacy)

        def upload(private_key, password=None, certificate=leaf):
            body = {"certificate": certificate, "chain": root, "private_key": private_key}
            if password is not None:
                body["private_key_password"] = password
            return server.client(api.key, timeout=20).post("/api/v1/certificates", body)

        # More uploads at once than the server has blocking threads: before the fix each one
        # took a thread for ever and /healthz stopped answering.
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda k: upload(k), [encrypted, legacy] * 4))
        for r in answers:
            self.assertProblem(r, 400, "key_encrypted")
            self.assertIn("private_key_password", r.body["detail"])
        self.assertStatus(server.client().get("/healthz"), 200)
        # The right password opens it; a wrong one says so.
        self.assertProblem(upload(encrypted, "wrong password"), 400, "wrong_key_password")
        self.assertProblem(upload(legacy, "wrong password"), 400, "wrong_key_password")
        r = upload(encrypted, KEY_PASSWORD)
        self.assertStatus(r, 201)
        self.assertTrue(r.body["private_key_held"])
        # The key is kept (sealed) without the upload's password: a download can use its own.
        cert_id = r.body["id"]
        r = api.get(f"/api/v1/certificates/{cert_id}/download?format=nginx")
        self.assertStatus(r, 200)
        # A certificate block marked "encrypted" is refused, not decrypted.
        bad_cert = leaf.replace("-----BEGIN CERTIFICATE-----\n",
                                "-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\n"
                                "DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n")
        self.assertProblem(upload(key_pem(key), certificate=bad_cert), 400,
                           "invalid_certificate")
        self.assertStatus(server.client().get("/healthz"), 200)
        self.assertNotIn(KEY_PASSWORD, server.stderr())


class SecretsNeverLeave(OrderFixture):
    """Defect: the dns_auto TSIG secret came back in order responses and sat in the database
    in plaintext; webhook secrets were stored in plaintext."""

    def test_no_secret_in_responses_log_or_database(self):
        self.start_world(web=False, smtp=False)
        key = self.dns.applicant_key
        responses = []

        def keep(r):
            responses.append(r.raw.decode(errors="replace"))
            return r

        # dns_auto: the applicant's TSIG secret, through PUT, submit, GET and the list.
        order = self.order("dv-single")
        application = {
            "domains": ["auto.signed.test"], "applicant_type": "individual",
            "key": {"generate": {"algorithm": "ecdsa-p256", "password": KEY_PASSWORD}},
            "administrator": ADMIN, "contact": "same_as_administrator",
            "validation_method": "dns_auto",
            "dns_auto": {"server": self.dns.address, "zone": "signed.test",
                         "key_name": key.name, "algorithm": "hmac-sha256",
                         "secret": key.secret}}
        r = keep(self.api.put(f"/api/v1/orders/{order['id']}/application", application))
        self.assertStatus(r, 200)
        r = keep(self.api.post(f"/api/v1/orders/{order['id']}/submit"))
        self.assertStatus(r, 200)
        keep(self.api.post(f"/api/v1/orders/{order['id']}/validations/check"))
        issued = self.wait_status(order, "issued")
        keep(self.api.get(f"/api/v1/orders/{order['id']}"))
        keep(self.api.get("/api/v1/orders"))
        keep(self.api.get("/api/v1/domain-validations"))
        self.assertTrue(issued["certificate_id"])
        # A webhook channel's secret is shown once, at creation.
        r = self.api.post("/api/v1/notification-channels",
                          {"kind": "webhook", "target": "https://hooks.example.com/signet"})
        self.assertStatus(r, 201)
        webhook_secret = r.body["secret"]
        self.assertGreaterEqual(len(webhook_secret), 32)
        keep(self.api.get("/api/v1/notification-channels"))
        # An uploaded key, sent encrypted with its password.
        leaf, root, upload_key = certificate_with_key()
        r = self.api.post("/api/v1/certificates",
                          {"certificate": leaf, "chain": root,
                           "private_key": key_pem(upload_key, KEY_PASSWORD),
                           "private_key_password": KEY_PASSWORD})
        self.assertStatus(r, 201)
        keep(self.api.get("/api/v1/certificates"))
        keep(self.api.get(f"/api/v1/certificates/{r.body['id']}"))
        keep(self.api.get("/api/v1/audit-events"))
        upload_key_body = "".join(key_pem(upload_key).splitlines()[1:-1])

        self.server.stop()
        dump = self.dump_database(self.server)
        log = self.server.stderr() + self.server.stdout()
        secrets = {"TSIG secret": key.secret, "webhook secret": webhook_secret,
                   "key password": KEY_PASSWORD, "uploaded private key": upload_key_body}
        for what, secret in secrets.items():
            for where, text in (("an API response", "\n".join(responses)), ("the log", log),
                                ("the database", dump)):
                self.assertNotIn(secret, text, f"the {what} is in {where}")
        # What is stored is sealed ("v1." + base64url).
        self.assertRegex(dump, r"v1\.[A-Za-z0-9_-]{40,}")


class OversizedHeader:
    """Defect: a 100 KB header dropped the connection instead of answering 431."""

    def test_a_100_kb_header_gets_431(self):
        server = self.start_signetd()
        for _ in range(3):
            context = ssl.create_default_context(cafile=server.ca_file)
            with socket.create_connection(("127.0.0.1", server.port), timeout=20) as raw:
                with context.wrap_socket(raw, server_hostname="localhost") as tls:
                    tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: " +
                                b"a" * 100_000 + b"\r\n\r\n")
                    answer = b""
                    while b"\r\n\r\n" not in answer:
                        chunk = tls.recv(65536)
                        if not chunk:
                            break
                        answer += chunk
            self.assertTrue(answer.startswith(b"HTTP/1.1 431"), answer[:200])
        self.assertStatus(server.client().get("/healthz"), 200)


class PostgresTcpUrl:
    """Defect: the README's postgresql://user:pass@host:5432/db failed ("database "db="...")."""

    def test_the_documented_url_over_tcp_with_a_percent_encoded_password(self):
        directory = tempfile.mkdtemp(prefix="signet-pgtcp.", dir="/tmp")
        port = dcv_servers.free_port()
        cluster = pg_cluster.Cluster(directory, port=port, tcp=True)
        self.addCleanup(lambda: (cluster.stop(), subprocess.run(["rm", "-rf", directory])))
        cluster.start()
        password = "p@ss/w:rd %'x"
        pg_cluster.psql(cluster.url, "CREATE ROLE signet LOGIN PASSWORD "
                        "'" + password.replace("'", "''") + "'")
        pg_cluster.psql(cluster.url, "CREATE DATABASE signet OWNER signet")
        encoded = "p%40ss%2Fw%3Ard%20%25%27x"
        url = f"postgresql://signet:{encoded}@127.0.0.1:{port}/signet"
        server = self.new_signetd(database_url=url)
        server.start()
        api = server.client(server.create_owner("pg@example.com", "pg"))
        self.assertStatus(api.post("/api/v1/organizations", {"name": "TCP Org", "country": "CN"}),
                          201)
        self.assertStatus(server.client().get("/readyz"), 200)
        self.assertNotIn(password, server.stderr())
        self.assertNotIn(encoded, server.stderr())
        server.stop()
        # The environment variable, with a libpq parameter, as docs/OPERATIONS.md suggests.
        env_server = self.new_signetd(data_dir=server.data_dir, database_url=None)
        env_server.env = {"SIGNET_DATABASE_URL": url + "?sslmode=disable&connect_timeout=10"}
        env_server.start()
        self.assertEqual(
            len(env_server.client(api.key).get("/api/v1/organizations").body["items"]), 1)
        # A wrong password is named as a connection failure, without the password.
        wrong = self.new_signetd(database_url=f"postgresql://signet:nope@127.0.0.1:{port}/signet")
        with self.assertRaises(harness.StartError) as raised:
            wrong.start(timeout=30)
        self.assertIn("password authentication failed", str(raised.exception))
        self.assertNotIn("nope", re.sub(r"password=\*\*\*", "", wrong.stderr()))


class AdminCommands:
    """Defects: backup to a missing folder said "try again"; logs between admin results."""

    def test_backup_names_a_missing_folder_and_results_stay_apart_from_logs(self):
        server = self.start_signetd()
        missing = os.path.join(self.temp_dir(), "no-such-folder")
        code, out, err = server.admin("backup", "--output", os.path.join(missing, "b.db"))
        self.assertNotEqual(code, 0)
        self.assertIn(missing, err)
        self.assertIn("does not exist", err)
        self.assertNotIn("try again", err)
        target = os.path.join(self.temp_dir(), "b.db")
        code, out, err = server.admin("backup", "--output", target)
        self.assertEqual(code, 0, err)
        self.assertTrue(os.path.getsize(target) > 0)
        for args in (("create-user", "--email", "ops@admin.example", "--role", "owner",
                      "--account", "ops"), ("create-api-key", "--email", "ops@admin.example"),
                     ("verify-audit",), ("migrate",)):
            code, out, err = server.admin(*args)
            self.assertEqual(code, 0, err)
            for line in out.splitlines():
                self.assertFalse(line.lstrip().startswith("{"),
                                 f"admin {args[0]} printed a log line on standard output: {line}")


class NodeFiles:
    """Defect: a node without master.key or the CA files made new ones (or served bare 500s)."""

    def test_a_node_missing_its_master_key_or_ca_refuses_to_start_and_names_it(self):
        server = self.start_signetd()
        api = server.client(server.create_owner("node@example.com", "node"))
        self.assertStatus(api.post("/api/v1/notification-channels",
                                   {"kind": "webhook", "target": "https://h.example.com/x"}), 201)
        server.stop()
        key_file = os.path.join(server.data_dir, "master.key")
        os.rename(key_file, key_file + ".away")
        with self.assertRaises(harness.StartError) as raised:
            server.start()
        self.assertIn(key_file, str(raised.exception))
        self.assertIn("master key", str(raised.exception))
        self.assertFalse(os.path.exists(key_file), "no new master key was made")
        # Another node's key (a fresh one) is refused as well.
        with open(key_file, "w") as f:
            f.write("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n")
        os.chmod(key_file, 0o600)
        with self.assertRaises(harness.StartError) as raised:
            server.start()
        self.assertIn("is not the one", str(raised.exception))
        os.replace(key_file + ".away", key_file)
        ca_dir = os.path.join(server.data_dir, "ca")
        os.rename(ca_dir, ca_dir + ".away")
        with self.assertRaises(harness.StartError) as raised:
            server.start()
        self.assertIn(os.path.join(ca_dir, "root", "cert.pem"), str(raised.exception))
        self.assertFalse(os.path.exists(os.path.join(ca_dir, "root", "cert.pem")),
                         "no second CA was made")
        shutil.rmtree(ca_dir, ignore_errors=True)
        os.rename(ca_dir + ".away", ca_dir)
        server.start()
        self.assertStatus(server.client().get("/readyz"), 200)


harness.make_backend_tests(globals(), EncryptedUploads, OversizedHeader,
                           PostgresTcpUrl, AdminCommands, backends=["sqlite"])
harness.make_backend_tests(globals(), SecretsNeverLeave, NodeFiles)

if __name__ == "__main__":
    harness.main()
