#include "cli/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace signet::cli {

namespace {

constexpr char kEraseLine[] = "\r\033[K";

// A redrawn line must fit the terminal: once it wraps, the carriage return no longer reaches
// its start and every redraw leaves a copy behind.
std::string FitTerminal(const std::string& line) {
  struct winsize size {};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) != 0 || size.ws_col < 10) return line;
  size_t columns = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    if ((line[i] & 0xC0) == 0x80) continue;  // a UTF-8 continuation byte
    if (++columns == size.ws_col) return line.substr(0, i);
  }
  return line;
}

}  // namespace

std::string FormatElapsed(std::chrono::steady_clock::duration elapsed) {
  long s = static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(elapsed).count());
  char text[32];
  if (s < 60) {
    std::snprintf(text, sizeof text, "%lds", s);
  } else if (s < 3600) {
    std::snprintf(text, sizeof text, "%ldm%02lds", s / 60, s % 60);
  } else {
    std::snprintf(text, sizeof text, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
  }
  return text;
}

bool ProgressLine::StderrIsInteractive() {
  const char* term = std::getenv("TERM");
  return ::isatty(STDERR_FILENO) == 1 && term != nullptr && std::strcmp(term, "dumb") != 0;
}

void ProgressLine::Draw(std::chrono::steady_clock::duration elapsed) {
  out_ << kEraseLine << FitTerminal("[" + FormatElapsed(elapsed) + "] " + state_);
  out_.flush();
  live_ = true;
}

void ProgressLine::Update(const std::string& state, std::chrono::steady_clock::duration elapsed) {
  if (state == state_) {
    Tick(elapsed);
    return;
  }
  // The previous state stays on screen as history.
  if (live_) out_ << "\n";
  live_ = false;
  state_ = state;
  if (interactive_) {
    Draw(elapsed);
  } else {
    out_ << "[" << FormatElapsed(elapsed) << "] " << state_ << "\n";
    out_.flush();
  }
}

void ProgressLine::Tick(std::chrono::steady_clock::duration elapsed) {
  if (interactive_ && !state_.empty()) Draw(elapsed);
}

void ProgressLine::Note(const std::string& text) {
  if (live_) out_ << kEraseLine;
  out_ << text;
  if (text.empty() || text.back() != '\n') out_ << "\n";
  out_.flush();
  live_ = false;
}

void ProgressLine::Finish() {
  if (live_) {
    out_ << "\n";
    out_.flush();
  }
  live_ = false;
}

void ProgressLine::WaitUntil(std::chrono::steady_clock::time_point until,
                             std::chrono::steady_clock::time_point start) {
  using Clock = std::chrono::steady_clock;
  constexpr auto kRedrawInterval = std::chrono::milliseconds(500);
  while (Clock::now() < until) {
    std::this_thread::sleep_for(std::min<Clock::duration>(kRedrawInterval, until - Clock::now()));
    Tick(Clock::now() - start);
  }
}

}  // namespace signet::cli
