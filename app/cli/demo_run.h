/* demo_run.h -- the sample run of `gaitkeeper demo`. */
#ifndef GK_DEMO_RUN_H
#define GK_DEMO_RUN_H

#include <stdint.h>

/* Write the sample run starting at start_fit_time (seconds since the FIT
   epoch) to path as a FIT file.  Returns 0, or -1 on failure. */
int gk_demo_write_run(const char *path, uint32_t start_fit_time);

#endif
