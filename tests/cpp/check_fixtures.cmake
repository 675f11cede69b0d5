# Fails when a golden file copied into the R package differs from the shared original.
file(GLOB copies ${ROOT}/tests/testthat/fixtures/*.csv)
foreach(copy ${copies})
  get_filename_component(name ${copy} NAME)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${copy} ${REFERENCE}/${name}
    RESULT_VARIABLE rc)
  if(rc)
    message(FATAL_ERROR "fixture ${name} differs from ${REFERENCE}/${name}")
  endif()
endforeach()
list(LENGTH copies count)
message(STATUS "${count} fixtures identical to the shared golden files")
