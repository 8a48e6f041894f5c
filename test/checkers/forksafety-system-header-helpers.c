// RUN: %check_clang_tidy %s forksafety-unsafe-call-in-child %t -- -- -O2 -D_GNU_SOURCE
// The real glibc headers: with optimisation, htons and be16toh expand to
// calls of small static inline helpers (__bswap_16, __uint16_identity)
// that the analysis follows into their bodies, which call nothing. Every
// front end reads those bodies, including forksafety, which does not parse
// the other bodies of system headers.

#include <arpa/inet.h>
#include <endian.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

static void *work(void *arg) { return arg; }

int send_port(int fd, uint16_t port) {
  pthread_t thread;
  pthread_create(&thread, NULL, work, NULL);
  pid_t pid = fork();
  if (pid == 0) {
    uint16_t wire[3] = {htons(port), be16toh(port), le16toh(port)};
    write(fd, wire, sizeof wire);
    printf("sent\n");
// CHECK-MESSAGES: :[[@LINE-1]]:5: warning: call to 'printf' in the child of a fork is not async-signal-safe
    _exit(0);
  }
  return pid < 0 ? -1 : 0;
}
