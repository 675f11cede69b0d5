// run_binary.h — runs the rddist binary in a child process for the fuzz tests.
#ifndef RDDIST_TESTS_CLI_RUN_BINARY_H
#define RDDIST_TESTS_CLI_RUN_BINARY_H

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

// Runs args[0] with the arguments args[1..]: standard output into `out` (discarded when
// empty), standard error discarded; returns the wait status. A run over 20 s of CPU is
// killed (SIGXCPU), which the tests report as a failure.
inline int run_binary(const std::vector<std::string>& args, const std::string& out = "") {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const rlimit cpu{20, 20};
    ::setrlimit(RLIMIT_CPU, &cpu);
    const int null = ::open("/dev/null", O_WRONLY);
    const int fd = out.empty() ? null : ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 1);
    ::dup2(null, 2);
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

// The exit code of a finished run, required to be one of the documented codes 0–5 (no
// signal, no CPU-time kill).
inline int documented_exit_code(int status) {
  REQUIRE(WIFEXITED(status));
  const int code = WEXITSTATUS(status);
  REQUIRE(code <= 5);
  return code;
}

#endif  // RDDIST_TESTS_CLI_RUN_BINARY_H
