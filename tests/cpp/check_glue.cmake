# Fails when src/RcppExports.cpp or R/RcppExports.R is not what
# scripts/compile-attributes.R generates from the glue's export attributes.
set(scratch ${BUILD}/glue-check)
file(MAKE_DIRECTORY ${scratch})
execute_process(
  COMMAND ${RSCRIPT} -e "source('${ROOT}/scripts/compile-attributes.R'); write_exports('${ROOT}', '${scratch}/RcppExports.cpp', '${scratch}/RcppExports.R')"
  RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "scripts/compile-attributes.R failed")
endif()
foreach(pair "src/RcppExports.cpp;RcppExports.cpp" "R/RcppExports.R;RcppExports.R")
  list(GET pair 0 committed)
  list(GET pair 1 generated)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${ROOT}/${committed} ${scratch}/${generated}
    RESULT_VARIABLE differs)
  if(differs)
    message(FATAL_ERROR "${committed} is out of date: run 'Rscript scripts/compile-attributes.R'")
  endif()
endforeach()
message(STATUS "the R glue's registration is current")
