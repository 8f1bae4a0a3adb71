// DnsUpdater over ldns (NLnet Labs), which builds and TSIG-signs the UPDATE message.
#include <algorithm>

#include "signet/common/encoding.h"
#include "signet/va/dns_updater.h"
#include "signet/common/ip_address.h"

// ldns defines macros (bool, false, true) that break C++ headers included after it.
#include <ldns/ldns.h>  // NOLINT(llvm-include-order)

namespace signet::va {

namespace {

Status UpdateError(const std::string& reason, std::string message) {
  return Status::Error(ErrorCode::kDns, reason, std::move(message));
}

std::string Absolute(std::string name) {
  if (name.empty() || name.back() != '.') name += '.';
  return name;
}

// A TXT value in zone-file syntax: quoted, with quotes and backslashes escaped, split into
// character-strings of at most 255 bytes.
std::string TxtPresentation(const std::string& value) {
  std::string out;
  for (size_t i = 0; i < value.size() || i == 0; i += 255) {
    out += " \"";
    for (char c : value.substr(i, 255)) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
    if (value.empty()) break;
  }
  return out;
}

struct ServerAddress {
  IpAddress ip;
  uint16_t port = 53;
};

Result<ServerAddress> ParseServer(const std::string& server) {
  std::string host = server;
  uint16_t port = 53;
  if (!host.empty() && host.front() == '[') {
    size_t close = host.find(']');
    if (close == std::string::npos) return MalformedError("bad DNS server address", "bad_server");
    if (close + 1 < host.size() && host[close + 1] == ':') {
      port = static_cast<uint16_t>(std::atoi(host.c_str() + close + 2));
    }
    host = host.substr(1, close - 1);
  } else if (std::count(host.begin(), host.end(), ':') == 1) {
    size_t colon = host.find(':');
    port = static_cast<uint16_t>(std::atoi(host.c_str() + colon + 1));
    host = host.substr(0, colon);
  }
  auto ip = ParseIpAddress(host);
  if (!ip || port == 0) {
    return MalformedError("the DNS server '" + server +
                              "' must be an IP address with an optional port, e.g. 192.0.2.53:53",
                          "invalid_field");
  }
  return ServerAddress{*ip, port};
}

class LdnsUpdater final : public DnsUpdater {
 public:
  explicit LdnsUpdater(int timeout_ms) : timeout_ms_(timeout_ms) {}

  Status AddTxt(const DnsUpdateTarget& target, const std::string& name, const std::string& value,
                int ttl) override {
    std::string rr =
        Absolute(name) + " " + std::to_string(ttl) + " IN TXT" + TxtPresentation(value);
    return Send(target, rr, LDNS_RR_CLASS_IN, "add");
  }

  Status RemoveTxt(const DnsUpdateTarget& target, const std::string& name,
                   const std::string& value) override {
    // RFC 2136 2.5.4: delete an RR from an RRset is class NONE, TTL 0, with the RR's data.
    std::string rr = Absolute(name) + " 0 IN TXT" + TxtPresentation(value);
    return Send(target, rr, LDNS_RR_CLASS_NONE, "remove");
  }

 private:
  Status Send(const DnsUpdateTarget& target, const std::string& rr_text, ldns_rr_class rr_class,
              const char* verb) {
    SIGNET_RETURN_IF_ERROR(CheckTsigKey(target.key));
    SIGNET_ASSIGN_OR_RETURN(ServerAddress server, ParseServer(target.server));
    ldns_rr* rr = nullptr;
    if (ldns_rr_new_frm_str(&rr, rr_text.c_str(), 0, nullptr, nullptr) != LDNS_STATUS_OK) {
      return MalformedError("cannot build the DNS record for " + std::string(verb),
                            "invalid_field");
    }
    ldns_rr_set_class(rr, rr_class);
    ldns_rr_list* updates = ldns_rr_list_new();
    ldns_rr_list_push_rr(updates, rr);
    ldns_rdf* zone = ldns_dname_new_frm_str(Absolute(target.zone).c_str());
    if (zone == nullptr) {
      ldns_rr_list_deep_free(updates);
      return MalformedError("the zone '" + target.zone + "' is not a valid DNS name",
                            "invalid_field");
    }
    ldns_pkt* packet = ldns_update_pkt_new(zone, LDNS_RR_CLASS_IN, nullptr, updates, nullptr);
    ldns_rr_list_deep_free(updates);

    ldns_resolver* res = ldns_resolver_new();
    std::string ip = server.ip.ToString();
    ldns_rdf* ns =
        ldns_rdf_new_frm_str(server.ip.v6 ? LDNS_RDF_TYPE_AAAA : LDNS_RDF_TYPE_A, ip.c_str());
    ldns_resolver_push_nameserver(res, ns);
    ldns_rdf_deep_free(ns);
    ldns_resolver_set_port(res, server.port);
    ldns_resolver_set_usevc(res, true);
    ldns_resolver_set_retry(res, 1);
    ldns_resolver_set_random(res, false);
    timeval tv{timeout_ms_ / 1000, (timeout_ms_ % 1000) * 1000};
    ldns_resolver_set_timeout(res, tv);
    std::string key_name = Absolute(target.key.name);
    std::string algorithm = Absolute(target.key.algorithm);
    ldns_resolver_set_tsig_keyname(res, key_name.c_str());
    ldns_resolver_set_tsig_keydata(res, target.key.secret_base64.c_str());
    ldns_resolver_set_tsig_algorithm(res, algorithm.c_str());

    Status result = Status::Ok();
    ldns_status st = ldns_update_pkt_tsig_add(packet, res);
    ldns_pkt* answer = nullptr;
    if (st == LDNS_STATUS_OK) st = ldns_resolver_send_pkt(&answer, res, packet);
    std::string where = "the DNS server " + target.server + " for zone " + target.zone;
    if (st == LDNS_STATUS_CRYPTO_TSIG_BOGUS || st == LDNS_STATUS_CRYPTO_TSIG_ERR) {
      // The server rejected the signature (BADKEY/BADSIG), so its answer is unsigned.
      result = UpdateError("dns_update_refused",
                           where +
                               " refused the update: the TSIG key was not accepted (check "
                               "its name, algorithm and secret)");
    } else if (st != LDNS_STATUS_OK) {
      result = Status::Error(
          ErrorCode::kConnection, "dns_update_failed",
          "could not send the DNS update to " + where + ": " + ldns_get_errorstr_by_id(st));
    } else if (answer == nullptr) {
      result = UpdateError("dns_update_failed", "no answer to the DNS update from " + where);
    } else {
      ldns_pkt_rcode rcode = ldns_pkt_get_rcode(answer);
      if (rcode != LDNS_RCODE_NOERROR) {
        std::string hint;
        if (rcode == LDNS_RCODE_NOTAUTH)
          hint = ": the TSIG key was not accepted (check its name, algorithm and secret)";
        if (rcode == LDNS_RCODE_REFUSED)
          hint = ": the server does not allow this key to update the zone";
        if (rcode == LDNS_RCODE_NOTZONE) hint = ": the record is not inside zone " + target.zone;
        ldns_lookup_table* lt = ldns_lookup_by_id(ldns_rcodes, static_cast<int>(rcode));
        result = UpdateError("dns_update_refused",
                             where + " answered the update with " +
                                 (lt ? lt->name : std::to_string(static_cast<int>(rcode))) + hint);
      }
    }
    if (answer) ldns_pkt_free(answer);
    ldns_pkt_free(packet);
    ldns_resolver_deep_free(res);
    return result;
  }

  int timeout_ms_;
};

}  // namespace

std::unique_ptr<DnsUpdater> MakeLdnsUpdater(int timeout_ms) {
  return std::make_unique<LdnsUpdater>(timeout_ms);
}

Status CheckTsigKey(const TsigKey& key) {
  if (key.name.empty() || key.name.size() > 253) {
    return MalformedError("the TSIG key needs a 'key_name', e.g. update-key.example.com",
                          "invalid_field");
  }
  static const char* kAlgorithms[] = {"hmac-sha256", "hmac-sha384", "hmac-sha512", "hmac-sha224",
                                      "hmac-sha1"};
  std::string alg = key.algorithm;
  if (!alg.empty() && alg.back() == '.') alg.pop_back();
  if (std::none_of(std::begin(kAlgorithms), std::end(kAlgorithms),
                   [&](const char* a) { return alg == a; })) {
    return MalformedError("the TSIG 'algorithm' must be hmac-sha256, hmac-sha384 or hmac-sha512",
                          "invalid_field");
  }
  auto secret = Base64Decode(key.secret_base64);
  if (!secret || secret->size() < 16) {
    return MalformedError(
        "the TSIG 'secret' must be base64 of at least 16 bytes, as tsig-keygen "
        "or keymgr print it",
        "invalid_field");
  }
  return Status::Ok();
}

}  // namespace signet::va
