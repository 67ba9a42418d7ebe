/*
** test.h -- a tiny unit-test harness shared by tests/unit/test_*.c.
**
** Each test is a `static void test_x(void)`, run by RUN(test_x) from main;
** main ends with `return TEST_SUMMARY();`, which prints "N passed, N failed"
** (counting tests) and returns non-zero when anything failed.
**
**   ASSERT_*  print both values and return from the (void) test on failure;
**   CHECK_*   print both values and mark the test failed, then go on; they
**             work in helpers of any return type (and evaluate to 1 when
**             the check held, 0 when it failed).
**
** Include it from one translation unit per test program.
*/
#ifndef GK_TEST_H
#define GK_TEST_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#if defined(__GNUC__)
#define TEST_UNUSED_ __attribute__((unused))
#else
#define TEST_UNUSED_
#endif

static int test_failed_ TEST_UNUSED_; /* the current test has failed */
static int tests_passed_ TEST_UNUSED_;
static int tests_failed_ TEST_UNUSED_;
static const char *test_name_ TEST_UNUSED_ = "";

TEST_UNUSED_ static int test_fail_(const char *file, int line,
                                   const char *expr) {
  fprintf(stderr, "%s:%d: %s: check failed: %s\n", file, line, test_name_,
          expr);
  test_failed_ = 1;
  return 0;
}

TEST_UNUSED_ static int test_int_(long long a, long long b, const char *sa,
                                  const char *sb, const char *file, int line) {
  if (a == b) return 1;
  fprintf(stderr,
          "%s:%d: %s: %s == %s: got %lld (0x%llx), expected %lld (0x%llx)\n",
          file, line, test_name_, sa, sb, a, (unsigned long long)a, b,
          (unsigned long long)b);
  test_failed_ = 1;
  return 0;
}

TEST_UNUSED_ static int test_near_(double a, double b, double eps,
                                   const char *sa, const char *sb,
                                   const char *file, int line) {
  if (fabs(a - b) <= eps) return 1;
  fprintf(stderr, "%s:%d: %s: %s ~= %s: got %.17g, expected %.17g (+/- %g)\n",
          file, line, test_name_, sa, sb, a, b, eps);
  test_failed_ = 1;
  return 0;
}

TEST_UNUSED_ static int test_str_(const char *a, const char *b, const char *sa,
                                  const char *sb, const char *file, int line) {
  if (a != NULL && b != NULL && strcmp(a, b) == 0) return 1;
  if (a == NULL && b == NULL) return 1;
  fprintf(stderr, "%s:%d: %s: %s == %s: got %s%s%s, expected %s%s%s\n", file,
          line, test_name_, sa, sb, a ? "\"" : "", a ? a : "NULL",
          a ? "\"" : "", b ? "\"" : "", b ? b : "NULL", b ? "\"" : "");
  test_failed_ = 1;
  return 0;
}

#define CHECK_TRUE(c) ((c) ? 1 : test_fail_(__FILE__, __LINE__, #c))
#define CHECK_EQ_INT(a, b) \
  test_int_((long long)(a), (long long)(b), #a, #b, __FILE__, __LINE__)
#define CHECK_NEAR(a, b, eps)                                           \
  test_near_((double)(a), (double)(b), (double)(eps), #a, #b, __FILE__, \
             __LINE__)
#define CHECK_STR(a, b) test_str_((a), (b), #a, #b, __FILE__, __LINE__)

#define ASSERT_TRUE(c)          \
  do {                          \
    if (!CHECK_TRUE(c)) return; \
  } while (0)
#define ASSERT_EQ_INT(a, b)          \
  do {                               \
    if (!CHECK_EQ_INT(a, b)) return; \
  } while (0)
#define ASSERT_NEAR(a, b, eps)          \
  do {                                  \
    if (!CHECK_NEAR(a, b, eps)) return; \
  } while (0)
#define ASSERT_STR(a, b)          \
  do {                            \
    if (!CHECK_STR(a, b)) return; \
  } while (0)

#define RUN(fn)                          \
  do {                                   \
    test_name_ = #fn;                    \
    test_failed_ = 0;                    \
    fn();                                \
    if (test_failed_) {                  \
      tests_failed_++;                   \
      fprintf(stderr, "FAIL %s\n", #fn); \
    } else {                             \
      tests_passed_++;                   \
      printf("ok   %s\n", #fn);          \
    }                                    \
    fflush(stdout); /* kept on abort */  \
  } while (0)

#define TEST_SUMMARY()                                             \
  (printf("%d passed, %d failed\n", tests_passed_, tests_failed_), \
   tests_failed_ != 0)

/* A whole file, NUL-terminated (the NUL is not counted in *len); NULL when
   it cannot be read.  Free with free(). */
TEST_UNUSED_ static char *test_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  size_t cap = 1 << 16, n = 0;
  char *buf = (char *)malloc(cap + 1);
  while (buf) {
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap) break;
    char *nb = (char *)realloc(buf, cap * 2 + 1);
    if (nb == NULL) {
      free(buf);
      buf = NULL;
      break;
    }
    buf = nb;
    cap *= 2;
  }
  fclose(f);
  if (buf) buf[n] = '\0';
  *len = n;
  return buf;
}

/* Real-data tests: whether the folder is there; when it is not, says so
   with the skip line and an empty summary, and the test exits 0. */
TEST_UNUSED_ static int test_shared_data_present(const char *dir) {
  struct stat st;
  if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) return 1;
  printf("skipped: ../shared/data not found\n0 passed, 0 failed\n");
  return 0;
}

#endif /* GK_TEST_H */
