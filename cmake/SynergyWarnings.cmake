# Warnings and options for the project's own code (tests, benchmarks, examples, tools):
# -Wall -Wextra -Wpedantic (-Werror by default) on g++ and clang, and sanitizers when asked for.
option(SYNERGY_WERROR "Treat warnings in project code as errors" ON)
set(SYNERGY_SANITIZE "" CACHE STRING "Sanitizers for project code, e.g. address,undefined")

add_library(synergy_project_options INTERFACE)
target_compile_options(synergy_project_options INTERFACE -Wall -Wextra -Wpedantic
  $<$<BOOL:${SYNERGY_WERROR}>:-Werror>)
if(SYNERGY_SANITIZE)
  target_compile_options(synergy_project_options INTERFACE -fsanitize=${SYNERGY_SANITIZE}
    -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(synergy_project_options INTERFACE -fsanitize=${SYNERGY_SANITIZE})
endif()
