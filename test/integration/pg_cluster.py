"""A throwaway PostgreSQL cluster for the tests, from Debian's `postgresql` package.

The cluster lives in one directory and listens only on a Unix socket in that directory
(listen_addresses = ''), with trust authentication, so it needs no port and no password and
cannot be reached from the network.

Command line (used by scripts/run-tests.sh):

    /usr/bin/python3 test/integration/pg_cluster.py start DIR   # prints the server's URL
    /usr/bin/python3 test/integration/pg_cluster.py stop DIR

From Python:

    cluster = pg_cluster.Cluster(directory); url = cluster.start(); ...; cluster.stop()
    db_url = pg_cluster.create_database(url)   # a fresh, empty database t_<random>

PostgreSQL refuses to run as root; when the tests run as root (CI), the directory is given to
the `postgres` user and initdb/pg_ctl run through `runuser -u postgres --`.
"""

import glob
import os
import pwd
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.parse

DEFAULT_PORT = 5432
SUPERUSER = "postgres"
START_TIMEOUT_SECONDS = 60
# sun_path is 108 bytes on Linux, including the terminating NUL.
MAX_SOCKET_PATH = 107


class ClusterError(RuntimeError):
    pass


def _version_key(path):
    match = re.search(r"/postgresql/(\d+)(?:\.(\d+))?/", path)
    if not match:
        return (0, 0)
    return (int(match.group(1)), int(match.group(2) or 0))


def bin_dir():
    """The bin directory of the newest installed PostgreSQL server (Debian layout)."""
    override = os.environ.get("SIGNET_TEST_PG_BIN")
    if override:
        return override
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
    if not candidates:
        raise ClusterError(
            "no PostgreSQL server found under /usr/lib/postgresql/*/bin: install the Debian "
            "'postgresql' package (scripts/install-deps.sh does)")
    return os.path.dirname(candidates[-1])


def client_binary(name):
    """A client program (psql, pg_isready) matching the server version, else the one on PATH."""
    try:
        path = os.path.join(bin_dir(), name)
        if os.access(path, os.X_OK):
            return path
    except ClusterError:
        pass
    found = shutil.which(name)
    if not found:
        raise ClusterError(f"{name} not found: install the Debian 'postgresql-client' package")
    return found


def _running_as_root():
    return os.geteuid() == 0


def _as_server_user(argv):
    """argv, run as the postgres user when we are root (PostgreSQL refuses to run as root)."""
    if _running_as_root():
        return ["runuser", "-u", SUPERUSER, "--"] + argv
    return argv


def _run(argv, cwd, check=True, timeout=120):
    proc = subprocess.run(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=timeout,
                          env=_clean_env())
    if check and proc.returncode != 0:
        raise ClusterError(f"{' '.join(argv)} failed with exit code {proc.returncode}:\n"
                           f"{proc.stdout}")
    return proc


def _clean_env():
    """The environment without libpq variables that would redirect our clients elsewhere."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C"
    env.pop("LANG", None)
    return env


def url_for(socket_dir, port=DEFAULT_PORT, database="postgres", user=SUPERUSER):
    """The libpq URL of a database on a Unix-socket server (host given as a query parameter)."""
    query = urllib.parse.urlencode({"host": socket_dir, "port": str(port)}, safe="/")
    return f"postgresql://{user}@/{database}?{query}"


def parse_url(url):
    """(socket_dir, port, database, user) of a URL made by url_for."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise ClusterError(f"not a postgresql:// URL: {url}")
    query = urllib.parse.parse_qs(parts.query)
    host = query.get("host", [parts.hostname or ""])[0]
    port = int(query.get("port", [parts.port or DEFAULT_PORT])[0])
    database = parts.path.lstrip("/") or "postgres"
    user = urllib.parse.unquote(parts.username or SUPERUSER)
    return host, port, database, user


def with_database(url, database):
    """url with its database name replaced."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(
        (parts.scheme, parts.netloc, "/" + database, parts.query, parts.fragment))


def is_ready(url, timeout_seconds=2):
    host, port, database, user = parse_url(url)
    proc = subprocess.run(
        [client_binary("pg_isready"), "-q", "-h", host, "-p", str(port), "-d", database, "-U",
         user, "-t", str(timeout_seconds)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=_clean_env())
    return proc.returncode == 0


def psql(url, sql, check=True, timeout=60):
    """Runs SQL with psql against url; returns (exit code, stdout, stderr).

    Output is unaligned and tuples-only (-At), so a single value comes back as its text.
    """
    host, port, database, user = parse_url(url)
    proc = subprocess.run(
        [client_binary("psql"), "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", host, "-p",
         str(port), "-U", user, "-d", database, "-c", sql],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        timeout=timeout, env=_clean_env())
    if check and proc.returncode != 0:
        raise ClusterError(f"psql failed ({proc.returncode}) on {sql!r}:\n{proc.stderr}")
    return proc.returncode, proc.stdout, proc.stderr


def create_database(server_url, prefix="t_"):
    """Creates a fresh empty database on the server of server_url; returns its URL."""
    name = f"{prefix}{os.getpid()}_{secrets.token_hex(6)}"
    psql(server_url, f"CREATE DATABASE {name}")
    return with_database(server_url, name)


def drop_database(url):
    """Drops the database of url (connecting to the server's 'postgres' database)."""
    _, _, database, _ = parse_url(url)
    psql(with_database(url, "postgres"), f"DROP DATABASE IF EXISTS {database} WITH (FORCE)",
         check=False)


class Cluster:
    """One PostgreSQL server in `directory` (created if missing)."""

    def __init__(self, directory, port=DEFAULT_PORT, tcp=False):
        """tcp: also listen on 127.0.0.1:port, where logins need a password (scram-sha-256),
        as a networked server would; the Unix socket stays trusted for set-up."""
        self.directory = os.path.abspath(directory)
        self.port = port
        self.tcp = tcp
        self.data_dir = os.path.join(self.directory, "data")
        self.log_file = os.path.join(self.directory, "postgresql.log")

    @property
    def url(self):
        return url_for(self.directory, self.port)

    def _socket_path(self):
        return os.path.join(self.directory, f".s.PGSQL.{self.port}")

    def _give_to_server_user(self):
        if not _running_as_root():
            return
        entry = pwd.getpwnam(SUPERUSER)
        for root, dirs, files in os.walk(self.directory):
            os.chown(root, entry.pw_uid, entry.pw_gid)
            for name in dirs + files:
                os.lchown(os.path.join(root, name), entry.pw_uid, entry.pw_gid)
        # The server user must be able to reach the directory; the parents of a temporary
        # directory (/tmp) are normally world-searchable.
        parent = os.path.dirname(self.directory)
        while parent and parent != "/":
            if not os.stat(parent).st_mode & 0o001:
                raise ClusterError(
                    f"{parent} is not searchable by the '{SUPERUSER}' user; put the cluster "
                    "directory somewhere else (e.g. under /tmp)")
            parent = os.path.dirname(parent)

    def start(self):
        """initdb (if needed) and start the server; returns the URL of database 'postgres'."""
        if len(self._socket_path()) > MAX_SOCKET_PATH:
            raise ClusterError(f"{self.directory} is too long for a Unix socket path; use a "
                               "shorter directory such as one from mktemp -d")
        os.makedirs(self.directory, exist_ok=True)
        os.chmod(self.directory, 0o700)
        bindir = bin_dir()
        if not os.path.exists(os.path.join(self.data_dir, "PG_VERSION")):
            self._give_to_server_user()
            _run(_as_server_user([
                os.path.join(bindir, "initdb"), "-D", self.data_dir, "-U", SUPERUSER,
                "--auth-local=trust",
                "--auth-host=" + ("scram-sha-256" if self.tcp else "trust"),
                "--encoding=UTF8", "--no-locale", "--no-sync",
                "--no-instructions"]), cwd=self.directory)
            with open(os.path.join(self.data_dir, "postgresql.conf"), "a") as conf:
                conf.write(
                    "\n# signet test cluster: Unix socket only, fast and not durable\n"
                    f"listen_addresses = '{'127.0.0.1' if self.tcp else ''}'\n"
                    f"unix_socket_directories = '{self.directory}'\n"
                    f"port = {self.port}\n"
                    "max_connections = 300\n"
                    "shared_buffers = 32MB\n"
                    "fsync = off\n"
                    "synchronous_commit = off\n"
                    "full_page_writes = off\n"
                    "logging_collector = off\n"
                    "log_min_messages = warning\n")
        self._give_to_server_user()
        # pg_ctl -w polls until the server accepts connections (or fails); pg_isready below
        # then confirms the socket answers.
        proc = _run(_as_server_user([
            os.path.join(bindir, "pg_ctl"), "-D", self.data_dir, "-l", self.log_file, "-w",
            "-t", str(START_TIMEOUT_SECONDS), "start"]), cwd=self.directory, check=False,
            timeout=START_TIMEOUT_SECONDS + 30)
        if proc.returncode != 0:
            raise ClusterError(f"pg_ctl start failed:\n{proc.stdout}\n{self._log_tail()}")
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not is_ready(self.url):
            if time.monotonic() > deadline:
                raise ClusterError(f"PostgreSQL did not become ready within "
                                   f"{START_TIMEOUT_SECONDS}s:\n{self._log_tail()}")
            if not self._postmaster_alive():
                raise ClusterError(f"PostgreSQL exited during start:\n{self._log_tail()}")
            time.sleep(0.05)
        return self.url

    def _postmaster_alive(self):
        try:
            with open(os.path.join(self.data_dir, "postmaster.pid")) as f:
                pid = int(f.readline().strip())
        except (OSError, ValueError):
            return False
        try:
            os.kill(pid, 0)
            return True
        except ProcessLookupError:
            return False
        except PermissionError:
            return True

    def stop(self):
        """Stops the server (fast shutdown); a cluster that is not running is fine."""
        if not os.path.exists(os.path.join(self.data_dir, "PG_VERSION")):
            return
        pg_ctl = os.path.join(bin_dir(), "pg_ctl")
        status = _run(_as_server_user([pg_ctl, "-D", self.data_dir, "status"]),
                      cwd=self.directory, check=False)
        if status.returncode != 0:
            return
        proc = _run(_as_server_user([pg_ctl, "-D", self.data_dir, "-m", "fast", "-w", "-t", "60",
                                     "stop"]), cwd=self.directory, check=False)
        if proc.returncode != 0:
            proc = _run(_as_server_user([pg_ctl, "-D", self.data_dir, "-m", "immediate", "-w",
                                         "stop"]), cwd=self.directory, check=False)
            if proc.returncode != 0:
                raise ClusterError(f"pg_ctl stop failed:\n{proc.stdout}")

    def _log_tail(self, lines=40):
        try:
            with open(self.log_file, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return "(no PostgreSQL log)"


def main(argv):
    if len(argv) != 3 or argv[1] not in ("start", "stop"):
        print(f"usage: {argv[0]} start|stop DIR", file=sys.stderr)
        return 2
    cluster = Cluster(argv[2])
    try:
        if argv[1] == "start":
            print(cluster.start())
        else:
            cluster.stop()
    except ClusterError as e:
        print(f"pg_cluster: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
