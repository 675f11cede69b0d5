// test_blas.cpp — which BLAS the tests run against.
//
// scripts/test.sh runs the C++ and command-line suites twice: with the optimised BLAS the
// binaries link (OpenBLAS), then with Debian's reference BLAS/LAPACK preloaded, so that
// a result that holds only with one library's rounding is caught. With
// RDDIST_EXPECT_BLAS=reference this test fails unless dgemm_ and dsyev_ come from the
// reference libraries (Debian's blas/libblas.so.3 and lapack/liblapack.so.3): a preload
// that did not take effect would make the second run repeat the first.
#include <catch2/catch.hpp>

#include <dlfcn.h>

#include <cstdlib>
#include <string>

namespace {

std::string library_of(const char* symbol) {
  void* address = dlsym(RTLD_DEFAULT, symbol);
  if (address == nullptr) return "";
  Dl_info info;
  if (dladdr(address, &info) == 0 || info.dli_fname == nullptr) return "";
  return info.dli_fname;
}

}  // namespace

TEST_CASE("the BLAS and LAPACK in use are the ones the run asked for", "[blas]") {
  const std::string blas = library_of("dgemm_"), lapack = library_of("dsyev_");
  INFO("dgemm_ from " << blas << ", dsyev_ from " << lapack);
  REQUIRE_FALSE(blas.empty());
  REQUIRE_FALSE(lapack.empty());
  const char* expected = std::getenv("RDDIST_EXPECT_BLAS");
  if (expected != nullptr && std::string(expected) == "reference") {
    CHECK(blas.find("/blas/libblas.so") != std::string::npos);
    CHECK(lapack.find("/lapack/liblapack.so") != std::string::npos);
  }
}
