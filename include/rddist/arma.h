// arma.h — the single place where the core includes Armadillo.
//
// Both builds must see the same Armadillo configuration, or the R glue and the core
// would disagree about the size of arma::uword. The core requires 64-bit indices
// (real data sets exceed 2^31 draws) and keeps Armadillo silent: problems surface as
// exceptions, never as text on a stream. The R package passes the same macros on the
// compiler command line (src/Makevars), CMake through the exported target.
#ifndef RDDIST_ARMA_H
#define RDDIST_ARMA_H

#ifndef ARMA_WARN_LEVEL
#define ARMA_WARN_LEVEL 0
#endif

#include <armadillo>

static_assert(sizeof(arma::uword) == 8,
              "rddist needs Armadillo with 64-bit indices: define ARMA_64BIT_WORD");

#endif  // RDDIST_ARMA_H
