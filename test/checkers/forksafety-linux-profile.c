// The linux profile, the default on Linux targets, takes the thin
// system-call wrappers as safe; posix reports them; glibc builds on linux.
// RUN: %check_clang_tidy --check-suffix=LINUX %s forksafety-* %t -- -- -nostdinc -isystem %mocks --target=x86_64-unknown-linux-gnu
// RUN: %check_clang_tidy --check-suffix=LINUX %s forksafety-* %t -- \
// RUN:   -config="{CheckOptions: {LibcProfile: linux}}" -- -nostdinc -isystem %mocks --target=aarch64-unknown-linux-musl
// RUN: %check_clang_tidy --check-suffix=LINUX %s forksafety-* %t -- \
// RUN:   -config="{CheckOptions: {LibcProfile: glibc}}" -- -nostdinc -isystem %mocks --target=x86_64-unknown-linux-gnu
// RUN: %check_clang_tidy --check-suffix=POSIX %s forksafety-* %t -- \
// RUN:   -config="{CheckOptions: {LibcProfile: posix}}" -- -nostdinc -isystem %mocks --target=x86_64-unknown-linux-gnu
// Other targets have no Linux system calls, whatever the profile.
// RUN: %check_clang_tidy --check-suffix=POSIX %s forksafety-* %t -- -- -nostdinc -isystem %mocks --target=x86_64-unknown-freebsd

#include <grp.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <syslog.h>
#include <unistd.h>

static void *worker(void *arg) { return arg; }
void start_workers(pthread_t *thread) { pthread_create(thread, 0, worker, 0); }

void careful_spawner(int fds[2], char *const argv[]) {
  if (fork() == 0) {
    prctl(PR_SET_PDEATHSIG, 9);
// CHECK-MESSAGES-POSIX: :[[@LINE-1]]:5: warning: call to 'prctl' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES-POSIX: :[[@LINE-3]]:7: note: child process created by 'fork' here
    setgroups(0, 0);
// CHECK-MESSAGES-POSIX: :[[@LINE-1]]:5: warning: call to 'setgroups' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES-POSIX: :[[@LINE-6]]:7: note: child process created by 'fork' here
    setresuid(1, 1, 1);
// CHECK-MESSAGES-POSIX: :[[@LINE-1]]:5: warning: call to 'setresuid' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES-POSIX: :[[@LINE-9]]:7: note: child process created by 'fork' here
    struct rlimit limit = {64, 64};
    setrlimit(RLIMIT_NOFILE, &limit);
// CHECK-MESSAGES-POSIX: :[[@LINE-1]]:5: warning: call to 'setrlimit' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES-POSIX: :[[@LINE-13]]:7: note: child process created by 'fork' here
    dup3(fds[1], 1, 0);
// CHECK-MESSAGES-POSIX: :[[@LINE-1]]:5: warning: call to 'dup3' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES-POSIX: :[[@LINE-16]]:7: note: child process created by 'fork' here
    close_range(3, ~0u, 0);
// CHECK-MESSAGES-POSIX: :[[@LINE-1]]:5: warning: call to 'close_range' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES-POSIX: :[[@LINE-19]]:7: note: child process created by 'fork' here
    syscall(435);
// CHECK-MESSAGES-POSIX: :[[@LINE-1]]:5: warning: call to 'syscall' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES-POSIX: :[[@LINE-22]]:7: note: child process created by 'fork' here
    execv(argv[0], argv);
    _exit(127);
  }
}

// syslog(3) is what the name calls, whatever section 2 documents: it locks
// and allocates in every profile.
void logs_in_child(void) {
  if (fork() == 0) {
// CHECK-MESSAGES-LINUX: :[[@LINE-1]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES-LINUX: :22:41: note: threads are created here
// CHECK-MESSAGES-LINUX: :[[@LINE+4]]:5: note: call to 'syslog' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES-POSIX: :[[@LINE-4]]:7: warning: child of 'fork' may run program code without calling exec in a program that creates threads [forksafety-fork-in-threaded-program]
// CHECK-MESSAGES-POSIX: :22:41: note: threads are created here
// CHECK-MESSAGES-POSIX: :[[@LINE+1]]:5: note: call to 'syslog' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
    syslog(LOG_ERR, "child");
    _exit(1);
  }
}

// sysconf is a C library function, not a system call.
void asks_sysconf(char *const argv[]) {
  if (fork() == 0) {
    long max = sysconf(_SC_OPEN_MAX);
// CHECK-MESSAGES-LINUX: :[[@LINE-1]]:16: warning: call to 'sysconf' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES-LINUX: :[[@LINE-3]]:7: note: child process created by 'fork' here
// CHECK-MESSAGES-POSIX: :[[@LINE-3]]:16: warning: call to 'sysconf' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES-POSIX: :[[@LINE-5]]:7: note: child process created by 'fork' here
    close_range(3, (unsigned)max, 0);
// CHECK-MESSAGES-POSIX: :[[@LINE-1]]:5: warning: call to 'close_range' in the child of a fork is not async-signal-safe [forksafety-unsafe-call-in-child]
// CHECK-MESSAGES-POSIX: :[[@LINE-8]]:7: note: child process created by 'fork' here
    execv(argv[0], argv);
    _exit(127);
  }
}
