# A ctest test that cannot run here (the fuzz test without clang): says so and why, and
# appends the reason to $STOREQ_SKIP_LOG for scripts/test. `cmake -P` cannot exit with
# ctest's SKIP_RETURN_CODE, so the test's SKIP_REGULAR_EXPRESSION matches "SKIPPED: ".
#   cmake -DTEST_NAME=... -DREASON=... -P tests/skip_test.cmake
message("SKIPPED: ${TEST_NAME}: ${REASON}")
if(DEFINED ENV{STOREQ_SKIP_LOG} AND NOT "$ENV{STOREQ_SKIP_LOG}" STREQUAL "")
  file(APPEND "$ENV{STOREQ_SKIP_LOG}" "${TEST_NAME}\t${REASON}\n")
endif()
