int cmd_search(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_gc(int argc, char **argv);
int cmd_maintenance(int argc, char **argv);
