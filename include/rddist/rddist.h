// rddist.h — umbrella header: everything a C++ analysis needs from the library.
#ifndef RDDIST_RDDIST_H
#define RDDIST_RDDIST_H

#include "rddist/error.h"
#include "rddist/estimate.h"
#include "rddist/functionals.h"
#include "rddist/grouping.h"
#include "rddist/hooks.h"
#include "rddist/kernels.h"
#include "rddist/local_poly.h"
#include "rddist/monotone.h"
#include "rddist/options.h"
#include "rddist/quantiles.h"
#include "rddist/version.h"

#endif  // RDDIST_RDDIST_H
