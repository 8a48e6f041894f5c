// RUN: %check_clang_tidy --check-suffix=DEFAULT %s forksafety-unsafe-call-in-child %t -- -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=SHALLOW %s forksafety-unsafe-call-in-child %t -- \
// RUN:   -config="{CheckOptions: {forksafety-unsafe-call-in-child.MaxCallDepth: 3}}" \
// RUN:   -- -nostdinc -isystem %mocks
// RUN: %check_clang_tidy --check-suffix=ALL %s forksafety-unsafe-call-in-child %t -- \
// RUN:   -config="{CheckOptions: {MaxCallDepth: 0}}" -- -nostdinc -isystem %mocks

// Calls are followed at any depth; MaxCallDepth only limits how many calls
// of a chain the notes show.

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

// Must not warn: a safe chain deeper than the notes shown.
static void safe19(void) { write(1, "x", 1); }
static void safe18(void) { safe19(); }
static void safe17(void) { safe18(); }
static void safe16(void) { safe17(); }
static void safe15(void) { safe16(); }
static void safe14(void) { safe15(); }
static void safe13(void) { safe14(); }
static void safe12(void) { safe13(); }
static void safe11(void) { safe12(); }
static void safe10(void) { safe11(); }
static void safe9(void) { safe10(); }
static void safe8(void) { safe9(); }
static void safe7(void) { safe8(); }
static void safe6(void) { safe7(); }
static void safe5(void) { safe6(); }
static void safe4(void) { safe5(); }
static void safe3(void) { safe4(); }
static void safe2(void) { safe3(); }
static void safe1(void) { safe2(); }
static void safe0(void) { safe1(); }

static void deep19(void) { puts("deep"); }
static void deep18(void) { deep19(); }
static void deep17(void) { deep18(); }
static void deep16(void) { deep17(); }
static void deep15(void) { deep16(); }
static void deep14(void) { deep15(); }
static void deep13(void) { deep14(); }
static void deep12(void) { deep13(); }
static void deep11(void) { deep12(); }
static void deep10(void) { deep11(); }
static void deep9(void) { deep10(); }
static void deep8(void) { deep9(); }
static void deep7(void) { deep8(); }
static void deep6(void) { deep7(); }
static void deep5(void) { deep6(); }
static void deep4(void) { deep5(); }
static void deep3(void) { deep4(); }
static void deep2(void) { deep3(); }
static void deep1(void) { deep2(); }
static void deep0(void) { deep1(); }

void spawn(pthread_t *thread, void *(*work)(void *)) {
  pthread_create(thread, 0, work, 0);
  if (fork() == 0) {
    safe0();
    deep0();
// CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:5: warning: call to 'deep0' in the child of a fork is not async-signal-safe: it calls 'puts'
// CHECK-MESSAGES-DEFAULT: :56:27: note: 'deep0' calls 'deep1' here
// CHECK-MESSAGES-DEFAULT: :55:27: note: 'deep1' calls 'deep2' here
// CHECK-MESSAGES-DEFAULT: :54:27: note: 'deep2' calls 'deep3' here
// CHECK-MESSAGES-DEFAULT: :53:27: note: 'deep3' calls 'deep4' here
// CHECK-MESSAGES-DEFAULT: :52:27: note: 'deep4' calls 'deep5' here
// CHECK-MESSAGES-DEFAULT: :51:27: note: 'deep5' calls 'deep6' here
// CHECK-MESSAGES-DEFAULT: :50:27: note: 'deep6' calls 'deep7' here
// CHECK-MESSAGES-DEFAULT: :49:27: note: 'deep7' calls 'deep8' here
// CHECK-MESSAGES-DEFAULT: :48:27: note: (skipping 4 calls of the chain; MaxCallDepth 0 shows them all)
// CHECK-MESSAGES-DEFAULT: :44:28: note: 'deep12' calls 'deep13' here
// CHECK-MESSAGES-DEFAULT: :43:28: note: 'deep13' calls 'deep14' here
// CHECK-MESSAGES-DEFAULT: :42:28: note: 'deep14' calls 'deep15' here
// CHECK-MESSAGES-DEFAULT: :41:28: note: 'deep15' calls 'deep16' here
// CHECK-MESSAGES-DEFAULT: :40:28: note: 'deep16' calls 'deep17' here
// CHECK-MESSAGES-DEFAULT: :39:28: note: 'deep17' calls 'deep18' here
// CHECK-MESSAGES-DEFAULT: :38:28: note: 'deep18' calls 'deep19' here
// CHECK-MESSAGES-DEFAULT: :37:28: note: 'deep19' calls 'puts' here
// CHECK-MESSAGES-SHALLOW: :62:5: warning: call to 'deep0' in the child of a fork is not async-signal-safe: it calls 'puts'
// CHECK-MESSAGES-SHALLOW: :56:27: note: 'deep0' calls 'deep1' here
// CHECK-MESSAGES-SHALLOW: :55:27: note: 'deep1' calls 'deep2' here
// CHECK-MESSAGES-SHALLOW: :54:27: note: (skipping 17 calls of the chain; MaxCallDepth 0 shows them all)
// CHECK-MESSAGES-SHALLOW: :37:28: note: 'deep19' calls 'puts' here
// CHECK-MESSAGES-ALL: :62:5: warning: call to 'deep0' in the child of a fork is not async-signal-safe: it calls 'puts'
// CHECK-MESSAGES-ALL: :56:27: note: 'deep0' calls 'deep1' here
// CHECK-MESSAGES-ALL: :55:27: note: 'deep1' calls 'deep2' here
// CHECK-MESSAGES-ALL: :54:27: note: 'deep2' calls 'deep3' here
// CHECK-MESSAGES-ALL: :53:27: note: 'deep3' calls 'deep4' here
// CHECK-MESSAGES-ALL: :52:27: note: 'deep4' calls 'deep5' here
// CHECK-MESSAGES-ALL: :51:27: note: 'deep5' calls 'deep6' here
// CHECK-MESSAGES-ALL: :50:27: note: 'deep6' calls 'deep7' here
// CHECK-MESSAGES-ALL: :49:27: note: 'deep7' calls 'deep8' here
// CHECK-MESSAGES-ALL: :48:27: note: 'deep8' calls 'deep9' here
// CHECK-MESSAGES-ALL: :47:27: note: 'deep9' calls 'deep10' here
// CHECK-MESSAGES-ALL: :46:28: note: 'deep10' calls 'deep11' here
// CHECK-MESSAGES-ALL: :45:28: note: 'deep11' calls 'deep12' here
// CHECK-MESSAGES-ALL: :44:28: note: 'deep12' calls 'deep13' here
// CHECK-MESSAGES-ALL: :43:28: note: 'deep13' calls 'deep14' here
// CHECK-MESSAGES-ALL: :42:28: note: 'deep14' calls 'deep15' here
// CHECK-MESSAGES-ALL: :41:28: note: 'deep15' calls 'deep16' here
// CHECK-MESSAGES-ALL: :40:28: note: 'deep16' calls 'deep17' here
// CHECK-MESSAGES-ALL: :39:28: note: 'deep17' calls 'deep18' here
// CHECK-MESSAGES-ALL: :38:28: note: 'deep18' calls 'deep19' here
// CHECK-MESSAGES-ALL: :37:28: note: 'deep19' calls 'puts' here
    _exit(0);
  }
}
