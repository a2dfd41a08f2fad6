# Runs one "must not compile" check: cmake -DCOMPILER=... -DSOURCE=... -DFLAGS=... -P this file.
# The source compiles cleanly as it is (the control), and must fail to compile with
# -DSYNERGY_COMPILE_FAIL, with a diagnostic matching the regex on its `// expect-error:` line,
# so that a test cannot pass by failing for an unrelated reason.
file(STRINGS "${SOURCE}" expect REGEX "^// expect-error: ")
list(LENGTH expect n)
if(n GREATER 1)
  message(FATAL_ERROR "${SOURCE}: more than one expect-error line")
endif()
if(NOT expect)
  message(FATAL_ERROR "${SOURCE}: no '// expect-error: <regex>' line")
endif()
string(REGEX REPLACE "^// expect-error: " "" expect "${expect}")
separate_arguments(flags UNIX_COMMAND "${FLAGS}")

execute_process(COMMAND ${COMPILER} ${flags} -fsyntax-only "${SOURCE}"
                RESULT_VARIABLE control_rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT control_rc EQUAL 0)
  message(FATAL_ERROR "control build of ${SOURCE} failed:\n${out}${err}")
endif()

execute_process(COMMAND ${COMPILER} ${flags} -DSYNERGY_COMPILE_FAIL -fsyntax-only "${SOURCE}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled with SYNERGY_COMPILE_FAIL; it must not")
endif()
if(NOT "${out}${err}" MATCHES "${expect}")
  message(FATAL_ERROR "${SOURCE} failed, but not with /${expect}/:\n${out}${err}")
endif()
message(STATUS "${SOURCE}: fails as expected (/${expect}/)")
