/*
** fuzz_kpcsv.c -- libFuzzer harness for the CSV keypoint readers
** (MediaPipe landmarks, COCO-17): fuzz_openpose.c with GK_FUZZ_KPCSV.
** Build as fuzz_openpose (replace the file name); seeds in tests/data/kpcsv/.
*/
#define GK_FUZZ_KPCSV 1
#include "fuzz_openpose.c"
