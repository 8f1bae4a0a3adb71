"""Debian's pebble as a brand's upstream ACME CA for the tests of issue 18 (docs/BRANDS.md).

    ca = upstream_servers.Pebble(directory)    # ports and its listener certificate, not started
    ca.directory_url   # https://127.0.0.1:PORT/dir, served with a certificate ca.ca_file trusts
    ca.start(dns_address="127.0.0.1:5353", http_port=web.http_port)
    ca.root_pem()      # pebble's root of this run, from its management port
    ca.status_of(serial_hex)   # pebble's /cert-status-by-serial/ answer (JSON)
    ca.stop()

pebble validates dns-01 against the given DNS server (the test's Knot) and http-01 on
`http_port` of the name's address; with PEBBLE_VA_NOSLEEP it checks at once, and
PEBBLE_WFE_NONCEREJECT=0 keeps it from refusing good nonces at random, so runs are repeatable.
eab={"kid": "hmac-key-base64url", ...} makes it require external account binding.
"""

import json
import os
import ssl
import subprocess
import urllib.request

import dcv_servers
import harness


class Pebble:
    def __init__(self, directory):
        os.makedirs(directory, exist_ok=True)
        self.directory = directory
        self.port = dcv_servers.free_port()
        self.management_port = dcv_servers.free_port()
        self.ca_file = os.path.join(directory, "listener-ca.pem")
        key, cert = os.path.join(directory, "key.pem"), os.path.join(directory, "cert.pem")
        ca_key = os.path.join(directory, "listener-ca.key")
        run = lambda *a: subprocess.run(a, check=True, stdout=subprocess.DEVNULL,  # noqa: E731
                                        stderr=subprocess.DEVNULL)
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
            "-nodes", "-keyout", ca_key, "-out", self.ca_file, "-subj", "/CN=pebble listener CA",
            "-days", "2")
        csr = os.path.join(directory, "cert.csr")
        run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1")
        ext = os.path.join(directory, "ext.cnf")
        with open(ext, "w") as f:
            f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
        run("openssl", "x509", "-req", "-in", csr, "-CA", self.ca_file, "-CAkey", ca_key,
            "-CAcreateserial", "-out", cert, "-days", "2", "-extfile", ext)
        self.cert, self.key = cert, key
        self.process = None
        self.directory_url = f"https://127.0.0.1:{self.port}/dir"

    def start(self, dns_address, http_port, eab=None):
        cert, key, directory = self.cert, self.key, self.directory
        config = {"pebble": {
            "listenAddress": f"127.0.0.1:{self.port}",
            "managementListenAddress": f"127.0.0.1:{self.management_port}",
            "certificate": cert, "privateKey": key,
            "httpPort": http_port, "tlsPort": dcv_servers.free_port(),
            "ocspResponderURL": "",
            "externalAccountBindingRequired": bool(eab),
            "externalAccountMACKeys": eab or {}}}
        path = os.path.join(directory, "pebble.json")
        with open(path, "w") as f:
            json.dump(config, f)
        env = dict(os.environ, PEBBLE_VA_NOSLEEP="1", PEBBLE_WFE_NONCEREJECT="0")
        self.log = os.path.join(directory, "pebble.log")
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                ["pebble", "-config", path, "-dnsserver", dns_address], env=env,
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                preexec_fn=harness._die_with_parent)  # noqa: SLF001
        harness.wait_until(lambda: dcv_servers.tcp_listening(self.port) and
                           dcv_servers.tcp_listening(self.management_port), 30,
                           message="pebble listening")
        return self

    def _get(self, path):
        context = ssl.create_default_context(cafile=self.ca_file)
        with urllib.request.urlopen(f"https://127.0.0.1:{self.management_port}{path}",
                                    context=context, timeout=10) as r:
            return r.read().decode()

    def root_pem(self):
        return self._get("/roots/0")

    def status_of(self, serial_hex):
        return json.loads(self._get(f"/cert-status-by-serial/{serial_hex}"))

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
