// RUN: %check_clang_tidy %s forksafety-* %t -- -- -std=c++17
// This test uses the real C and C++ library headers.

// C++ that takes no lock in the child: reading containers built before the
// fork, copying a std::shared_ptr, atomics, getters defined in the program.
// The program's own destructors run at the end of a scope like calls.

#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <unistd.h>
#include <unordered_map>
#include <vector>

struct Settings {
  int output_fd() const { return fd; }
  int fd = 1;
};

struct LogSection {
  ~LogSection() { std::fputs("section done\n", stderr); }
};

std::atomic<int> children{0};

void spawn(const std::vector<int> &inherited, const std::map<int, int> &renames,
           const std::unordered_map<int, int> &limits, const std::set<int> &keep,
           std::shared_ptr<Settings> settings, char *const argv[]) {
  std::thread watcher([] {});
  if (fork() == 0) {
    for (int fd : inherited)
      if (!keep.count(fd))
        close(fd);
    auto renamed = renames.find(3);
    if (renamed != renames.end())
      dup2(renamed->second, renamed->first);
    for (const auto &entry : renames)
      dup2(entry.second, entry.first);
    if (limits.find(0) != limits.end())
      close(0);
    std::shared_ptr<Settings> copy = settings;
    dup2(copy->output_fd(), 1);
    children.fetch_add(1);
    execv(argv[0], argv);
    _exit(127);
  }
  watcher.join();
}

void scope_logs_on_exit(char *const argv[]) {
  std::thread watcher([] {});
  if (fork() == 0) {
    {
      LogSection section;
    }
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: destruction of 'section' in the child of a fork is not async-signal-safe: it calls 'fputs' [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES: :25:19: note: 'LogSection::~LogSection' calls 'fputs' here
// CHECK-MESSAGES: :[[@LINE-6]]:7: note: child process created by 'fork' here
    execv(argv[0], argv);
    _exit(127);
  }
  watcher.join();
}

void inserts_in_child(std::map<int, int> &renames) {
  std::thread watcher([] {});
  if (fork() == 0) {
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES: :[[@LINE-3]]:15: note: threads are created here
// CHECK-MESSAGES: :[[@LINE+1]]:5: note: call to 'std::map::operator[]' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
    renames[3] = 4;
    _exit(0);
  }
  watcher.join();
}
