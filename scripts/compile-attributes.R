# Regenerates the R glue's registration (src/RcppExports.cpp and R/RcppExports.R) from the
# // [[Rcpp::export]] attributes of src/r/*.cpp. Rcpp::compileAttributes() reads only the
# top level of src/, and the glue has a folder of its own, so the glue files are copied
# into a scratch package first. (The registration stays at the top of src/, where R's
# checks expect a package's compiled code to start.) Run from the repository root after changing an export:
#   Rscript scripts/compile-attributes.R
# The ctest r_glue_registration fails when the committed files are not what this writes.
write_exports <- function(root = ".", out_cpp = file.path(root, "src/RcppExports.cpp"),
                          out_r = file.path(root, "R/RcppExports.R")) {
  scratch <- tempfile("rddist-attributes")
  dir.create(file.path(scratch, "src"), recursive = TRUE)
  dir.create(file.path(scratch, "R"))
  file.copy(file.path(root, c("DESCRIPTION", "NAMESPACE")), scratch)
  glue <- list.files(file.path(root, "src/r"), "\\.cpp$", full.names = TRUE)
  file.copy(glue, file.path(scratch, "src"))
  Rcpp::compileAttributes(scratch, verbose = FALSE)
  file.copy(file.path(scratch, "src/RcppExports.cpp"), out_cpp, overwrite = TRUE)
  file.copy(file.path(scratch, "R/RcppExports.R"), out_r, overwrite = TRUE)
  unlink(scratch, recursive = TRUE)
  invisible(c(out_cpp, out_r))
}
if (sys.nframe() == 0L) write_exports()
