# Builds the fuzz targets with clang and runs codec_fuzz for a bounded time:
#   cmake -DSOURCE_DIR=... -DBUILD_DIR=... -DCLANGXX=... -DSECONDS=20 -P fuzz/run_fuzz.cmake
# Seeds: tests/hostile/ (the hostile-input corpus) and fuzz/seeds/ (clock ticks, then a
# message judged by the tick's time). New inputs the fuzzer finds go to
# BUILD_DIR/corpus, never into the source tree; a crash leaves BUILD_DIR/crash-* behind.
foreach(var SOURCE_DIR BUILD_DIR CLANGXX SECONDS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_fuzz.cmake: -D${var}=... is required")
  endif()
endforeach()

execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR}/fuzz -B ${BUILD_DIR}
                        -DCMAKE_CXX_COMPILER=${CLANGXX} -DCMAKE_BUILD_TYPE=RelWithDebInfo
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fuzz: configure failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} -j2 RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fuzz: build failed")
endif()

file(MAKE_DIRECTORY ${BUILD_DIR}/corpus)
execute_process(
  COMMAND ${BUILD_DIR}/codec_fuzz ${BUILD_DIR}/corpus ${SOURCE_DIR}/tests/hostile ${SOURCE_DIR}/fuzz/seeds
          -max_total_time=${SECONDS} -max_len=8192 -timeout=10 -rss_limit_mb=2048
          -print_final_stats=1 -artifact_prefix=${BUILD_DIR}/
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fuzz: codec_fuzz found a failure (exit ${rc}); the input is in ${BUILD_DIR}/crash-*")
endif()
