// A program without threads: its fork is safe, whatever the server does.
void run_hook(const char *hook);

int main(int argc, char **argv) {
  run_hook(argc > 1 ? argv[1] : "true");
  return 0;
}
