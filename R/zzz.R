# Registration of the broom-style tidiers without depending on broom or generics.
#
# When the generics package (which broom loads) is already loaded, tidy.rddist_r3d() and
# glance.rddist_r3d() are registered as its methods right away; otherwise a hook registers them
# when generics is loaded later. Nothing is loaded on rddist's behalf.

.onLoad <- function(libname, pkgname) {
  register_s3_method("generics", "tidy", "rddist_r3d", tidy.rddist_r3d)
  register_s3_method("generics", "glance", "rddist_r3d", glance.rddist_r3d)
  invisible()
}

register_s3_method <- function(pkg, generic, class, fun) {
  register <- function(...) {
    env <- asNamespace(pkg)
    if (exists(generic, envir = env, inherits = FALSE)) {
      registerS3method(generic, class, fun, envir = env)
    }
  }
  if (isNamespaceLoaded(pkg)) register()
  setHook(packageEvent(pkg, "onLoad"), register)
  invisible()
}
