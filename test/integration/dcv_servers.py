"""Real servers for domain-control validation (DCV) tests: DNS (Knot), HTTP(S) (nginx), SMTP.

Each class starts its server in its constructor, on 127.0.0.1 and a port the kernel said was
free, with its files in the directory the caller gives (give each server its own, e.g. a
subdirectory of SignetTestCase.temp_dir()); stop() ends it, and so does leaving a `with`
block. A server that is still running when the test process exits is stopped by atexit, and
the child processes die with the test process (harness._die_with_parent) if it is killed.
(That signal comes when the *thread* that started the server ends: start servers from the
test's own thread, not from a short-lived helper thread.)

    import dcv_servers

    with dcv_servers.AuthoritativeDns(os.path.join(tmp, "dns")) as dns:
        dns.set_records("_dnsauth.www.signed.test", "TXT", ["token-123"])
        dns.records("_dnsauth.www.signed.test", "TXT")          # ["token-123"]
        anchors = dns.trust_anchor_file()                        # for libunbound
        dns.address                                              # "127.0.0.1:PORT"
        dns.signet_key                                           # TsigKey(name, algorithm, secret)

    web = dcv_servers.FileServer(os.path.join(tmp, "web"), names=["www.insecure.test"])
    web.put("/.well-known/pki-validation/fileauth.txt", b"token-123")
    web.add_redirect("/.well-known/pki-validation/other.txt", 301, "https://elsewhere.test/x")
    web.set_status("/.well-known/pki-validation/gone.txt", 404)
    web.http_port, web.https_port, web.ca_file, web.requests()
    web.stop()

    smtp = dcv_servers.SmtpSink()
    ... signetd sends to smtp.url ...
    message = smtp.wait_for(lambda m: "admin@insecure.test" in m["To"], timeout=10)
    smtp.stop(); later = dcv_servers.SmtpSink(port=smtp.port)      # an outage, then back

Run test/integration/dcv_servers_selftest.py to see all of it work.

AuthoritativeDns: zones and keys
--------------------------------
    signed.test.      DNSSEC-signed by Knot itself (ECDSAP256SHA256, KSK + ZSK, NSEC).
    broken.test.      signed by Knot the same way, but trust_anchor_file() gives for it a DS
                      whose digest matches none of its keys (a parent DS left behind by a
                      botched key rollover): a validating resolver finds every answer in it
                      BOGUS, positive and negative alike.
    insecure.test.    unsigned, and no anchor: a validator calls it insecure.
    dcv.signet.test.  unsigned. Signet publishes its own TXT records here (RFC 2136 UPDATE
                      signed with the TSIG key `signet-key.`), for CNAME delegation
                      (_dnsauth.www.insecure.test CNAME <label>.dcv.signet.test.).
Each zone has `ns` (NS target) and, except dcv.signet.test., `www`, both A 127.0.0.1.

TSIG keys, all hmac-sha256 with a random secret per instance, as TsigKey(name, algorithm,
secret) where secret is base64 (the form of knsupdate -y, BIND and Knot configurations):
    signet_key     `signet-key.`     may update dcv.signet.test.
    applicant_key  `applicant-key.`  may update insecure.test. and signed.test. (the key an
                                     applicant hands Signet for the automatic DNS method)
    admin_key      `dcv-test-admin.` may update every zone; set_records() and
                                     delete_records() use it.

Negative answers (NXDOMAIN, NODATA and signed.test.'s NSEC records) have a TTL of 1 second
(SOA minimum 1), so a resolver does not remember for long that a record was missing; records
set by set_records() have the TTL given (60 s by default), and a caching resolver keeps them
that long: a test that changes a record a resolver has already seen should use a new name or
a fresh resolver.

Knot DNS specifics (3.2, as packaged by Debian 12)
--------------------------------------------------
- knotd runs in the foreground with `-c knot.conf`, as the user that starts it (root in CI):
  without `server: user` it does not change user, and so it can read and write our
  directory. `server: rundir` holds the pid file and the control socket (knot.sock, for
  knotc); `database: storage` holds the journal, timers and the KASP database (the DNSSEC
  keys, in LMDB: sparse files, under 200 KiB on disk in spite of the 500 MiB map size
  logged). Zone files are only read: `zonefile-sync: -1` keeps Knot from writing them back,
  and changes live in the journal.
- `dnssec-signing: on` makes Knot generate the keys on the first load and sign the zone
  before serving it, and re-sign every UPDATE before it answers the UPDATE. The KSK is
  logged as "ready, active+" and "KSK submission, waiting for confirmation": Knot waits for a
  DS to appear in a parent it cannot reach, and meanwhile signs with the KSK all the same,
  which is all the tests need.
- Knot answers queries outside its zones with REFUSED and does not recurse; it follows a CNAME
  only within one zone, so a resolver chases a CNAME into another zone by asking again.
- An UPDATE that adds a CNAME next to other data (or other data next to a CNAME) is silently
  ignored (RFC 2136 section 3.4.2.2) with NOERROR, which is why set_records() deletes those
  first.
- An UPDATE signed with a key that the zone's ACL does not name is answered NOTAUTH with the
  TSIG error BADKEY (dnspython raises dns.tsig.PeerBadKey), as if the key were unknown.

Resolving against it (libunbound / unbound-host), as dcv_servers_selftest.py does
-------------------------------------------------------------------------------
    ub_ctx_set_fwd(ctx, "127.0.0.1@PORT")              forward-zone "." forward-addr (or a
                                                       stub-zone per zone: both work)
    ub_ctx_set_option(ctx, "do-not-query-localhost:", "no")
    ub_ctx_set_option(ctx, "local-zone:", "test. transparent")
    ub_ctx_add_ta_file(ctx, trust_anchor_file())       trust-anchor-file
The local-zone matters: unbound answers the RFC 6761 special-use names (test., invalid., ...)
itself with NXDOMAIN, so without it every name here is "not found" without a query sent.
`local-zone: "test." nodefault` does the same in a configuration file (ub_ctx_config), but
through ub_ctx_set_option it is accepted (returns 0) and has no effect: use transparent.
Forwarding to an authoritative server needs nothing more (unbound sends RD=1, Knot ignores it
and answers with AA), and the trust anchor at the zone itself needs no DS from a parent.
"""

import atexit
import base64
import collections
import email
import email.policy
import http.client
import json
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
import urllib.parse

import dns.dnssec
import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rdtypes.ANY.TXT
import dns.tsig
import dns.update

import harness

START_TIMEOUT_SECONDS = 30
STOP_TIMEOUT_SECONDS = 15
CHANGE_TIMEOUT_SECONDS = 15
LOOPBACK = "127.0.0.1"

_live = set()  # servers to stop at exit


@atexit.register
def _stop_leftovers():
    for server in list(_live):
        try:
            server.stop()
        except Exception:  # noqa: BLE001 - best effort at exit
            pass


def free_port(udp=False):
    """A port on 127.0.0.1 that the kernel says is free now (for TCP, and for UDP too if udp).

    Servers that need a port number in their configuration take one this way; another process
    could take it before the server binds it, which on a test machine does not happen.
    """
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind((LOOPBACK, 0))
            port = s.getsockname()[1]
            if not udp:
                return port
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
                try:
                    u.bind((LOOPBACK, port))
                except OSError:
                    continue
                return port
    raise RuntimeError("no port free for both TCP and UDP on 127.0.0.1")


def tcp_listening(port, host=LOOPBACK):
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((host, port)) == 0


class _Process:
    """A child process that dies with the test process, its output going to one log file."""

    def __init__(self, argv, log_path, cwd=None):
        self.argv = argv
        self.log_path = log_path
        with open(log_path, "ab") as log:
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, cwd=cwd,
                                         preexec_fn=harness._die_with_parent)  # noqa: SLF001

    @property
    def pid(self):
        return self.proc.pid

    def running(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class _Server:
    """Context-manager support and the at-exit registry shared by the servers here."""

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.stop()

    def _register(self):
        _live.add(self)

    def _unregister(self):
        _live.discard(self)


# --------------------------------------------------------------------------------------------
# DNS


class TsigKey(collections.namedtuple("TsigKey", "name algorithm secret")):
    """A TSIG key: name ("signet-key."), algorithm ("hmac-sha256"), secret (base64)."""

    def dnspython(self):
        return dns.tsig.Key(self.name, self.secret, self.algorithm)

    def knsupdate_argument(self):
        """The argument of knsupdate -y (and nsupdate -y): algorithm:name:secret."""
        return f"{self.algorithm}:{self.name}:{self.secret}"


def _new_tsig_key(name):
    return TsigKey(name, "hmac-sha256", base64.b64encode(os.urandom(32)).decode())


class AuthoritativeDns(_Server):
    """Knot DNS on 127.0.0.1:port (UDP and TCP), serving the zones described in the module doc.

    Names given to the methods may be absolute or not ("www.signed.test" is
    "www.signed.test."); each must lie in one of the four zones. Record values are in zone-file
    presentation format ("127.0.0.1", '0 issue "ca.signet.test"', "x.dcv.signet.test."), with
    names taken as absolute, except TXT, whose values are the text itself (no quotes; long
    values are split into 255-byte strings and joined again by records()).
    """

    SIGNED = "signed.test."
    BROKEN = "broken.test."
    INSECURE = "insecure.test."
    DCV = "dcv.signet.test."
    ZONES = (SIGNED, BROKEN, INSECURE, DCV)
    SIGNED_ZONES = (SIGNED, BROKEN)

    def __init__(self, directory, port=None):
        self.directory = os.path.abspath(directory)
        self.port = port or free_port(udp=True)
        self.signet_key = _new_tsig_key("signet-key.")
        self.applicant_key = _new_tsig_key("applicant-key.")
        self.admin_key = _new_tsig_key("dcv-test-admin.")
        self.conf_path = os.path.join(self.directory, "knot.conf")
        self.log_path = os.path.join(self.directory, "knotd.log")
        self._process = None
        for sub in ("zones", "db", "run"):
            os.makedirs(os.path.join(self.directory, sub), exist_ok=True)
        self._write_zone_files()
        self._write_conf()
        self._start()

    # -- properties --

    @property
    def address(self):
        return f"{LOOPBACK}:{self.port}"

    @property
    def unbound_address(self):
        """The address as unbound writes it (forward-addr, ub_ctx_set_fwd): 127.0.0.1@PORT."""
        return f"{LOOPBACK}@{self.port}"

    @property
    def dcv_zone(self):
        return self.DCV

    # -- set-up --

    def _write_zone_files(self):
        for zone in self.ZONES:
            hosts = "" if zone == self.DCV else "www A 127.0.0.1\n"
            # SOA minimum 1: negative answers (and NSEC records) live one second in caches.
            with open(os.path.join(self.directory, "zones", f"{zone}zone"), "w") as f:
                f.write(f"$ORIGIN {zone}\n$TTL 60\n"
                        f"@ SOA ns.{zone} hostmaster.{zone} 1 3600 600 86400 1\n"
                        f"@ NS ns.{zone}\n"
                        f"ns A 127.0.0.1\n{hosts}")

    def _write_conf(self):
        d = self.directory
        keys = "".join(f"  - id: {k.name}\n    algorithm: {k.algorithm}\n    secret: {k.secret}\n"
                       for k in (self.admin_key, self.signet_key, self.applicant_key))
        acls = {self.SIGNED: "[admin, applicant]", self.BROKEN: "[admin]",
                self.INSECURE: "[admin, applicant]", self.DCV: "[admin, signet]"}
        zones = ""
        for zone in self.ZONES:
            zones += f"  - domain: {zone}\n    acl: {acls[zone]}\n"
            if zone in self.SIGNED_ZONES:
                zones += "    dnssec-signing: on\n    dnssec-policy: ecdsa\n"
        # One worker of each kind: the machine has two cores and the tests send little.
        conf = f"""# Written by dcv_servers.AuthoritativeDns.
server:
    rundir: "{d}/run"
    listen: {LOOPBACK}@{self.port}
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1

log:
  - target: "{self.log_path}"
    any: info

database:
    storage: "{d}/db"

key:
{keys}
acl:
  - id: admin
    key: {self.admin_key.name}
    action: update
  - id: signet
    key: {self.signet_key.name}
    action: update
  - id: applicant
    key: {self.applicant_key.name}
    action: update

policy:
  - id: ecdsa
    algorithm: ecdsap256sha256
    nsec3: off

template:
  - id: default
    storage: "{d}/zones"
    file: "%s.zone"
    zonefile-sync: -1

zone:
{zones}"""
        with open(self.conf_path, "w") as f:
            f.write(conf)

    def _start(self):
        knotd = shutil.which("knotd") or "/usr/sbin/knotd"
        if not os.access(knotd, os.X_OK):
            raise RuntimeError("knotd is missing: apt-get install knot")
        self._process = _Process([knotd, "-c", self.conf_path], self.log_path + ".stdout",
                                 cwd=self.directory)
        self._register()
        try:
            harness.wait_until(lambda: self._all_zones_served() or not self._process.running(),
                               START_TIMEOUT_SECONDS, interval=0.05,
                               message=f"knotd serving all zones on {self.address}")
            if not self._process.running():
                raise RuntimeError("knotd exited")
        except Exception as e:
            self.stop()
            raise RuntimeError(f"knotd did not start ({e}); its log:\n{self.log_tail()}") from e

    def _all_zones_served(self):
        try:
            for zone in self.ZONES:
                answer = self.query(zone, "SOA", tcp=False, timeout=0.5)
                if answer.rcode() != dns.rcode.NOERROR or not _find(answer, zone, "SOA"):
                    return False
                if zone in self.SIGNED_ZONES:
                    if not _find(answer, zone, "RRSIG", covers="SOA"):
                        return False
                    if not self.dnskeys(zone):
                        return False
            return True
        except (dns.exception.DNSException, OSError):
            return False

    def stop(self):
        if self._process is not None:
            self._process.stop()
        self._unregister()

    def log_tail(self, lines=60):
        return harness.tail(self.log_path, lines) + harness.tail(self.log_path + ".stdout", 20)

    # -- queries --

    def query(self, name, rtype, dnssec=True, tcp=True, timeout=5):
        """Asks the server directly; returns the dns.message.Message."""
        q = dns.message.make_query(_absolute(name), rtype, want_dnssec=dnssec)
        q.flags &= ~dns.flags.RD
        if tcp:
            return dns.query.tcp(q, LOOPBACK, port=self.port, timeout=timeout)
        return dns.query.udp(q, LOOPBACK, port=self.port, timeout=timeout)

    def records(self, name, rtype):
        """The values the server now serves for (name, rtype), sorted; [] if none.

        TXT values are the text (each record's strings joined); others are presentation text
        with absolute names.
        """
        answer = self.query(name, rtype)
        rrset = _find(answer, _absolute(name), rtype)
        if rrset is None:
            return []
        return sorted(_value_text(rd) for rd in rrset)

    def dnskeys(self, zone, ksk_only=False):
        """The zone's DNSKEY rdatas as served (only those with the SEP flag, 257, if ksk_only)."""
        rrset = _find(self.query(zone, "DNSKEY"), _absolute(zone), "DNSKEY")
        if rrset is None:
            return []
        return [rd for rd in rrset if not ksk_only or rd.flags & 0x0001]  # SEP: a KSK

    # -- trust anchors --

    def trust_anchors(self, zones=None):
        """Trust-anchor lines in zone-file format for zones (default signed.test and broken.test).

        signed.test. gets its KSK as a DNSKEY record, which validates; broken.test. gets a DS
        with its KSK's key tag and algorithm but a digest changed in one byte, which matches no
        key, so everything in broken.test. is bogus. insecure.test. and dcv.signet.test. are
        unsigned: asking for them is an error.
        """
        lines = []
        for zone in zones or self.SIGNED_ZONES:
            zone = _absolute(zone).to_text()
            if zone not in self.SIGNED_ZONES:
                raise ValueError(f"{zone} is not signed; it has no trust anchor")
            for key in self.dnskeys(zone, ksk_only=True):
                if zone == self.BROKEN:
                    ds = dns.dnssec.make_ds(zone, key, "SHA256")
                    digest = bytes([ds.digest[0] ^ 0xFF]) + ds.digest[1:]
                    ds = ds.replace(digest=digest)
                    lines.append(f"{zone} 3600 IN DS {ds.to_text()}")
                else:
                    lines.append(f"{zone} 3600 IN DNSKEY {key.to_text(chunksize=0)}")
        if not lines:
            raise RuntimeError(f"no KSK served for {zones}; knotd log:\n{self.log_tail()}")
        return "\n".join(lines) + "\n"

    def trust_anchor_file(self, path=None, zones=None):
        """Writes trust_anchors(zones) to path (default <directory>/trust-anchors.txt or
        <directory>/trust-anchor-<zone>txt for one zone); returns the path. libunbound's
        ub_ctx_add_ta_file and unbound's trust-anchor-file read it."""
        if path is None:
            if zones and len(zones) == 1:
                path = os.path.join(self.directory, f"trust-anchor-{_absolute(zones[0])}txt")
            else:
                path = os.path.join(self.directory, "trust-anchors.txt")
        with open(path, "w") as f:
            f.write(self.trust_anchors(zones))
        return path

    # -- changes --

    def set_records(self, name, rtype, values, ttl=60):
        """Replaces the RRset (name, rtype) with values; returns when the server serves them
        (re-signed, in a signed zone). A CNAME replaces everything at the name, and anything
        else replaces a CNAME there."""
        name = _absolute(name)
        rtype = dns.rdatatype.from_text(rtype) if isinstance(rtype, str) else rtype
        if not values:
            raise ValueError("set_records needs at least one value; use delete_records")
        rdatas = [_make_rdata(rtype, v) for v in values]
        update = self._update_message(name)
        if rtype == dns.rdatatype.CNAME:
            update.delete(name)
        else:
            update.delete(name, dns.rdatatype.CNAME)
            update.delete(name, rtype)
        update.add(name, ttl, *rdatas)
        self._send(update)
        expected = sorted(_value_text(rd) for rd in rdatas)
        self._wait_served(name, rtype, expected)

    def delete_records(self, name, rtype):
        """Deletes the RRset (name, rtype); returns when the server no longer serves it."""
        name = _absolute(name)
        rtype = dns.rdatatype.from_text(rtype) if isinstance(rtype, str) else rtype
        update = self._update_message(name)
        update.delete(name, rtype)
        self._send(update)
        self._wait_served(name, rtype, [])

    def _zone_of(self, name):
        best = None
        for zone in self.ZONES:
            z = dns.name.from_text(zone)
            if name.is_subdomain(z) and (best is None or len(z) > len(best)):
                best = z
        if best is None:
            raise ValueError(f"{name} is in none of the zones {self.ZONES}")
        return best

    def _update_message(self, name):
        return dns.update.UpdateMessage(self._zone_of(name), keyring=self.admin_key.dnspython())

    def _send(self, update):
        response = dns.query.tcp(update, LOOPBACK, port=self.port, timeout=10)
        if response.rcode() != dns.rcode.NOERROR:
            raise RuntimeError(f"UPDATE refused: {dns.rcode.to_text(response.rcode())}; "
                               f"knotd log:\n{self.log_tail(20)}")

    def _wait_served(self, name, rtype, expected):
        signed = self._zone_of(name).to_text() in self.SIGNED_ZONES

        def served():
            answer = self.query(name, rtype)
            rrset = _find(answer, name, rtype)
            values = sorted(_value_text(rd) for rd in rrset) if rrset is not None else []
            if values != expected:
                return False
            return not (expected and signed and _find(answer, name, "RRSIG", covers=rtype) is None)

        harness.wait_until(served, CHANGE_TIMEOUT_SECONDS, interval=0.02,
                           message=f"{name} {dns.rdatatype.to_text(rtype)} = {expected}")


def _absolute(name):
    if isinstance(name, dns.name.Name):
        return name if name.is_absolute() else name.concatenate(dns.name.root)
    return dns.name.from_text(name)


def _find(message, name, rtype, covers=None):
    """The RRset (name, rtype) in message's answer section, or None."""
    name = _absolute(name)
    rtype = dns.rdatatype.from_text(rtype) if isinstance(rtype, str) else rtype
    covers = dns.rdatatype.from_text(covers) if isinstance(covers, str) else covers
    for rrset in message.answer:
        if rrset.name == name and rrset.rdtype == rtype:
            if covers is None or rrset.covers == covers:
                return rrset
    return None


def _make_rdata(rtype, value):
    if rtype == dns.rdatatype.TXT:
        data = value.encode() if isinstance(value, str) else bytes(value)
        chunks = [data[i:i + 255] for i in range(0, len(data), 255)] or [b""]
        return dns.rdtypes.ANY.TXT.TXT(dns.rdataclass.IN, rtype, chunks)
    return dns.rdata.from_text(dns.rdataclass.IN, rtype, value, origin=dns.name.root,
                               relativize=False)


def _value_text(rdata):
    if rdata.rdtype == dns.rdatatype.TXT:
        return b"".join(rdata.strings).decode("utf-8", "replace")
    return rdata.to_text()


# --------------------------------------------------------------------------------------------
# HTTP and HTTPS


class FileServer(_Server):
    """nginx on 127.0.0.1: http_port (plain) and https_port (TLS), serving <directory>/www.

    It answers for any Host header (one default server for both ports). The certificate is
    issued by a throwaway CA (ca_file) for names (and IP 127.0.0.1), so a client that trusts
    ca_file and checks the name succeeds for those names only. Rules set with add_redirect()
    and set_status() take precedence over files at the same path; each one rewrites the
    configuration and restarts nginx, and returns when the new configuration answers on both
    ports.

    nginx runs as a single process (master_process off) so that it dies with the test
    process: PR_SET_PDEATHSIG reaches only the process started, not workers it would fork.
    """

    GENERATION_PATH = "/.dcv-servers-generation"

    def __init__(self, directory, names=("localhost",), http_port=None, https_port=None):
        self.directory = os.path.abspath(directory)
        self.root = os.path.join(self.directory, "www")
        self.names = list(names)
        self.http_port = http_port or free_port()
        self.https_port = https_port or free_port()
        while self.https_port == self.http_port:
            self.https_port = free_port()
        self.conf_path = os.path.join(self.directory, "nginx.conf")
        self.error_log = os.path.join(self.directory, "error.log")
        self.access_log = os.path.join(self.directory, "access.log")
        self._rules = {}  # path -> (status, text)
        self._generation = 0
        self._process = None
        os.makedirs(self.root, exist_ok=True)
        self._make_certificate()
        self._write_conf()
        self._start()

    # -- properties --

    @property
    def http_url(self):
        return f"http://{LOOPBACK}:{self.http_port}"

    @property
    def https_url(self):
        return f"https://{LOOPBACK}:{self.https_port}"

    # -- set-up --

    def _make_certificate(self):
        """A CA (ca.pem) and a server certificate (server.pem) for names, with openssl."""
        d = self.directory
        self.ca_file = os.path.join(d, "ca.pem")
        self.cert_file = os.path.join(d, "server.pem")
        self.key_file = os.path.join(d, "server.key")
        ca_key = os.path.join(d, "ca.key")
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        _run(["openssl", "req", "-x509", *ec, "-keyout", ca_key, "-out", self.ca_file,
              "-days", "2", "-subj", "/CN=dcv_servers test CA",
              "-addext", "basicConstraints=critical,CA:TRUE",
              "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        san = ",".join([f"DNS:{n}" for n in self.names] + [f"IP:{LOOPBACK}"])
        _run(["openssl", "req", "-x509", *ec, "-keyout", self.key_file, "-out", self.cert_file,
              "-days", "2", "-subj", f"/CN={self.names[0] if self.names else LOOPBACK}",
              "-CA", self.ca_file, "-CAkey", ca_key,
              "-addext", f"subjectAltName={san}",
              "-addext", "basicConstraints=critical,CA:FALSE",
              "-addext", "keyUsage=critical,digitalSignature",
              "-addext", "extendedKeyUsage=serverAuth"])

    def _write_conf(self):
        d = self.directory
        rules = "".join(f"    location = {_nginx_quote(path)} {{ return {status} "
                        f"{_nginx_quote(text)}; }}\n"
                        for path, (status, text) in sorted(self._rules.items()))
        conf = f"""# Written by dcv_servers.FileServer.
daemon off;
master_process off;
pid {d}/nginx.pid;
error_log {self.error_log} notice;
events {{ worker_connections 256; }}
http {{
  log_format dcv escape=json
    '{{"scheme":"$scheme","host":"$http_host","method":"$request_method",'
    '"uri":"$request_uri","status":$status,"user_agent":"$http_user_agent"}}';
  access_log {self.access_log} dcv;
  client_body_temp_path {d}/body;
  proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi;
  scgi_temp_path {d}/scgi;
  types {{ text/plain txt; text/html html; application/json json; }}
  default_type application/octet-stream;
  server {{
    listen {LOOPBACK}:{self.http_port} default_server;
    listen {LOOPBACK}:{self.https_port} ssl default_server;
    server_name _;
    ssl_certificate {self.cert_file};
    ssl_certificate_key {self.key_file};
    root {self.root};
    location = {self.GENERATION_PATH} {{ access_log off; return 200 "{self._generation}"; }}
{rules}  }}
}}
"""
        with open(self.conf_path, "w") as f:
            f.write(conf)

    def _nginx(self, *args):
        return ["nginx", "-c", self.conf_path, "-p", self.directory + "/", "-e", self.error_log,
                *args]

    def _start(self):
        self._process = _Process(self._nginx(), os.path.join(self.directory, "nginx.stdout"))
        self._register()
        try:
            harness.wait_until(lambda: self._serving_generation() or not self._process.running(),
                               START_TIMEOUT_SECONDS, message="nginx listening")
            if not self._process.running():
                raise RuntimeError("nginx exited")
        except Exception as e:
            self.stop()
            raise RuntimeError(f"nginx did not start ({e}):\n{self.log_tail()}") from e

    def _serving_generation(self):
        """True when both ports answer the generation marker with the current generation."""
        try:
            for url in (self.http_url, self.https_url):
                status, _, body = self.get(url + self.GENERATION_PATH)
                if status != 200 or body != str(self._generation).encode():
                    return False
            return True
        except OSError:
            return False

    def _reload(self):
        """Applies the rules: rewrites the configuration and restarts nginx on the same ports.

        A restart rather than a SIGHUP reload: with master_process off (needed so that nginx
        dies with the test, see the class doc) nginx 1.22 logs "reconfiguring" on SIGHUP and
        from then on answers no request (it logs "worker_connections are not enough" for each
        connection); with a master process its workers would outlive a killed test. nginx binds with SO_REUSEADDR, so the ports can be taken again at once.
        """
        self._generation += 1
        self._write_conf()
        test = subprocess.run(self._nginx("-t"), stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if test.returncode != 0:
            raise RuntimeError(f"nginx rejects the new configuration:\n{test.stdout}")
        self._process.stop()
        self._start()

    def stop(self):
        if self._process is not None:
            self._process.stop()
        self._unregister()

    def log_tail(self, lines=40):
        return harness.tail(self.error_log, lines)

    # -- content --

    def _file(self, path):
        if not path.startswith("/") or "\0" in path:
            raise ValueError(f"path must start with '/': {path!r}")
        full = os.path.normpath(os.path.join(self.root, path.lstrip("/")))
        if not full.startswith(self.root + os.sep):
            raise ValueError(f"path leaves the document root: {path!r}")
        return full

    def put(self, path, body):
        """Serves body (bytes or str) at path (e.g. /.well-known/pki-validation/fileauth.txt)."""
        full = self._file(path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        tmp = full + ".tmp-dcv"
        with open(tmp, "wb") as f:
            f.write(body.encode() if isinstance(body, str) else body)
        os.replace(tmp, full)  # readers see the old file or the new one, never half of it

    def remove(self, path):
        """Stops serving the file at path (404 from then on); no error if there was none."""
        try:
            os.remove(self._file(path))
        except FileNotFoundError:
            pass

    def add_redirect(self, from_path, status, location):
        """Answers from_path with status (301, 302, 303, 307, 308) and Location: location."""
        if status not in (301, 302, 303, 307, 308):
            raise ValueError(f"not a redirect status: {status}")
        self._set_rule(from_path, status, location)

    def set_status(self, path, status, body=""):
        """Answers path with status and body (text; no '$'). 444 closes the connection."""
        if status in (301, 302, 303, 307, 308):
            raise ValueError("use add_redirect for redirects")
        self._set_rule(path, status, body)

    def clear_rule(self, path):
        """Removes a redirect or status rule: path is served from the files again."""
        if self._rules.pop(path, None) is not None:
            self._reload()

    def _set_rule(self, path, status, text):
        if not path.startswith("/"):
            raise ValueError(f"path must start with '/': {path!r}")
        for value in (path, text):
            # nginx expands $variables in these strings and has no escape for '$'.
            if "$" in value or any(ord(c) < 32 for c in value):
                raise ValueError(f"'$' and control characters are not supported: {value!r}")
        self._rules[path] = (int(status), text)
        self._reload()

    # -- looking at it --

    def requests(self):
        """The requests nginx has logged so far (those to the generation marker excluded):
        dicts with scheme, host, method, uri, status, user_agent."""
        try:
            with open(self.access_log, "r", errors="replace") as f:
                return [json.loads(line) for line in f if line.strip()]
        except FileNotFoundError:
            return []

    def get(self, url, host=None, verify=True):
        """GET url ("http://127.0.0.1:PORT/path" or a path, then over http), without following
        redirects; returns (status, headers, body). Host header (and TLS name) host if given.
        For self-checks; tests would rather use the client under test."""
        if url.startswith("/"):
            url = self.http_url + url
        parts = urllib.parse.urlsplit(url)
        if parts.scheme == "https":
            context = ssl.create_default_context(cafile=self.ca_file)
            if not verify:
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            conn = harness._HTTPSConnection(parts.hostname, parts.port, timeout=5,  # noqa: SLF001
                                            context=context, server_hostname=host)
        else:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        try:
            headers = {"Host": host} if host else {}
            conn.request("GET", parts.path or "/", headers=headers)
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()


def _nginx_quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _run(argv):
    proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=60)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{proc.stdout}")
    return proc.stdout


# --------------------------------------------------------------------------------------------
# SMTP


Delivery = collections.namedtuple("Delivery", "mail_from rcpt_tos message raw")


class SmtpSink(_Server):
    """An SMTP server (aiosmtpd, in a thread of this process) on 127.0.0.1:port that accepts
    every message and keeps it in memory.

    SmtpSink(port=P) starts it on a given port, e.g. one a stopped sink had, to end an outage.
    With directory, each message is also written there as NNNN.eml.
    """

    def __init__(self, port=None, directory=None):
        from aiosmtpd.controller import Controller  # imported here: only SMTP tests need it

        self.port = port or free_port()
        self.directory = directory
        if directory:
            os.makedirs(directory, exist_ok=True)
        self._deliveries = []
        self._changed = threading.Condition()
        self._controller = Controller(_SinkHandler(self), hostname=LOOPBACK, port=self.port,
                                      ready_timeout=START_TIMEOUT_SECONDS,
                                      server_hostname="smtp-sink.test")
        self._controller.start()  # returns once the server has answered a connection
        self._register()

    @property
    def url(self):
        return f"smtp://{LOOPBACK}:{self.port}"

    @property
    def address(self):
        return f"{LOOPBACK}:{self.port}"

    def stop(self):
        """Stops listening (connections are then refused); the messages stay readable."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
        self._unregister()

    def _received(self, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        delivery = Delivery(envelope.mail_from, list(envelope.rcpt_tos), message,
                            envelope.content)
        with self._changed:
            self._deliveries.append(delivery)
            if self.directory:
                path = os.path.join(self.directory, f"{len(self._deliveries):04d}.eml")
                with open(path, "wb") as f:
                    f.write(envelope.content)
            self._changed.notify_all()

    def deliveries(self):
        """Every Delivery(mail_from, rcpt_tos, message, raw) so far, oldest first."""
        with self._changed:
            return list(self._deliveries)

    def messages(self):
        """Every message so far as an email.message.EmailMessage, oldest first."""
        return [d.message for d in self.deliveries()]

    def clear(self):
        with self._changed:
            self._deliveries.clear()

    def wait_for(self, predicate=lambda message: True, timeout=10):
        """The first message (oldest first) for which predicate(message) is true, waiting up
        to timeout seconds for one to arrive; raises TimeoutError."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for delivery in self._deliveries:
                    if predicate(delivery.message):
                        return delivery.message
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"no matching message within {timeout}s; "
                                       f"{len(self._deliveries)} received")
                self._changed.wait(remaining)


class _SinkHandler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.sink._received(envelope)  # noqa: SLF001
        return "250 OK"
