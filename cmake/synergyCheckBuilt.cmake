# Run by `cmake --install` before anything is copied (install(CODE) in CMakeLists.txt):
# stops, naming every missing file and the command that builds it, when the build outputs the
# install copies (synergy_built_files: the Caffe importer's library, the synergy program) are
# not built yet. Without it the install fails on the first missing file with no hint why.
set(synergy_missing "")
foreach(file IN LISTS synergy_built_files)
  if(NOT EXISTS "${file}")
    string(APPEND synergy_missing "\n  ${file}")
  endif()
endforeach()
if(synergy_missing)
  # Indented lines, which CMake prints unwrapped, so the commands can be copied.
  message(FATAL_ERROR "synergy: cannot install, these are not built yet:${synergy_missing}\n"
    "Build them first:\n  cmake --build ${synergy_build_dir}\n"
    "or only what the install needs:\n"
    "  cmake --build ${synergy_build_dir} --target synergy_install_prerequisites")
endif()
