// Minimal <unistd.h> for the forksafety tests.
#pragma once
typedef int pid_t;
typedef unsigned long size_t;
typedef long ssize_t;
#ifdef __cplusplus
extern "C" {
#endif
pid_t fork(void);
pid_t _Fork(void);
pid_t vfork(void);
int daemon(int nochdir, int noclose);
__attribute__((noreturn)) void _exit(int status);
int execl(const char *path, const char *arg, ...);
int execle(const char *path, const char *arg, ...);
int execlp(const char *file, const char *arg, ...);
int execv(const char *path, char *const argv[]);
int execve(const char *path, char *const argv[], char *const envp[]);
int execvp(const char *file, char *const argv[]);
int execvpe(const char *file, char *const argv[], char *const envp[]);
int fexecve(int fd, char *const argv[], char *const envp[]);
ssize_t write(int fd, const void *buf, size_t count);
ssize_t read(int fd, void *buf, size_t count);
int close(int fd);
int dup2(int oldfd, int newfd);
int pipe(int fds[2]);
pid_t setsid(void);
int chdir(const char *path);
pid_t getpid(void);
unsigned sleep(unsigned seconds);
int access(const char *path, int mode);
long syscall(long number, ...);
int setresuid(unsigned ruid, unsigned euid, unsigned suid);
int close_range(unsigned first, unsigned last, int flags);
int dup3(int oldfd, int newfd, int flags);
int pipe2(int fds[2], int flags);
long sysconf(int name);
#define _SC_OPEN_MAX 4
#ifdef __cplusplus
}
#endif
