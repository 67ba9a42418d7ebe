/*
** fuzz_tcx.c -- libFuzzer harness for the TCX reader: the GPX harness
** (fuzz_gpx.c, which documents what is checked) with the format set to
** TCX.
**
** Build and run (from the repository root):
**   clang -g -O1 -fsanitize=fuzzer,address,undefined \
**     -fno-sanitize-recover=undefined -Iinclude -Isrc tests/fuzz/fuzz_tcx.c \
**     src/core/[a-z]*.c src/formats/fit/[a-z]*.c src/formats/xml/[a-z]*.c \
**     src/formats/read.c -lexpat -lm -o /tmp/fuzz_tcx
**   mkdir -p /tmp/corpus_tcx
**   /tmp/fuzz_tcx -max_total_time=60 -max_len=65536 /tmp/corpus_tcx \
**     tests/data/tcx
** Seeds: tests/data/tcx/ (y_* read, n_* refused); keep crash reproducers
** there as crash-<name>.tcx.
*/
#define GK_FUZZ_FORMAT GK_FORMAT_TCX
#include "fuzz_gpx.c"
