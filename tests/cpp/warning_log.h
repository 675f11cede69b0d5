// warning_log.h — hooks that record the core's warnings, for tests that check them.
#ifndef RDDIST_TESTS_CPP_WARNING_LOG_H
#define RDDIST_TESTS_CPP_WARNING_LOG_H

#include <string>
#include <vector>

#include "rddist/hooks.h"

struct WarningLog {
  std::vector<std::string> warnings;
  // Hooks appending to `warnings`; the log must outlive them.
  rddist::Hooks hooks() {
    rddist::Hooks h;
    h.warning = [this](const std::string& m) { warnings.push_back(m); };
    return h;
  }
  bool any(const std::string& fragment) const {
    for (const std::string& w : warnings)
      if (w.find(fragment) != std::string::npos) return true;
    return false;
  }
};

#endif  // RDDIST_TESTS_CPP_WARNING_LOG_H
