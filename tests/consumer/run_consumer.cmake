# One step of the CMake consumer tests (tests/consumer/CMakeLists.txt), as a script:
#   cmake -DSTEP=<step> -DWORK=<scratch dir> [more -D…] -P run_consumer.cmake
# Lists in OPTIONS and ARGS are separated by '|' (add_test would split on ';').
#
# STEP=install          BINARY: a configured synergy build. Builds what its install copies
#                       (target synergy_install_prerequisites), then installs into PREFIX.
# STEP=install_fresh    The documented steps on a fresh build of SOURCE with OPTIONS:
#                       configure, cmake --build, cmake --install into PREFIX.
# STEP=install_unbuilt  Configures a fresh build of SOURCE with OPTIONS and installs it without
#                       building: must fail with output matching EXPECT.
# STEP=consume          Configures the consumer project tests/consumer/KIND (with ARGS, and
#                       PREFIX as CMAKE_PREFIX_PATH when given), builds it and runs its programs;
#                       with EXPECT, configuring must fail with output matching it.
# CXX and GENERATOR: the compiler and the CMake generator of everything configured here.
string(REPLACE "|" ";" OPTIONS "${OPTIONS}")
string(REPLACE "|" ";" ARGS "${ARGS}")
file(REMOVE_RECURSE "${WORK}")

function(run_step what)  # the command after `what`; stops the test when it fails
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}")
  endif()
endfunction()

function(expect_failure what expect)  # the command after `expect` must fail, saying `expect`
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(rc EQUAL 0)
    message(FATAL_ERROR "${what} succeeded but must fail:\n${out}")
  endif()
  if(NOT out MATCHES "${expect}")
    message(FATAL_ERROR "${what} failed without saying '${expect}':\n${out}")
  endif()
  message(STATUS "${what} failed as it must:\n${out}")
endfunction()

if(STEP STREQUAL "install")
  run_step("building what the install needs in ${BINARY}"
           ${CMAKE_COMMAND} --build "${BINARY}" --target synergy_install_prerequisites)
  run_step("installing ${BINARY}" ${CMAKE_COMMAND} --install "${BINARY}" --prefix "${PREFIX}")
elseif(STEP STREQUAL "install_fresh")
  run_step("configuring synergy" ${CMAKE_COMMAND} -S "${SOURCE}" -B "${WORK}/build" -G "${GENERATOR}"
           -DCMAKE_CXX_COMPILER=${CXX} ${OPTIONS})
  run_step("building synergy" ${CMAKE_COMMAND} --build "${WORK}/build")
  run_step("installing synergy" ${CMAKE_COMMAND} --install "${WORK}/build" --prefix "${PREFIX}")
elseif(STEP STREQUAL "install_unbuilt")
  run_step("configuring synergy" ${CMAKE_COMMAND} -S "${SOURCE}" -B "${WORK}/build" -G "${GENERATOR}"
           -DCMAKE_CXX_COMPILER=${CXX} ${OPTIONS})
  expect_failure("installing synergy unbuilt" "${EXPECT}"
                 ${CMAKE_COMMAND} --install "${WORK}/build" --prefix "${WORK}/prefix")
elseif(STEP STREQUAL "consume")
  set(configure ${CMAKE_COMMAND} -S "${SOURCE}/tests/consumer/${KIND}" -B "${WORK}/build"
                -DCMAKE_CXX_COMPILER=${CXX} -DSYNERGY_SOURCE_DIR=${SOURCE} ${ARGS})
  if(PREFIX)
    list(APPEND configure "-DCMAKE_PREFIX_PATH=${PREFIX}")
  endif()
  if(EXPECT)
    expect_failure("configuring the ${KIND} consumer" "${EXPECT}" ${configure})
    return()
  endif()
  run_step("configuring the ${KIND} consumer" ${configure})
  run_step("building the ${KIND} consumer" ${CMAKE_COMMAND} --build "${WORK}/build")
  # The programs the project built (it builds the component programs it can).
  foreach(program consumer consumer_caffe consumer_onnx consumer_run)
    if(EXISTS "${WORK}/build/${program}")
      execute_process(COMMAND "${WORK}/build/${program}" RESULT_VARIABLE rc OUTPUT_VARIABLE out)
      message(STATUS "${program}: ${out}")
      if(NOT rc EQUAL 0)
        message(FATAL_ERROR "the ${KIND} consumer's ${program} exited with ${rc}")
      endif()
    endif()
  endforeach()
else()
  message(FATAL_ERROR "run_consumer.cmake: unknown STEP '${STEP}'")
endif()
