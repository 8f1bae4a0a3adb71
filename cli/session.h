// Session: one command's conversation with signetd. It sends requests through ApiClient and
// turns every failure into one line on stderr: an RFC 9457 problem document becomes
// "signet: <detail> (<code>, HTTP <status>)", a missing answer says which URL failed and why.
// Commands then only decide what to print on success, as JSON or as a table.
//
// Thread-safety: used by one thread at a time, like the ApiClient it owns.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>

#include "cli/api_client.h"
#include "cli/output.h"

namespace signet::cli {

// Exit codes: 0 done, 1 the operation failed (server, network, files), 2 the command line was
// wrong (CLI11's parse errors, and flags that contradict each other).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

using TableView = std::function<void(std::ostream&, const nlohmann::json&)>;

class Session {
 public:
  Session(Credentials credentials, OutputFormat format);

  bool json_output() const { return format_ == OutputFormat::kJson; }

  // A 2xx response, or std::nullopt once the failure has been reported on stderr.
  std::optional<ApiResponse> Send(const ApiRequest& request);

  // A JSON request (body sent as application/json when given) whose 2xx answer is a JSON
  // document, returned parsed; 204 No Content gives {}.
  std::optional<nlohmann::json> Call(const std::string& method, const std::string& path,
                                     const std::optional<nlohmann::json>& body = std::nullopt);

  // Prints the document on stdout: as it is for --output json, through view for tables.
  void Print(const nlohmann::json& document, const TableView& view) const;

  // Call, then Print: the shape of most commands. Returns the exit code.
  int CallAndPrint(const std::string& method, const std::string& path,
                   const std::optional<nlohmann::json>& body, const TableView& view);

  const std::string& base_url() const { return client_.base_url(); }

 private:
  void ReportFailure(const ApiRequest& request, const ApiResponse& response) const;

  ApiClient client_;
  OutputFormat format_;
};

// "signet: " + message on stderr.
void PrintError(const std::string& message);

}  // namespace signet::cli
