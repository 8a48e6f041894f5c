// RUN: %check_clang_tidy %s forksafety-unsafe-call-in-child %t -- -- -std=c++17
// This test uses the real C and C++ library headers.

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

void start_workers() {
  std::thread worker([] {});
  worker.detach();
}

struct Worker {
  void run() { buffer = std::malloc(64); }
  void *buffer = nullptr;
};

struct Named {
  std::string name;
};

//===--- Must warn ---------------------------------------------------------===//

void builds_strings(const char *path) {
  if (fork() == 0) {
    std::string command = path;
// CHECK-MESSAGES: :[[@LINE-1]]:27: warning: construction of 'std::string' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
    std::vector<const char *> args;
// CHECK-MESSAGES: :[[@LINE-1]]:31: warning: construction of 'std::vector<const char *>' in the child of a fork is not async-signal-safe
    args.push_back(command.c_str());
// CHECK-MESSAGES: :[[@LINE-1]]:10: warning: call to 'std::vector::push_back' in the child of a fork is not async-signal-safe
    _exit(0);
  }
}

void allocates_and_throws() {
  if (fork() == 0) {
    int *value = new int(1);
// CHECK-MESSAGES: :[[@LINE-1]]:18: warning: allocation with 'new' in the child of a fork is not async-signal-safe
    delete value;
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: deallocation with 'delete' in the child of a fork is not async-signal-safe
    throw 1;
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: throwing an exception in the child of a fork is not async-signal-safe
  }
}

void prints_to_cout() {
  if (fork() == 0) {
    std::cout << "child\n";
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'std::operator<<' in the child of a fork is not async-signal-safe
    std::exit(1);
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'exit' in the child of a fork is not async-signal-safe; use '_exit'
// CHECK-FIXES: {{^}}    _exit(1);{{$}}
  }
}

int destroys_parent_objects() {
  std::string command = "ls";
  if (fork() == 0)
    return 0;
// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: destruction of 'command' in the child of a fork is not async-signal-safe
  return 1;
}

void calls_members_and_lambdas(Worker &worker) {
  auto report = [] { std::puts("lambda"); };
  if (fork() == 0) {
    worker.run();
// CHECK-MESSAGES: :[[@LINE-1]]:12: warning: call to 'Worker::run' in the child of a fork is not async-signal-safe: it calls 'malloc'
// CHECK-MESSAGES: :24:25: note: 'Worker::run' calls 'malloc' here
    report();
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'lambda' in the child of a fork is not async-signal-safe: it calls 'puts'
    Named named;
// CHECK-MESSAGES: :[[@LINE-1]]:11: warning: construction of 'Named' in the child of a fork is not async-signal-safe: it constructs 'std::string'
    _exit(0);
  }
}

void forks_in_lambda() {
  auto spawn = [] {
    pid_t pid = fork();
    if (pid == 0)
      std::printf("in lambda\n");
// CHECK-MESSAGES: :[[@LINE-1]]:7: warning: call to 'printf' in the child of a fork is not async-signal-safe
    return pid;
  };
  spawn();
}

//===--- Must not warn -----------------------------------------------------===//

std::atomic<int> children{0};

void trivially_safe_library_calls(const std::string &path, char *const argv[]) {
  std::array<int, 3> fds{};
  std::unique_ptr<char[]> scratch(new char[16]);
  std::string_view view = "abc";
  alignas(int) unsigned char storage[sizeof(int)];
  if (fork() == 0) {
    const char *raw = path.c_str();
    if (path.size() == 0 || path.empty() || raw[0] == '\0')
      _exit(2);
    fds[0] = 1;
    ++children;
    children.fetch_add(1);
    int snapshot = children.load();
    char *buffer = scratch.get();
    buffer[0] = view[0];
    int *placed = new (storage) int(snapshot);
    write(fds[0], std::move(buffer), static_cast<size_t>(*placed));
    execv(raw, argv);
    _exit(127);
  }
}
