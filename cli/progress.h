// ProgressLine: the live status line `signet order wait` keeps on stderr. On a terminal the
// line is redrawn in place with the elapsed time, kept as history when the state changes, and
// notes (records to publish, validation errors) appear above it. Elsewhere (a log file, CI) a
// line is printed only when the state changes, so logs stay short and readable.
//
// Thread-safety: used by one thread; it writes to the stream it is given.
#pragma once

#include <chrono>
#include <ostream>
#include <string>

namespace signet::cli {

class ProgressLine {
 public:
  ProgressLine(std::ostream& out, bool interactive) : out_(out), interactive_(interactive) {}
  ~ProgressLine() { Finish(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // Shows state; a new line starts when it differs from the previous state.
  void Update(const std::string& state, std::chrono::steady_clock::duration elapsed);
  // Redraws the current state with a new elapsed time (terminals only).
  void Tick(std::chrono::steady_clock::duration elapsed);
  // Prints text (one or more lines) above the live line.
  void Note(const std::string& text);
  // Ends the live line so that what follows starts on a line of its own.
  void Finish();
  // Sleeps until `until`, redrawing the elapsed time since `start` twice a second: the pause
  // between two polls of a `wait` command.
  void WaitUntil(std::chrono::steady_clock::time_point until,
                 std::chrono::steady_clock::time_point start);

  // Whether stderr is a terminal that understands carriage return and erase-line.
  static bool StderrIsInteractive();

 private:
  void Draw(std::chrono::steady_clock::duration elapsed);

  std::ostream& out_;
  bool interactive_;
  bool live_ = false;  // a line without its newline is on the terminal
  std::string state_;
};

// "7s", "2m05s", "1h02m".
std::string FormatElapsed(std::chrono::steady_clock::duration elapsed);

}  // namespace signet::cli
