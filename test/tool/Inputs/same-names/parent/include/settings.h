// The parent's settings: nothing to do before exec.
static inline void before_exec(void) {}
