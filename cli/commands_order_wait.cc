// order wait: follows an order until it reaches a status, showing live progress on stderr.
// It only polls GET /api/v1/orders/{id}: the server's jobs do the checking and issuing, so
// waiting from several terminals, or stopping and starting again, changes nothing.
#include <chrono>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <thread>

#include "cli/program.h"
#include "cli/progress.h"
#include "cli/views.h"

namespace signet::cli {

namespace {

using Clock = std::chrono::steady_clock;

// Often enough to feel live, rare enough to cost the server nothing.
constexpr auto kPollInterval = std::chrono::milliseconds(1500);

// Statuses an order does not leave by waiting: the applicant (or nobody) must act.
const std::set<std::string> kSettled = {"issued", "cancelled", "review_failed"};

struct WaitOptions {
  std::string id;
  std::string until = "issued";
  double timeout_seconds = 0;
};

std::string StateLine(const nlohmann::json& o) {
  const auto& progress = o.value("progress", nlohmann::json::object());
  return "order " + Printable(Field(o, "id")) + ": " + Printable(Field(o, "status")) + " (" +
         Printable(Field(o, "sub_status")) + "), dcv " + Printable(Field(progress, "dcv")) +
         ", review " + Printable(Field(progress, "review"));
}

// What to tell the applicant about the order's validations since the last poll: the records
// to publish the first time a pending validation appears, then each change of status or error.
class ValidationNotes {
 public:
  std::string Changes(const nlohmann::json& order) {
    std::ostringstream out;
    for (const auto& v : order.value("validations", nlohmann::json::array())) {
      std::string id = Field(v, "id");
      std::string name = Field(v, "for").empty() ? Field(v, "domain") : Field(v, "for");
      std::string status = Field(v, "status");
      std::string error = Field(v, "last_error");
      std::string now = status + "\n" + error;
      auto seen = last_.find(id);
      if (seen == last_.end() && status == "pending") {
        out << "To validate " << Printable(name) << " (" << Printable(Field(v, "method")) << "):\n";
        ValidationInstructions(v).Print(out, "  ");
      } else if (seen == last_.end() || seen->second != now) {
        out << "Validation of " << Printable(name) << ": " << Printable(status);
        if (!error.empty() && status != "valid") {
          out << ": " << Printable(error) << " (" << Printable(Field(v, "last_reason")) << ")";
        }
        out << "\n";
      }
      last_[id] = now;
    }
    return out.str();
  }

 private:
  std::map<std::string, std::string> last_;  // validation id -> status and error
};

void PrintOutcome(std::ostream& out, const nlohmann::json& o) {
  std::string certificate = Field(o, "certificate_id");
  out << "Order " << Printable(Field(o, "id")) << " is " << Printable(Field(o, "status"));
  if (!certificate.empty()) {
    out << ": certificate " << Printable(certificate) << "\nDownload: signet certificate download "
        << Printable(certificate) << " --format nginx --out bundle.zip";
  }
  out << "\n";
}

int Wait(Session& s, const WaitOptions& options) {
  ProgressLine line(std::cerr, ProgressLine::StderrIsInteractive());
  ValidationNotes notes;
  const auto start = Clock::now();
  const bool limited = options.timeout_seconds > 0;
  const auto deadline =
      start + std::chrono::duration_cast<Clock::duration>(
                  std::chrono::duration<double>(limited ? options.timeout_seconds : 0));
  const std::string path = "/api/v1/orders/" + UrlEscape(options.id);
  for (;;) {
    auto order = s.Call("GET", path);
    if (!order) {
      line.Finish();
      return kExitFailure;
    }
    if (std::string changes = notes.Changes(*order); !changes.empty()) line.Note(changes);
    line.Update(StateLine(*order), Clock::now() - start);
    std::string status = Field(*order, "status");
    int code = -1;
    if (status == options.until) {
      code = kExitOk;
    } else if (kSettled.count(status) > 0) {
      std::string reason = Field(order->value("review", nlohmann::json::object()), "reason");
      line.Finish();
      PrintError("order " + Printable(options.id) + " is " + Printable(status) +
                 (reason.empty() ? "" : ": " + Printable(reason)) + "; it will not become " +
                 options.until + " by waiting");
      code = kExitFailure;
    } else if (limited && Clock::now() >= deadline) {
      line.Finish();
      PrintError("gave up after " + FormatElapsed(Clock::now() - start) + ": order " +
                 Printable(options.id) + " is still " + Printable(status) + " (" +
                 Printable(Field(*order, "sub_status")) + ")");
      code = kExitFailure;
    }
    if (code >= 0) {
      line.Finish();
      if (code == kExitOk || s.json_output()) s.Print(*order, PrintOutcome);
      return code;
    }
    auto next_poll = Clock::now() + kPollInterval;
    line.WaitUntil(limited ? std::min(next_poll, deadline) : next_poll, start);
  }
}

}  // namespace

void AddOrderWaitCommand(Program& program, CLI::App* order) {
  auto o = std::make_shared<WaitOptions>();
  CLI::App* cmd = order->add_subcommand(
      "wait",
      "wait until the order reaches a status, showing progress and what to publish on stderr");
  cmd->add_option("id", o->id, "the order's id")->required();
  cmd->add_option("--until", o->until, "the status to wait for")
      ->capture_default_str()
      ->check(CLI::IsMember({"processing", "issued", "review_failed", "cancelled"}));
  cmd->add_option("--timeout", o->timeout_seconds, "give up after this many seconds (0: never)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->footer(cmd->get_footer() + "\n" +
              "Exit status: 0 when the order reaches the status; 1 when it is cancelled, fails\n"
              "review, or the timeout passes. With --output json the final order is printed on\n"
              "stdout.");
  OnRun(program, cmd, [o](Session& s) { return Wait(s, *o); });
}

}  // namespace signet::cli
