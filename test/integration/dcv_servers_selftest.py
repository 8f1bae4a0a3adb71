"""Self-test of dcv_servers.py: starts each server and checks it does what the tests rely on.

    /usr/bin/python3 test/integration/dcv_servers_selftest.py

Not a test_*.py file, so ctest does not run it. It needs knot, knot-dnsutils (kdig, knsupdate),
python3-dnspython, python3-aiosmtpd, nginx, openssl, and for the validation checks
unbound-host (the unbound-host command) and libunbound8 (through ctypes, with the options
Signet's resolver uses). It prints one line per check and exits non-zero if any failed.
"""

import ctypes
import os
import shutil
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import dns.query  # noqa: E402
import dns.rcode  # noqa: E402
import dns.tsig  # noqa: E402
import dns.update  # noqa: E402

import dcv_servers  # noqa: E402

failures = []
passed = 0


def check(what, condition, detail=""):
    global passed
    if condition:
        passed += 1
        print(f"ok    {what}")
    else:
        failures.append(what)
        print(f"FAIL  {what}" + (f"\n      {detail}" if detail else ""))


def run(argv):
    proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=30)
    return proc.stdout


# --------------------------------------------------------------------------------------------
# DNS


def unbound_conf(path, dns_server, anchors, mode="forward"):
    """An unbound configuration for unbound-host -C: the options Signet gives libunbound."""
    if mode == "forward":
        upstream = f'forward-zone:\n    name: "."\n    forward-addr: {dns_server.unbound_address}\n'
    else:  # one stub-zone per zone: unbound iterates (RD=0) against the authoritative server
        upstream = "".join(f'stub-zone:\n    name: "{zone}"\n    stub-addr: '
                           f'{dns_server.unbound_address}\n' for zone in dns_server.ZONES)
    with open(path, "w") as f:
        f.write(f"""server:
    do-not-query-localhost: no
    trust-anchor-file: "{anchors}"
    local-zone: "test." transparent
    username: ""
    chroot: ""
    use-syslog: no
    verbosity: 0
{upstream}""")
    return path


class UbResult(ctypes.Structure):
    _fields_ = [("qname", ctypes.c_char_p), ("qtype", ctypes.c_int), ("qclass", ctypes.c_int),
                ("data", ctypes.POINTER(ctypes.c_void_p)), ("len", ctypes.POINTER(ctypes.c_int)),
                ("canonname", ctypes.c_char_p), ("rcode", ctypes.c_int),
                ("answer_packet", ctypes.c_void_p), ("answer_len", ctypes.c_int),
                ("havedata", ctypes.c_int), ("nxdomain", ctypes.c_int), ("secure", ctypes.c_int),
                ("bogus", ctypes.c_int), ("why_bogus", ctypes.c_char_p),
                ("was_ratelimited", ctypes.c_int), ("ttl", ctypes.c_int)]


LIBUNBOUND_OPTIONS = ((b"do-not-query-localhost:", b"no"), (b"local-zone:", b"test. transparent"))


def libunbound_resolve(dns_server, anchors, queries, options=LIBUNBOUND_OPTIONS):
    """Resolves with libunbound set up as Signet will: returns {(name, type): (status, data)}
    where status is secure, bogus, insecure or NXDOMAIN."""
    lib = ctypes.CDLL("libunbound.so.8")
    lib.ub_ctx_create.restype = ctypes.c_void_p
    lib.ub_ctx_delete.argtypes = [ctypes.c_void_p]
    lib.ub_ctx_set_option.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
    lib.ub_ctx_set_fwd.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    lib.ub_ctx_add_ta_file.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    lib.ub_resolve.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_int,
                               ctypes.POINTER(ctypes.POINTER(UbResult))]
    lib.ub_resolve_free.argtypes = [ctypes.POINTER(UbResult)]
    lib.ub_strerror.restype = ctypes.c_char_p
    ctx = lib.ub_ctx_create()
    try:
        for option, value in options:
            assert lib.ub_ctx_set_option(ctx, option, value) == 0, option
        assert lib.ub_ctx_set_fwd(ctx, dns_server.unbound_address.encode()) == 0
        assert lib.ub_ctx_add_ta_file(ctx, anchors.encode()) == 0
        answers = {}
        for name, rrtype in queries:
            result = ctypes.POINTER(UbResult)()
            code = lib.ub_resolve(ctx, name.encode(), rrtype, 1, ctypes.byref(result))
            if code != 0:
                answers[(name, rrtype)] = ("error " + lib.ub_strerror(code).decode(), [])
                continue
            r = result.contents
            status = "secure" if r.secure else "bogus" if r.bogus else "insecure"
            if r.nxdomain and not r.secure and not r.bogus:
                status = "NXDOMAIN"
            data = []
            i = 0
            while r.havedata and r.data[i]:
                data.append(ctypes.string_at(r.data[i], r.len[i]))
                i += 1
            answers[(name, rrtype)] = (status, data)
            lib.ub_resolve_free(result)
        return answers
    finally:
        lib.ub_ctx_delete(ctx)


def dns_checks(directory):
    started = time.monotonic()
    with dcv_servers.AuthoritativeDns(os.path.join(directory, "dns")) as server:
        check(f"knotd serves the 4 zones on {server.address} after "
              f"{time.monotonic() - started:.2f}s", True)

        dig = run(["kdig", "@127.0.0.1", "-p", str(server.port), "+dnssec", "+tcp",
                   "www.signed.test", "A"])
        check("kdig +dnssec: www.signed.test A comes with an RRSIG (ECDSAP256SHA256 = 13)",
              "RRSIG\tA 13 3" in dig, dig)
        dig = run(["kdig", "@127.0.0.1", "-p", str(server.port), "+dnssec",
                   "www.insecure.test", "A"])
        check("kdig +dnssec: www.insecure.test A has no RRSIG",
              "127.0.0.1" in dig and "RRSIG" not in dig, dig)

        anchors = server.trust_anchor_file()
        text = open(anchors).read()
        check("trust anchor file: signed.test. DNSKEY 257 3 13 and broken.test. DS",
              "signed.test. 3600 IN DNSKEY 257 3 13 " in text
              and "broken.test. 3600 IN DS " in text,
              text)
        one = server.trust_anchor_file(zones=["signed.test"])
        check("trust anchor file for one zone", "broken" not in open(one).read())

        # Records through the admin key, waited for until served (and signed).
        server.set_records("_dnsauth.www.signed.test", "TXT", ["signed-token"])
        server.set_records("_dnsauth.www.broken.test", "TXT", ["broken-token"])
        server.set_records("_dnsauth.www.insecure.test", "TXT", ["insecure-token"])
        server.set_records("broken.test", "CAA", ['0 issue "ca.signet.test"'])
        server.set_records("signed.test", "CAA", ['0 issue "ca.signet.test"'])
        check("set_records/records: TXT in signed.test",
              server.records("_dnsauth.www.signed.test", "TXT") == ["signed-token"])
        long_value = "v" * 600
        server.set_records("long.insecure.test", "TXT", [long_value, "b"])
        check("set_records/records: a 600-byte TXT value and a second one",
              server.records("long.insecure.test", "TXT") == ["b", long_value])
        server.delete_records("long.insecure.test", "TXT")
        check("delete_records: gone", server.records("long.insecure.test", "TXT") == [])
        answer = server.query("_dnsauth.www.signed.test", "TXT")
        check("signed.test TXT re-signed after the UPDATE",
              any(r.rdtype == 46 for r in answer.answer), answer.to_text())

        # Signet's CNAME delegation: the applicant's name points into dcv.signet.test.
        server.set_records("_dnsauth.www.insecure.test", "CNAME", ["abc123.dcv.signet.test."])
        check("a CNAME replaces the TXT at the same name",
              server.records("_dnsauth.www.insecure.test", "CNAME") == ["abc123.dcv.signet.test."]
              and server.records("_dnsauth.www.insecure.test", "TXT") == [])

        # The keys: signet-key may update dcv.signet.test only, applicant-key its two zones.
        def update_with(key, zone, name, value):
            update = dns.update.UpdateMessage(zone, keyring=key.dnspython())
            update.replace(name, 60, "TXT", f'"{value}"')
            try:
                response = dns.query.tcp(update, "127.0.0.1", port=server.port, timeout=5)
            except dns.tsig.PeerError as e:
                # Knot answers a key the zone's ACL does not name with NOTAUTH and TSIG
                # error BADKEY, which dnspython raises.
                return type(e).__name__
            return dns.rcode.to_text(response.rcode())
        check("signet-key updates dcv.signet.test",
              update_with(server.signet_key, "dcv.signet.test.", "abc123.dcv.signet.test.",
                          "delegated-token") == "NOERROR")
        refused = update_with(server.signet_key, "insecure.test.", "x.insecure.test.", "no")
        check(f"signet-key may not update insecure.test ({refused})", refused != "NOERROR")
        check("applicant-key updates signed.test",
              update_with(server.applicant_key, "signed.test.", "_dnsauth.api.signed.test.",
                          "applicant-token") == "NOERROR")
        refused = update_with(server.applicant_key, "dcv.signet.test.", "y.dcv.signet.test.", "no")
        check(f"applicant-key may not update dcv.signet.test ({refused})", refused != "NOERROR")
        nsupdate = subprocess.run(
            ["knsupdate", "-y", server.applicant_key.knsupdate_argument()],
            input=f"server 127.0.0.1 {server.port}\nzone insecure.test.\n"
                  f"update add knsupdate.insecure.test. 60 TXT knsupdate-token\nsend\n",
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=30)
        check("knsupdate -y with applicant-key updates insecure.test",
              nsupdate.returncode == 0, nsupdate.stdout)

        # Validation, through unbound-host with a forward-zone to Knot.
        if shutil.which("unbound-host") is None:
            check("unbound-host installed (apt-get install unbound-host)", False)
        else:
            for mode in ("forward", "stub"):
                conf = unbound_conf(os.path.join(directory, f"unbound-{mode}.conf"), server,
                                    anchors, mode)

                def host(rtype, name):
                    return run(["unbound-host", "-v", "-C", conf, "-t", rtype, name]).strip()
                cases = [
                    ("TXT", "_dnsauth.www.signed.test", '"signed-token" (secure)'),
                    ("A", "nothing-here.signed.test", "NXDOMAIN). (secure)"),
                    ("CAA", "signed.test", "(secure)"),
                    ("TXT", "_dnsauth.www.broken.test", "(BOGUS (security failure))"),
                    ("CAA", "broken.test", "(BOGUS (security failure))"),
                    ("TXT", "_dnsauth.www.insecure.test", '"delegated-token" (insecure)'),
                    ("TXT", "knsupdate.insecure.test", '"knsupdate-token" (insecure)'),
                ]
                for rtype, name, expected in cases:
                    out = host(rtype, name)
                    check(f"unbound-host ({mode}) {name} {rtype}: ...{expected}",
                          expected in out, out)
                if mode == "forward":
                    for name in ("_dnsauth.www.insecure.test", "_dnsauth.www.broken.test"):
                        print("      e.g. " + host("TXT", name).replace("\n", "\n      "))

        # The same through libunbound, set up as Signet will set it up.
        try:
            answers = libunbound_resolve(server, anchors, [
                ("_dnsauth.www.signed.test", 16), ("_dnsauth.www.broken.test", 16),
                ("broken.test", 257), ("_dnsauth.www.insecure.test", 16)])
        except OSError as e:
            check(f"libunbound.so.8 loads ({e})", False)
        else:
            status = {k[0] + "/" + str(k[1]): v[0] for k, v in answers.items()}
            check(f"libunbound: {status}",
                  status == {"_dnsauth.www.signed.test/16": "secure",
                             "_dnsauth.www.broken.test/16": "bogus",
                             "broken.test/257": "bogus",
                             "_dnsauth.www.insecure.test/16": "insecure"})
            check("libunbound: the CNAME into dcv.signet.test resolves to its TXT",
                  answers[("_dnsauth.www.insecure.test", 16)][1] == [b"\x0fdelegated-token"],
                  answers[("_dnsauth.www.insecure.test", 16)])
            without = libunbound_resolve(server, anchors, [("_dnsauth.www.signed.test", 16)],
                                         options=LIBUNBOUND_OPTIONS[:1])
            check("libunbound without local-zone test.: NXDOMAIN, unbound never asks Knot",
                  without[("_dnsauth.www.signed.test", 16)][0] == "NXDOMAIN", without)
    check("knotd stopped", not dcv_servers.tcp_listening(server.port))


# --------------------------------------------------------------------------------------------
# HTTP(S)


def http_checks(directory):
    started = time.monotonic()
    with dcv_servers.FileServer(os.path.join(directory, "web"),
                                names=["www.insecure.test", "insecure.test"]) as web:
        check(f"nginx on http {web.http_port} and https {web.https_port} after "
              f"{time.monotonic() - started:.2f}s", True)
        path = "/.well-known/pki-validation/fileauth.txt"
        web.put(path, b"token-abc\n")
        status, headers, body = web.get(path, host="www.insecure.test")
        check("put: served over http for Host www.insecure.test",
              (status, body) == (200, b"token-abc\n"), (status, body))
        check("  as text/plain", headers.get("Content-Type") == "text/plain", headers)
        status, _, body = web.get(web.https_url + path, host="www.insecure.test")
        check("put: served over https, certificate checked against ca_file and the name",
              (status, body) == (200, b"token-abc\n"))
        status, _, body = web.get(web.http_url + path, host="anything.example")
        check("any Host header is answered", status == 200)
        try:
            web.get(web.https_url + path, host="not-in-the-cert.test")
            check("https refuses a name not in the certificate", False)
        except ssl_error_types():
            check("https: a name not in the certificate fails verification", True)
        web.remove(path)
        check("remove: 404", web.get(path)[0] == 404)

        started = time.monotonic()
        web.add_redirect(path, 301, "https://elsewhere.insecure.test/landing")
        status, headers, _ = web.get(path)
        check(f"add_redirect: 301 to the Location (restart took {time.monotonic() - started:.2f}s)",
              status == 301
              and headers.get("Location") == "https://elsewhere.insecure.test/landing",
              (status, dict(headers)))
        status, headers, _ = web.get(web.https_url + path, host="insecure.test")
        check("  on https too", status == 301)
        web.add_redirect("/r302", 302, "/.well-known/pki-validation/fileauth.txt")
        status, headers, _ = web.get("/r302")
        check("add_redirect: 302 with a relative Location (nginx makes it absolute)",
              status == 302 and headers.get("Location", "").endswith(path), dict(headers))
        web.set_status("/.well-known/pki-validation/error.txt", 503, "down for maintenance")
        status, _, body = web.get("/.well-known/pki-validation/error.txt")
        check("set_status: 503 with a body", (status, body) == (503, b"down for maintenance"))
        web.clear_rule(path)
        web.put(path, "back")
        check("clear_rule: the file is served again", web.get(path)[::2] == (200, b"back"))
        logged = [r for r in web.requests() if r["uri"] == path]
        check(f"requests(): {len(logged)} logged for {path}, e.g. {logged[0] if logged else None}",
              len(logged) >= 5 and {"host", "scheme", "status", "user_agent"} <= set(logged[0]))
        ports = (web.http_port, web.https_port)
    check("nginx stopped", not any(dcv_servers.tcp_listening(p) for p in ports))


def ssl_error_types():
    import ssl
    return (ssl.SSLError, ssl.CertificateError)


# --------------------------------------------------------------------------------------------
# SMTP


def smtp_checks(directory):
    sink = dcv_servers.SmtpSink(directory=os.path.join(directory, "mail"))
    try:
        check(f"SmtpSink at {sink.url}", sink.url == f"smtp://127.0.0.1:{sink.port}")
        message = EmailMessage()
        message["From"] = "Signet <validation@ca.signet.test>"
        message["To"] = "admin@insecure.test"
        message["Subject"] = "Domain control validation for insecure.test"
        message.set_content("Random value: 1234567890abcdef\n")
        with smtplib.SMTP("127.0.0.1", sink.port, timeout=10) as client:
            client.send_message(message)
        got = sink.wait_for(lambda m: m["To"] == "admin@insecure.test", timeout=10)
        check("wait_for: the message, parsed",
              "1234567890abcdef" in got.get_content() and got["Subject"].startswith("Domain"))
        delivery = sink.deliveries()[0]
        check("deliveries(): envelope sender and recipients",
              delivery.mail_from == "validation@ca.signet.test"
              and delivery.rcpt_tos == ["admin@insecure.test"])
        check("the message is also written to the directory",
              os.listdir(os.path.join(directory, "mail")) == ["0001.eml"])
        try:
            sink.wait_for(lambda m: False, timeout=0.2)
            check("wait_for times out", False)
        except TimeoutError:
            check("wait_for times out when nothing matches", True)
        port = sink.port
        sink.stop()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
            check("stopped sink refuses connections", False)
        except ConnectionRefusedError:
            check("stopped sink refuses connections (an SMTP outage)", True)
        sink = dcv_servers.SmtpSink(port=port)
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            client.sendmail("a@ca.signet.test", ["b@insecure.test"], b"Subject: again\r\n\r\nx\r\n")
        check("SmtpSink(port=P) listens on the same port again",
              sink.wait_for(timeout=10)["Subject"] == "again")
    finally:
        sink.stop()


def main():
    started = time.monotonic()
    directory = tempfile.mkdtemp(prefix="dcv-selftest-")
    try:
        for section in (dns_checks, http_checks, smtp_checks):
            print(f"== {section.__name__}")
            try:
                section(directory)
            except Exception as e:  # noqa: BLE001 - report and go on with the next section
                import traceback
                traceback.print_exc()
                check(f"{section.__name__} ran to the end ({e})", False)
    finally:
        if failures:
            print(f"kept {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)
    print(f"dcv_servers self-test: {passed} checks passed, {len(failures)} failed, "
          f"{time.monotonic() - started:.1f}s")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
