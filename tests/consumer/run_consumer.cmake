# Configures, builds and runs one consumer project:
#   cmake -DKIND=find_package|add_subdirectory|fetchcontent -DSOURCE=<synergy checkout>
#         -DBINARY=<synergy build dir> -DWORK=<scratch dir> -DCXX=<compiler> -P run_consumer.cmake
# For find_package, synergy is first installed from BINARY into WORK/prefix.
file(REMOVE_RECURSE "${WORK}")
set(extra "")
if(KIND STREQUAL "find_package")
  execute_process(COMMAND ${CMAKE_COMMAND} --install "${BINARY}" --prefix "${WORK}/prefix"
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "install into ${WORK}/prefix failed")
  endif()
  set(extra "-DCMAKE_PREFIX_PATH=${WORK}/prefix")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S "${SOURCE}/tests/consumer/${KIND}" -B "${WORK}/build"
                        -DCMAKE_CXX_COMPILER=${CXX} -DSYNERGY_SOURCE_DIR=${SOURCE} ${extra}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring the ${KIND} consumer failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build "${WORK}/build" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "building the ${KIND} consumer failed")
endif()
foreach(program consumer consumer_caffe consumer_onnx)
  if(NOT program STREQUAL "consumer" AND NOT EXISTS "${WORK}/build/${program}")
    continue()  # the importers are consumed only where the installed package has them
  endif()
  execute_process(COMMAND "${WORK}/build/${program}" RESULT_VARIABLE rc OUTPUT_VARIABLE out)
  message(STATUS "${out}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the ${KIND} ${program} exited with ${rc}")
  endif()
endforeach()
