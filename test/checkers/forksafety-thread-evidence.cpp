// Each way a translation unit can show that the program creates threads.
// RUN: %check_clang_tidy --check-suffix=THREAD %s forksafety-fork-in-threaded-program %t -- -- -std=c++17 -DSTD_THREAD
// RUN: %check_clang_tidy --check-suffix=JTHREAD %s forksafety-fork-in-threaded-program %t -- -- -std=c++20 -DSTD_JTHREAD
// RUN: %check_clang_tidy --check-suffix=ASYNC %s forksafety-fork-in-threaded-program %t -- -- -std=c++17 -DSTD_ASYNC
// RUN: %check_clang_tidy --check-suffix=PTHREAD %s forksafety-fork-in-threaded-program %t -- -- -std=c++17 -DPTHREAD
// RUN: %check_clang_tidy --check-suffix=OPENMP %s forksafety-fork-in-threaded-program %t -- -- -std=c++17 -fopenmp -DOPENMP
// RUN: %check_clang_tidy --check-suffix=NONE %s forksafety-fork-in-threaded-program %t -- -- -std=c++17 -DNO_THREAD
// RUN: %check_clang_tidy --check-suffix=NONE %s forksafety-fork-in-threaded-program %t -- -- -std=c++17 -fopenmp -DOPENMP_SERIAL

#include <future>
#include <pthread.h>
#include <thread>
#include <unistd.h>

static int work() { return 0; }
static void *work_pthread(void *) { return nullptr; }

void start() {
#if defined(STD_THREAD)
  std::thread worker(work);
  worker.detach(); // Never joined: it may still run at the fork.
#elif defined(STD_JTHREAD)
  static std::jthread worker(work); // Joined only when the program ends.
#elif defined(STD_ASYNC)
  auto result = std::async(std::launch::async, work);
#elif defined(PTHREAD)
  pthread_t thread;
  pthread_create(&thread, nullptr, work_pthread, nullptr);
#elif defined(OPENMP)
#pragma omp parallel for
  for (int i = 0; i < 4; ++i)
    work();
#elif defined(OPENMP_SERIAL)
#pragma omp simd
  for (int i = 0; i < 4; ++i)
    work();
#else
  std::thread not_started; // A default-constructed thread runs nothing.
  std::thread moved(std::move(not_started));
#endif
}

int main() {
  start();
  if (fork() == 0)
    return work();
  return 0;
}
// CHECK-MESSAGES-THREAD: :45:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES-THREAD: :20:15: note: threads are created here
// CHECK-MESSAGES-JTHREAD: :45:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES-JTHREAD: :23:23: note: threads are created here
// CHECK-MESSAGES-ASYNC: :45:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES-ASYNC: :25:17: note: threads are created here
// CHECK-MESSAGES-PTHREAD: :45:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES-PTHREAD: :28:3: note: threads are created here
// CHECK-MESSAGES-OPENMP: :45:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES-OPENMP: :30:1: note: threads are created here

