# Finds OpenBLAS's CBLAS for synergy::run (cblas_sgemm and openblas_get_config): sets
# SYNERGY_OPENBLAS_INCLUDE_DIR (the folder of cblas.h) and SYNERGY_OPENBLAS_LIBRARY, and
# SYNERGY_OPENBLAS_FOUND. Used by the build and, installed beside synergyConfig.cmake, by a
# find_package(synergy COMPONENTS run), so both find OpenBLAS the same way. Debian puts
# cblas.h under /usr/include/<multiarch>/openblas-pthread, outside the default search path.
find_path(SYNERGY_OPENBLAS_INCLUDE_DIR cblas.h PATH_SUFFIXES openblas-pthread openblas
  PATHS /usr/include/${CMAKE_LIBRARY_ARCHITECTURE})
find_library(SYNERGY_OPENBLAS_LIBRARY NAMES openblas)
if(SYNERGY_OPENBLAS_INCLUDE_DIR AND SYNERGY_OPENBLAS_LIBRARY)
  set(SYNERGY_OPENBLAS_FOUND TRUE)
else()
  set(SYNERGY_OPENBLAS_FOUND FALSE)
endif()
