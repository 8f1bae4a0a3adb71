"""Integration test harness: runs the real signetd binary and talks HTTPS to it.

Each test module defines a plain mixin class of test methods and turns it into one
unittest.TestCase per storage backend:

    class OrganizationTests:
        def test_something(self):
            server = self.start_signetd()
            status, headers, body = server.client(key).get("/healthz")

    harness.make_backend_tests(globals(), OrganizationTests)   # ..._sqlite, ..._postgresql

    if __name__ == "__main__":
        harness.main()

Environment:
    SIGNETD                    the signetd binary (required; ctest sets it)
    SIGNET_TEST_POSTGRES_URL   a PostgreSQL server for the postgresql variants (database
                               'postgres'); when unset, a throwaway cluster is started here
    SIGNET_TEST_BACKENDS       comma-separated subset of sqlite,postgresql (default both)
    SIGNET_TEST_KEEP=1         keep temporary directories (printed on failure)

When a test fails, the tail of each signetd's stderr (JSON-lines log) and stdout is printed.
"""

import atexit
import ctypes
import http.client
import json
import os
import pty
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import pg_cluster

BACKENDS = ("sqlite", "postgresql")
START_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 30
ADMIN_TIMEOUT_SECONDS = 120
HTTP_TIMEOUT_SECONDS = 30


def signetd_binary():
    path = os.environ.get("SIGNETD", "")
    if not path:
        raise RuntimeError("set SIGNETD to the signetd binary, e.g. SIGNETD=build/bin/signetd")
    path = os.path.abspath(path)
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"SIGNETD={path} is not an executable file; build it first")
    return path


def wait_until(condition, timeout, interval=0.02, message="condition"):
    """Polls condition() until it returns a true value (returned) or timeout seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


def tail(path, lines=60):
    try:
        with open(path, "r", errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError as e:
        return f"({path}: {e})\n"


def _child_environment():
    # signetd reads SIGNET_<SETTING> variables; none from the caller should leak into a test.
    return {k: v for k, v in os.environ.items() if not k.startswith("SIGNET_")}


def _copy_terminal(terminal, path):
    """Copies what a child writes to its pseudo-terminal into path, until the child closes it."""
    with open(path, "ab", buffering=0) as out:
        while True:
            try:
                chunk = os.read(terminal, 4096)
            except OSError:  # EIO once the child's end is closed
                break
            if not chunk:
                break
            out.write(chunk)
    os.close(terminal)


def _die_with_parent():
    """preexec_fn: SIGKILL the child if the test process dies (e.g. killed by a ctest timeout)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except Exception:  # noqa: BLE001 - best effort only
        pass


# --------------------------------------------------------------------------------------------
# PostgreSQL


_own_cluster = None
_own_cluster_lock = threading.Lock()


def postgres_server_url():
    """URL of the test PostgreSQL server: SIGNET_TEST_POSTGRES_URL, or a cluster started here."""
    global _own_cluster
    url = os.environ.get("SIGNET_TEST_POSTGRES_URL", "")
    if url:
        return url
    with _own_cluster_lock:
        if _own_cluster is None:
            directory = tempfile.mkdtemp(prefix="signet-pg.", dir="/tmp")
            cluster = pg_cluster.Cluster(directory)
            try:
                cluster.start()
            except Exception:
                shutil.rmtree(directory, ignore_errors=True)
                raise

            def stop_cluster():
                try:
                    cluster.stop()
                finally:
                    shutil.rmtree(directory, ignore_errors=True)

            atexit.register(stop_cluster)
            _own_cluster = cluster
            print(f"harness: started PostgreSQL for this run at {cluster.url}", file=sys.stderr)
        return _own_cluster.url


def fresh_postgres_database():
    return pg_cluster.create_database(postgres_server_url())


# --------------------------------------------------------------------------------------------
# HTTPS


class Response:
    """An HTTP response: unpacks as (status, headers, body).

    body is the parsed JSON for JSON content types (application/json, application/problem+json),
    else the raw bytes. headers is an http.client.HTTPMessage (case-insensitive .get, .get_all).
    """

    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers
        self.raw = raw
        content_type = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        self.content_type = content_type
        self.body = raw
        if raw and (content_type == "application/json" or content_type.endswith("+json")):
            try:
                self.body = json.loads(raw)
            except ValueError:
                self.body = raw

    @property
    def json(self):
        return self.body

    def __iter__(self):
        return iter((self.status, self.headers, self.body))

    def __repr__(self):
        body = self.body if not isinstance(self.body, bytes) else self.body[:300]
        return f"<Response {self.status} {self.content_type} {body!r}>"


def tls_context(ca_file):
    """A client context that trusts only ca_file and checks the server's name or IP."""
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=ca_file)
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    return context


class _HTTPSConnection(http.client.HTTPSConnection):
    """HTTPSConnection that may check the certificate against a name other than host."""

    def __init__(self, host, port, server_hostname=None, **kw):
        super().__init__(host, port, **kw)
        self._server_hostname = server_hostname or host

    def connect(self):
        sock = socket.create_connection((self.host, self.port), self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = self._context.wrap_socket(sock, server_hostname=self._server_hostname)


class Client:
    """HTTPS client for one signetd, trusting only its ca.pem.

    key: an API key (Authorization: Bearer); cookie: a signet_session value; csrf: sent as
    X-CSRF-Token. With keep_alive=True one connection is reused (and errors propagate, nothing
    is retried); otherwise each request uses a new connection.
    """

    def __init__(self, port, ca_file, key=None, cookie=None, csrf=None, host="127.0.0.1",
                 server_hostname=None, keep_alive=False, timeout=HTTP_TIMEOUT_SECONDS):
        self.port = port
        self.host = host
        self.key = key
        self.cookie = cookie
        self.csrf = csrf
        self.keep_alive = keep_alive
        self.timeout = timeout
        self.context = tls_context(ca_file)
        self.server_hostname = server_hostname
        self._conn = None

    def _connect(self):
        return _HTTPSConnection(self.host, self.port, server_hostname=self.server_hostname,
                                timeout=self.timeout, context=self.context)

    def close(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def request(self, method, path, body=None, headers=None, raw_body=None, content_type=None):
        """body (a dict/list) is sent as JSON; raw_body (bytes/str) is sent as is."""
        all_headers = {"Accept": "application/json"}
        if self.key:
            all_headers["Authorization"] = f"Bearer {self.key}"
        if self.cookie:
            all_headers["Cookie"] = f"signet_session={self.cookie}"
        if self.csrf:
            all_headers["X-CSRF-Token"] = self.csrf
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        elif raw_body is not None:
            payload = raw_body.encode() if isinstance(raw_body, str) else raw_body
        if content_type is not None:
            all_headers["Content-Type"] = content_type
        if not self.keep_alive:
            all_headers["Connection"] = "close"
        all_headers.update(headers or {})
        all_headers = {k: v for k, v in all_headers.items() if v is not None}

        conn = self._conn if self.keep_alive and self._conn is not None else self._connect()
        # Where a failure happened, on the exception as `stage`: "connect" (nothing was sent),
        # "send", or "response" (the whole request went out and no answer came back).
        stage = "connect"
        try:
            if conn.sock is None:
                conn.connect()
            stage = "send"
            conn.request(method, path, body=payload, headers=all_headers)
            stage = "response"
            resp = conn.getresponse()
            raw = resp.read()
            result = Response(resp.status, resp.headers, raw)
        except BaseException as e:
            e.stage = stage
            conn.close()
            if conn is self._conn:
                self._conn = None
            raise
        if self.keep_alive and not resp.will_close:
            self._conn = conn
        else:
            conn.close()
            if conn is self._conn:
                self._conn = None
        return result

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body=body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body=body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


def raw_tls_socket(port, ca_file, timeout=HTTP_TIMEOUT_SECONDS, host="127.0.0.1"):
    """A verified TLS socket to signetd, for hand-made (malformed, slow, huge) requests."""
    sock = socket.create_connection((host, port), timeout=timeout)
    return tls_context(ca_file).wrap_socket(sock, server_hostname=host)


def read_raw_response(tls_sock, method="GET"):
    """Parses one HTTP response from a socket; returns a Response."""
    resp = http.client.HTTPResponse(tls_sock, method=method)
    resp.begin()
    raw = resp.read()
    return Response(resp.status, resp.headers, raw)


# --------------------------------------------------------------------------------------------
# signetd


class StartError(RuntimeError):
    pass


class Signetd:
    """One `signetd serve` process on a data directory (created by signetd if missing).

    database_url None means the default (SQLite in the data directory). settings is a dict (or
    list of pairs) of extra --set key=value.
    """

    _counter = 0
    _counter_lock = threading.Lock()
    live = set()  # every running instance, killed at exit as a last resort

    def __init__(self, data_dir, database_url=None, settings=None, log_dir=None):
        self.binary = signetd_binary()
        self.data_dir = os.path.abspath(data_dir)
        self.database_url = database_url
        self.settings = list((settings or {}).items()) if isinstance(settings, dict) else \
            list(settings or [])
        log_dir = os.path.abspath(log_dir or os.path.dirname(self.data_dir))
        with Signetd._counter_lock:
            Signetd._counter += 1
            n = Signetd._counter
        self.stdout_path = os.path.join(log_dir, f"signetd-{n}.stdout")
        self.stderr_path = os.path.join(log_dir, f"signetd-{n}.stderr")
        self.proc = None
        self.port = None
        self.returncode = None
        # Extra environment for the next start (e.g. SIGNET_TEST_CRASH_AT), and whether its
        # standard input is an open pipe that nobody writes to (as under a terminal or
        # `docker -it`) instead of /dev/null.
        self.env = {}
        self.stdin_pipe = False
        # Whether standard output is a terminal (a pseudo-terminal whose output is copied to
        # stdout_path), as when an operator starts signetd by hand.
        self.stdout_tty = False

    # -- settings shared by serve and admin --

    def _common_settings(self):
        args = ["--set", f"data_dir={self.data_dir}"]
        if self.database_url:
            args += ["--set", f"database.url={self.database_url}"]
        return args

    @property
    def addr_file(self):
        return os.path.join(self.data_dir, "signetd.addr")

    @property
    def ca_file(self):
        return os.path.join(self.data_dir, "ca.pem")

    @property
    def url(self):
        return f"https://127.0.0.1:{self.port}"

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def start(self, timeout=START_TIMEOUT_SECONDS):
        # A signetd that was killed leaves its address file behind; it must not be mistaken
        # for this start's.
        try:
            os.remove(self.addr_file)
        except FileNotFoundError:
            pass
        argv = [self.binary, "serve", "--set", "listen=127.0.0.1:0"] + self._common_settings()
        for key, value in self.settings:
            argv += ["--set", f"{key}={value}"]
        self.argv = argv
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            terminal = None
            if self.stdout_tty:
                terminal, child_end = pty.openpty()
            self.proc = subprocess.Popen(
                argv, stdin=subprocess.PIPE if self.stdin_pipe else subprocess.DEVNULL,
                stdout=child_end if self.stdout_tty else out, stderr=err,
                env={**_child_environment(), **self.env}, preexec_fn=_die_with_parent)
            if terminal is not None:
                os.close(child_end)
                threading.Thread(target=_copy_terminal, args=(terminal, self.stdout_path),
                                 daemon=True).start()
        Signetd.live.add(self)

        def started():
            if self.proc.poll() is not None:
                raise StartError(
                    f"signetd exited with code {self.proc.returncode} during start\n"
                    f"command: {' '.join(argv)}\n--- stderr:\n{tail(self.stderr_path)}"
                    f"--- stdout:\n{tail(self.stdout_path)}")
            try:
                with open(self.addr_file) as f:
                    text = f.read().strip()
            except FileNotFoundError:
                return None
            return text or None

        try:
            address = wait_until(started, timeout, message=f"{self.addr_file} to appear")
        except TimeoutError:
            self.kill()
            raise StartError(f"signetd did not write {self.addr_file} within {timeout}s\n"
                             f"--- stderr:\n{tail(self.stderr_path)}")
        host, _, port = address.rpartition(":")
        if host != "127.0.0.1" or not port.isdigit():
            self.kill()
            raise StartError(f"unexpected address in {self.addr_file}: {address!r}")
        self.port = int(port)
        return self

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def send_signal(self, sig):
        self.proc.send_signal(sig)

    def wait(self, timeout):
        """Waits for the process to exit; returns its exit code (raises TimeoutError)."""
        try:
            self.returncode = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired as e:
            raise TimeoutError(f"signetd (pid {self.proc.pid}) still running after {timeout}s") \
                from e
        Signetd.live.discard(self)
        return self.returncode

    def stop(self, sig=signal.SIGTERM, timeout=STOP_TIMEOUT_SECONDS):
        """Sends sig and waits; returns the exit code. Kills it (and raises) after timeout."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.wait(timeout)
        except TimeoutError:
            self.kill()
            raise

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.proc is not None:
            self.returncode = self.proc.returncode
        Signetd.live.discard(self)

    def stdout(self):
        with open(self.stdout_path, errors="replace") as f:
            return f.read()

    def stderr(self):
        with open(self.stderr_path, errors="replace") as f:
            return f.read()

    def log_lines(self):
        """The JSON-lines log parsed (lines that are not JSON are skipped)."""
        out = []
        for line in self.stderr().splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
        return out

    def initial_admin(self):
        """{'email', 'password', 'api_key'} from data_dir/initial-admin.txt."""
        values = {}
        with open(os.path.join(self.data_dir, "initial-admin.txt")) as f:
            for line in f:
                line = line.rstrip("\n")
                if "=" in line:
                    key, _, value = line.partition("=")
                    values[key.strip()] = value.strip()
        return values

    def admin(self, *args, input=None, timeout=ADMIN_TIMEOUT_SECONDS):
        """Runs `signetd admin ARGS` on the same data dir/database: (code, stdout, stderr)."""
        argv = [self.binary, "admin"] + [str(a) for a in args] + self._common_settings()
        # Settings that must agree between the server and operator commands (URLs in
        # certificates and CRLs, CA identity) follow the server's.
        for key, value in self.settings:
            if key == "public_url" or key.startswith("ca."):
                argv += ["--set", f"{key}={value}"]
        proc = subprocess.run(argv, input=input, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, timeout=timeout, env=_child_environment(),
                              stdin=None if input is not None else subprocess.DEVNULL)
        return proc.returncode, proc.stdout, proc.stderr

    def admin_ok(self, *args, **kw):
        """Runs `signetd admin ARGS`, which must succeed; returns its stdout stripped."""
        code, out, err = self.admin(*args, **kw)
        if code != 0:
            raise AssertionError(f"signetd admin {' '.join(map(str, args))} exited {code}:\n"
                                 f"stdout: {out}\nstderr: {err}")
        return out.strip()

    def create_user(self, email, role="owner", account=None, password=None):
        """Creates a user with `signetd admin create-user`; returns the new user id."""
        args = ["create-user", "--email", email, "--role", role]
        if account:
            args += ["--account", account]
        if password is not None:
            args += ["--password", password]
        return self.admin_ok(*args)

    def create_api_key(self, email, name=None, account=None):
        args = ["create-api-key", "--email", email]
        if name:
            args += ["--name", name]
        if account:
            args += ["--account", account]
        return self.admin_ok(*args)

    def create_owner(self, email, account, password=None):
        """A new owner of a new account and an API key for them; returns the key."""
        self.create_user(email, "owner", account, password)
        return self.create_api_key(email, account=account)

    def client(self, key=None, **kw):
        return Client(self.port, self.ca_file, key=key, **kw)

    def dump(self, stream=sys.stderr, lines=60):
        print(f"\n===== signetd pid {self.pid} on {self.data_dir} "
              f"(exit code {self.proc.returncode if self.proc else None}) =====", file=stream)
        print(f"----- tail of {self.stderr_path}:\n{tail(self.stderr_path, lines)}", file=stream)
        print(f"----- tail of {self.stdout_path}:\n{tail(self.stdout_path, 20)}", file=stream)


@atexit.register
def _kill_leftovers():
    for server in list(Signetd.live):
        server.kill()


# --------------------------------------------------------------------------------------------
# Test cases


class SignetTestCase(unittest.TestCase):
    """Base of the per-backend test cases; `backend` is 'sqlite' or 'postgresql'."""

    backend = "sqlite"
    maxDiff = 4000

    def run(self, result=None):
        self._servers = []
        self._temp_dirs = []
        self._database_url = None
        if result is None:
            return super().run(result)
        problems_before = len(result.failures) + len(result.errors)
        try:
            return super().run(result)
        finally:
            failed = len(result.failures) + len(result.errors) > problems_before
            for server in self._servers:
                server.kill()
            if failed:
                for server in self._servers:
                    if server.proc is not None:
                        server.dump()
            keep = os.environ.get("SIGNET_TEST_KEEP") == "1"
            for d in self._temp_dirs:
                if keep:
                    print(f"harness: kept {d}", file=sys.stderr)
                else:
                    shutil.rmtree(d, ignore_errors=True)
            if self._database_url and not keep:
                try:
                    pg_cluster.drop_database(self._database_url)
                except Exception:  # noqa: BLE001 - cleanup is best effort
                    pass

    # -- resources --

    def temp_dir(self):
        d = tempfile.mkdtemp(prefix=f"signet-it-{self.backend}-")
        self._temp_dirs.append(d)
        return d

    def database_url(self):
        """The test's database: None (SQLite in the data dir) or a fresh PostgreSQL database.

        Created once per test, so a restarted signetd sees the same data.
        """
        if self.backend == "sqlite":
            return None
        if self._database_url is None:
            self._database_url = fresh_postgres_database()
        return self._database_url

    def new_signetd(self, data_dir=None, settings=None, database_url="default"):
        """A Signetd (not started). data_dir defaults to a new directory that does not exist."""
        if data_dir is None:
            data_dir = os.path.join(self.temp_dir(), "data")
        if database_url == "default":
            database_url = self.database_url()
        server = Signetd(data_dir, database_url=database_url, settings=settings)
        self._servers.append(server)
        return server

    def start_signetd(self, data_dir=None, settings=None, database_url="default"):
        return self.new_signetd(data_dir, settings, database_url).start()

    def sql(self, server, statement):
        """Runs SQL directly on the server's database (sqlite3 or psql); returns stdout."""
        if self.backend == "sqlite":
            db = os.path.join(server.data_dir, "signet.db")
            proc = subprocess.run(["sqlite3", "-bail", "-cmd", ".timeout 10000", db, statement],
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, timeout=60)
            if proc.returncode != 0:
                raise AssertionError(f"sqlite3 failed on {statement!r}: {proc.stderr}")
            return proc.stdout
        _, out, _ = pg_cluster.psql(server.database_url, statement)
        return out

    def dump_database(self, server):
        """The whole database as SQL text (sqlite3 .dump or pg_dump)."""
        if self.backend == "sqlite":
            db = os.path.join(server.data_dir, "signet.db")
            proc = subprocess.run(["sqlite3", "-cmd", ".timeout 10000", db, ".dump"],
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, timeout=120)
        else:
            host, port, database, user = pg_cluster.parse_url(server.database_url)
            proc = subprocess.run([pg_cluster.client_binary("pg_dump"), "-h", host, "-p",
                                   str(port), "-U", user, "-d", database],
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, timeout=120,
                                  env=pg_cluster._clean_env())
        if proc.returncode != 0:
            raise AssertionError(f"dumping the database failed: {proc.stderr}")
        return proc.stdout

    # -- assertions --

    def assertStatus(self, response, status, msg=None):
        if response.status != status:
            self.fail(f"expected HTTP {status}, got {response.status}: {response.body!r}"
                      + (f" ({msg})" if msg else ""))

    def assertProblem(self, response, status, code=None):
        """response is an RFC 9457 problem document with this status (and code)."""
        self.assertStatus(response, status)
        self.assertEqual(response.content_type, "application/problem+json",
                         f"problem content type; body {response.body!r}")
        doc = response.body
        self.assertIsInstance(doc, dict, f"problem body is not JSON: {doc!r}")
        for field in ("type", "title", "status", "detail", "code"):
            self.assertIn(field, doc, f"problem document lacks '{field}': {doc}")
        self.assertEqual(doc["status"], status, doc)
        self.assertEqual(doc["type"], f"urn:signet:problem:{doc['code']}", doc)
        if code is not None:
            self.assertEqual(doc["code"], code, doc)
        return doc


def make_backend_tests(namespace, *mixins, backends=None):
    """Adds to namespace (a module's globals()) one TestCase per mixin and backend."""
    wanted = backends or [b.strip() for b in
                          os.environ.get("SIGNET_TEST_BACKENDS", ",".join(BACKENDS)).split(",")
                          if b.strip()]
    for mixin in mixins:
        for backend in wanted:
            if backend not in BACKENDS:
                raise ValueError(f"unknown backend {backend!r}; one of {BACKENDS}")
            name = f"{mixin.__name__}_{backend}"
            cls = type(name, (mixin, SignetTestCase), {"backend": backend,
                                                       "__module__": namespace["__name__"]})
            namespace[name] = cls


def main():
    """unittest.main with verbose output; exits non-zero when a test fails."""
    # If the run is stopped with SIGTERM, stop our signetd processes and PostgreSQL cluster too.
    def on_sigterm(*_):
        atexit._run_exitfuncs()  # noqa: SLF001
        os._exit(143)

    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        signetd_binary()  # fail early and clearly when SIGNETD is missing
    except RuntimeError as e:
        print(f"harness: {e}", file=sys.stderr)
        sys.exit(2)
    unittest.main(module="__main__", verbosity=2)
