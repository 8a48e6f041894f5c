// Opens the index, whose thread keeps running, then forks a pager.
void open_index(void);
void start_pager(void);
void run_command(const char *name);

int main(void) {
  open_index();
  start_pager();
  run_command("status");
  return 0;
}
