// progress.cpp — drawing the stderr progress bar (see progress.h).
#include "progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace rddist::cli {
namespace {
constexpr int kWidth = 30;
constexpr auto kInterval = std::chrono::milliseconds(100);
}  // namespace

ProgressBar::ProgressBar(bool wanted) : enabled_(wanted && ::isatty(STDERR_FILENO) == 1) {}

ProgressBar::~ProgressBar() { clear(); }

void ProgressBar::update(const std::string& stage, double fraction) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  const bool done = fraction >= 1.0;
  if (stage == stage_ && !done && now - last_ < kInterval) return;
  last_ = now;
  stage_ = stage;
  char line[128];
  if (fraction < 0.0) {
    static const char spinner[] = "|/-\\";
    std::snprintf(line, sizeof line, "\r%-10s %c", stage.c_str(), spinner[spin_++ % 4]);
  } else {
    const double f = std::min(1.0, fraction);
    const int filled = static_cast<int>(f * kWidth);
    char bar[kWidth + 1];
    for (int i = 0; i < kWidth; ++i) bar[i] = i < filled ? '#' : '.';
    bar[kWidth] = '\0';
    std::snprintf(line, sizeof line, "\r%-10s [%s] %3d%%", stage.c_str(), bar,
                  static_cast<int>(f * 100.0));
  }
  std::fputs(line, stderr);
  std::fflush(stderr);
  shown_ = true;
}

void ProgressBar::clear() {
  if (!shown_) return;
  std::fputs("\r\033[K", stderr);  // carriage return, then erase to the end of the line
  std::fflush(stderr);
  shown_ = false;
  stage_.clear();
}

Hooks ProgressBar::hooks(std::function<void(const std::string&)> warn) {
  Hooks h;
  h.progress = [this](const std::string& stage, double fraction) { update(stage, fraction); };
  h.warning = [this, warn = std::move(warn)](const std::string& message) {
    clear();
    if (warn) warn(message);
  };
  return h;
}

}  // namespace rddist::cli
