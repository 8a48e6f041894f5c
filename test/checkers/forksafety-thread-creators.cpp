// The built-in table of thread creators of widely used libraries.
// RUN: %check_clang_tidy --check-suffix=TBB %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DUSE_TBB
// RUN: %check_clang_tidy --check-suffix=TBB %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DUSE_TBB_TASK_GROUP
// RUN: %check_clang_tidy --check-suffix=ASIO %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DUSE_ASIO
// RUN: %check_clang_tidy --check-suffix=QT %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DUSE_QTHREAD
// RUN: %check_clang_tidy --check-suffix=QT %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DUSE_QTCONCURRENT
// RUN: %check_clang_tidy --check-suffix=GRPC %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DUSE_GRPC
// RUN: %check_clang_tidy --check-suffix=UV %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DUSE_UV
// RUN: %check_clang_tidy --check-suffix=TIMER %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DUSE_TIMER
// RUN: %check_clang_tidy --check-suffix=NONE %s forksafety-fork-in-threaded-program %t -- -- -nostdinc -isystem %mocks -DUSE_NOTHING

#include <QtCore/QThread>
#include <boost/asio/thread_pool.hpp>
#include <grpcpp/grpcpp.h>
#include <tbb/tbb.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

static void work(void *) {}
static void tick(int) {}

void start() {
#if defined(USE_TBB)
  tbb::parallel_for(0, 8, [](int) {});
#elif defined(USE_TBB_TASK_GROUP)
  tbb::task_group group;
  group.run([] {});
#elif defined(USE_ASIO)
  boost::asio::thread_pool pool(4);
#elif defined(USE_QTHREAD)
  QThread *thread = nullptr;
  thread->start();
#elif defined(USE_QTCONCURRENT)
  QtConcurrent::run([] {});
#elif defined(USE_GRPC)
  grpc::ServerBuilder builder;
  builder.BuildAndStart();
#elif defined(USE_UV)
  uv_thread_t thread;
  uv_thread_create(&thread, work, nullptr);
#elif defined(USE_TIMER)
  struct sigevent event = {};
  event.sigev_notify = SIGEV_THREAD;
  event.sigev_notify_function = tick;
  timer_t timer;
  timer_create(0, &event, &timer);
#else
  tbb::task_group group; // Constructing a task group runs nothing.
  QThread *thread = nullptr;
  thread->wait();
#endif
}

int snapshot() {
  if (fork() == 0)
    return 1;
  return 0;
}
// CHECK-MESSAGES-TBB: :[[@LINE-4]]:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES-ASIO: :[[@LINE-5]]:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES-QT: :[[@LINE-6]]:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES-GRPC: :[[@LINE-7]]:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES-UV: :[[@LINE-8]]:7: warning: child of 'fork' may run program code
// CHECK-MESSAGES-TIMER: :[[@LINE-9]]:7: warning: child of 'fork' may run program code
