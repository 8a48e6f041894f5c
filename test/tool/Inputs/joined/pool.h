#pragma once
#include <pthread.h>

extern pthread_t logger;

void start_workers(void);
void stop_workers(void);
