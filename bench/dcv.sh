#!/usr/bin/env bash
# Domain-validation benchmark: starts a real Knot DNS (DNSSEC-signed zone) and nginx from the
# integration-test helpers, publishes a TXT record and a validation file, and runs
# `signet-bench dcv` against them. Usage: bench/dcv.sh BUILD_DIR [COUNT] [CONCURRENCY]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-build}" && pwd)
PYTHONPATH="$root/test/integration" exec /usr/bin/python3 - "$build/bin/signet-bench" \
  "${2:-2000}" "${3:-8}" <<'PY'
import os, subprocess, sys, tempfile
import dcv_servers
bench, count, concurrency = sys.argv[1], sys.argv[2], sys.argv[3]
with tempfile.TemporaryDirectory() as tmp:
    with dcv_servers.AuthoritativeDns(os.path.join(tmp, "dns")) as dns, \
         dcv_servers.FileServer(os.path.join(tmp, "web"), names=["www.insecure.test"]) as web:
        dns.set_records("_dnsauth.www.signed.test", "TXT", ["bench-value-0123456789"])
        web.put("/.well-known/pki-validation/fileauth.txt", b"bench-value-0123456789")
        anchors = dns.trust_anchor_file(os.path.join(tmp, "anchors"))
        subprocess.run([bench, "dcv", "--dns", dns.address, "--anchors", anchors,
                        "--internal-suffix", "test",
                        "--txt-name", "_dnsauth.www.signed.test",
                        "--txt-value", "bench-value-0123456789",
                        "--file-host", "www.insecure.test", "--file-value", "bench-value-0123456789",
                        "--http-port", str(web.http_port), "--https-port", str(web.https_port),
                        "--count", count, "--concurrency", concurrency], check=True)
PY
