#!/usr/bin/env bash
# Installs the Debian packages Signet needs to build, run and test, if any are missing.
# Runs apt-get only when something is missing, so repeated `make` calls stay fast.
set -euo pipefail
packages=(
  build-essential cmake ninja-build ccache pkg-config git curl ca-certificates
  libssl-dev openssl libboost-dev libboost-program-options-dev
  libsoci-dev libsqlite3-dev sqlite3 libpq-dev postgresql
  libunbound-dev libcurl4-openssl-dev libidn2-dev libpsl-dev publicsuffix
  nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev libzip-dev
  libgtest-dev libgmock-dev python3 libldns-dev dns-root-data knot knot-dnsutils python3-dnspython python3-aiosmtpd python3-cryptography wrk softhsm2 libengine-pkcs11-openssl util-linux nginx-light default-jre-headless unzip
  certbot lego dehydrated uacme pebble chromium fonts-wqy-zenhei
  # deployment: libssh for SSH push; OpenSSH's server is what the tests push to
  libssh-dev openssh-server
  # make fuzz: clang, its libFuzzer/ASan/UBSan runtimes, llvm-symbolizer for stack traces
  clang libclang-rt-dev llvm
)
# Node.js and npm build the console. A machine may already carry a Node.js that bundles npm
# (and conflicts with Debian's npm package); only when there is no npm at all do we add Debian's.
if ! command -v npm >/dev/null; then packages+=(nodejs npm); fi
missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then exit 0; fi
echo "install-deps: installing missing Debian packages: ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: not root and no sudo; install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
