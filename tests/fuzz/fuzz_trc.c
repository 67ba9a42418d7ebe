/*
** fuzz_trc.c -- libFuzzer harness for the TRC reader: fuzz_c3d.c with
** GK_FUZZ_TRC.  Build as fuzz_c3d (replace the file name); seeds in
** tests/data/trc/.
*/
#define GK_FUZZ_TRC 1
#include "fuzz_c3d.c"
