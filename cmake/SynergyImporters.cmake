# synergy::caffe — the Caffe prototxt importer (include/synergy/io/caffe.hpp) with the code
# protoc generates from include/synergy/io/caffe_subset.proto. Built when protobuf and protoc
# are found; SYNERGY_HAS_CAFFE tells the tests.
find_package(Protobuf QUIET)
set(SYNERGY_HAS_CAFFE OFF)
if(Protobuf_FOUND AND Protobuf_PROTOC_EXECUTABLE)
  set(SYNERGY_HAS_CAFFE ON)
  set(gen ${CMAKE_CURRENT_BINARY_DIR}/generated/include)
  set(proto_dir ${CMAKE_CURRENT_SOURCE_DIR}/include/synergy/io)
  add_custom_command(
    OUTPUT ${gen}/synergy/io/caffe_subset.pb.h ${gen}/synergy/io/caffe_subset.pb.cc
    COMMAND ${CMAKE_COMMAND} -E make_directory ${gen}/synergy/io
    COMMAND ${Protobuf_PROTOC_EXECUTABLE} --cpp_out=${gen}/synergy/io -I${proto_dir}
            ${proto_dir}/caffe_subset.proto
    DEPENDS ${proto_dir}/caffe_subset.proto
    COMMENT "Generating the Caffe schema subset (protoc)")
  add_library(synergy_caffe STATIC ${gen}/synergy/io/caffe_subset.pb.cc)
  add_library(synergy::caffe ALIAS synergy_caffe)
  set_target_properties(synergy_caffe PROPERTIES POSITION_INDEPENDENT_CODE ON EXPORT_NAME caffe)
  target_include_directories(synergy_caffe PUBLIC $<BUILD_INTERFACE:${gen}>
                             $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
                             PRIVATE ${gen}/synergy/io)
  set(SYNERGY_CAFFE_GENERATED_HEADER ${gen}/synergy/io/caffe_subset.pb.h)
  target_link_libraries(synergy_caffe PUBLIC synergy::synergy protobuf::libprotobuf)
  message(STATUS "synergy: Caffe importer enabled (protobuf ${Protobuf_VERSION})")
else()
  message(STATUS "synergy: Caffe importer disabled (protobuf or protoc not found)")
endif()

# synergy::onnx — the ONNX importer (include/synergy/io/onnx.hpp) on Debian's libonnx-dev.
find_package(ONNX QUIET)
set(SYNERGY_HAS_ONNX OFF)
if(ONNX_FOUND AND TARGET onnx)
  set(SYNERGY_HAS_ONNX ON)
  add_library(synergy_onnx INTERFACE)
  add_library(synergy::onnx ALIAS synergy_onnx)
  set_target_properties(synergy_onnx PROPERTIES EXPORT_NAME onnx)
  target_link_libraries(synergy_onnx INTERFACE synergy::synergy onnx onnx_proto)
  message(STATUS "synergy: ONNX importer enabled (libonnx ${ONNX_VERSION})")
else()
  message(STATUS "synergy: ONNX importer disabled (libonnx-dev not found)")
endif()
