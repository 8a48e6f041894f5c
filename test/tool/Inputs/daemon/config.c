void start_log_thread(void);
void vendor_init(void);

static int verbose;

void load_config(void) {
  verbose = 1;
#ifdef LOG_THREAD
  start_log_thread();
#endif
#ifdef VENDOR
  vendor_init();
#endif
}
