// Opens the index, whose thread keeps running, then forks a pager.
void open_index(void);
void start_pager(void);

int main(void) {
  open_index();
  start_pager();
  return 0;
}
