"""Real servers a certificate is deployed to: OpenSSH (sshd) and nginx serving TLS from files.

    ssh = deploy_servers.SshServer(os.path.join(tmp, "ssh"))
    ssh.port, ssh.host_key (the "SHA256:..." pin), ssh.client_key_pem, ssh.username
    ssh.other_host_key (a valid fingerprint of another key, for the wrong-pin case)

    site = deploy_servers.TlsSite(os.path.join(tmp, "site"))
    site.cert_file, site.key_file        # where a deployment writes fullchain and key
    site.reload_command                  # "nginx ... -s reload": what a target runs
    site.served_serial("www.example.test")   # the leaf serial nginx serves now (lower hex)

Both run on 127.0.0.1 and a free port, with their files in the directory given, and die with
the test (dcv_servers' process rules). sshd needs root (its privilege separation directory and
logging in as root with a key): SshServer raises unittest.SkipTest otherwise.

nginx runs with a master process here, unlike dcv_servers.FileServer: a deployment reloads it
with SIGHUP ("nginx -s reload"), which a single-process nginx does not survive. Its worker is
stopped with the master by stop().
"""

import os
import subprocess
import unittest

import dcv_servers
import harness
from dcv_servers import LOOPBACK, START_TIMEOUT_SECONDS, _Process, _run, _Server, free_port


class SshServer(_Server):
    def __init__(self, directory):
        if not os.path.exists("/usr/sbin/sshd"):
            raise unittest.SkipTest("openssh-server is not installed")
        if os.getuid() != 0:
            raise unittest.SkipTest("sshd needs root for its privilege separation directory")
        os.makedirs("/run/sshd", exist_ok=True)
        self.directory = os.path.abspath(directory)
        os.makedirs(self.directory, exist_ok=True)
        d = self.directory
        for name in ("host_key", "client_key", "other_host_key"):
            _run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", os.path.join(d, name)])
        with open(os.path.join(d, "client_key.pub")) as src, \
                open(os.path.join(d, "authorized_keys"), "w") as dst:
            dst.write(src.read())
        with open(os.path.join(d, "client_key")) as f:
            self.client_key_pem = f.read()
        self.host_key = self._fingerprint("host_key.pub")
        self.other_host_key = self._fingerprint("other_host_key.pub")
        self.username = "root"
        self.port = free_port()
        self.log = os.path.join(d, "sshd.log")
        with open(os.path.join(d, "sshd_config"), "w") as f:
            f.write(f"Port {self.port}\nListenAddress {LOOPBACK}\nHostKey {d}/host_key\n"
                    f"PidFile {d}/sshd.pid\nAuthorizedKeysFile {d}/authorized_keys\n"
                    "StrictModes no\nUsePAM no\nPermitRootLogin prohibit-password\n"
                    "PasswordAuthentication no\nKbdInteractiveAuthentication no\n"
                    "Subsystem sftp internal-sftp\nLogLevel VERBOSE\n")
        self._process = _Process(["/usr/sbin/sshd", "-D", "-e", "-f", f"{d}/sshd_config"],
                                 self.log)
        self._register()
        harness.wait_until(self._answers, START_TIMEOUT_SECONDS, interval=0.05,
                           message="sshd listening")

    def _fingerprint(self, public_key):
        listing = _run(["ssh-keygen", "-lf", os.path.join(self.directory, public_key)])
        return listing.split()[1]

    def _answers(self):
        try:
            import socket
            with socket.create_connection((LOOPBACK, self.port), timeout=2) as s:
                return s.recv(4).startswith(b"SSH-")
        except OSError:
            return False

    def stop(self):
        self._process.stop()
        self._unregister()


class TlsSite(_Server):
    def __init__(self, directory, name="placeholder.test"):
        self.directory = os.path.abspath(directory)
        d = self.directory
        os.makedirs(os.path.join(d, "tls"), exist_ok=True)
        self.cert_file = os.path.join(d, "tls", "site.pem")
        self.key_file = os.path.join(d, "tls", "site.key")
        # A placeholder until the first deployment: nginx needs a certificate to start.
        _run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
              "-nodes", "-keyout", self.key_file, "-out", self.cert_file, "-days", "2",
              "-subj", f"/CN={name}"])
        self.port = free_port()
        self.conf_path = os.path.join(d, "nginx.conf")
        self.error_log = os.path.join(d, "error.log")
        with open(self.conf_path, "w") as f:
            f.write(f"""# Written by deploy_servers.TlsSite.
daemon off;
master_process on;
worker_processes 1;
pid {d}/nginx.pid;
error_log {self.error_log} notice;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {d}/body;
  proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi;
  scgi_temp_path {d}/scgi;
  server {{
    listen {LOOPBACK}:{self.port} ssl default_server;
    server_name _;
    ssl_certificate {self.cert_file};
    ssl_certificate_key {self.key_file};
    location / {{ return 200 "served\\n"; }}
  }}
}}
""")
        base = f"nginx -c {self.conf_path} -p {d}/ -e {self.error_log}"
        # What a deployment target runs: check the new files, then reload (SIGHUP to master).
        self.reload_command = f"{base} -t -q && {base} -s reload"
        self._process = _Process(["nginx", "-c", self.conf_path, "-p", d + "/", "-e",
                                  self.error_log], os.path.join(d, "nginx.stdout"))
        self._register()
        harness.wait_until(lambda: self.served_serial(name) is not None, START_TIMEOUT_SECONDS,
                           interval=0.05, message="nginx serving TLS")

    def install(self, fullchain_pem, key_pem, server_name="placeholder.test"):
        """Serves fullchain_pem with key_pem from now on (written, then nginx reloaded)."""
        with open(self.cert_file, "w") as f:
            f.write(fullchain_pem)
        with open(self.key_file, "w") as f:
            f.write(key_pem)
        serial = subprocess.run(["openssl", "x509", "-noout", "-serial"], input=fullchain_pem,
                                stdout=subprocess.PIPE, text=True, check=True).stdout
        wanted = serial.strip()[len("serial="):].lower().lstrip("0") or "0"
        subprocess.run(self.reload_command, shell=True, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        self.wait_serving(server_name, wanted)

    def wait_serving(self, server_name, serial, timeout=START_TIMEOUT_SECONDS):
        """Waits until several handshakes in a row get `serial` (lower-case hex, no leading
        zeros): after a reload nginx's old worker may still answer a connection or two."""
        harness.wait_until(
            lambda: all(self.served_serial(server_name) == serial for _ in range(3)), timeout,
            interval=0.05, message=f"nginx serving serial {serial}")

    def served_serial(self, server_name):
        """The serial of the leaf nginx serves for server_name, lower-case hex, or None."""
        try:
            hello = subprocess.run(
                ["openssl", "s_client", "-connect", f"{LOOPBACK}:{self.port}", "-servername",
                 server_name], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, timeout=10)
            serial = subprocess.run(["openssl", "x509", "-noout", "-serial"], input=hello.stdout,
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    timeout=10)
        except subprocess.TimeoutExpired:
            return None
        text = serial.stdout.decode().strip()
        if serial.returncode != 0 or not text.startswith("serial="):
            return None
        return text[len("serial="):].lower().lstrip("0") or "0"

    def stop(self):
        self._process.stop()
        self._unregister()


__all__ = ["SshServer", "TlsSite", "dcv_servers"]
