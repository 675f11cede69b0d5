// rddist.h — umbrella header: everything a C++ analysis needs from the library.
#ifndef RDDIST_RDDIST_H
#define RDDIST_RDDIST_H

#include "rddist/bandwidth.h"
#include "rddist/bootstrap.h"
#include "rddist/ddp/applications.h"
#include "rddist/ddp/distribution.h"
#include "rddist/ddp/evaluate.h"
#include "rddist/ddp/mdp.h"
#include "rddist/ddp/objective.h"
#include "rddist/ddp/solver.h"
#include "rddist/ddp/stock.h"
#include "rddist/error.h"
#include "rddist/estimate.h"
#include "rddist/functionals.h"
#include "rddist/grouping.h"
#include "rddist/hooks.h"
#include "rddist/kernels.h"
#include "rddist/local_poly.h"
#include "rddist/monotone.h"
#include "rddist/normal.h"
#include "rddist/options.h"
#include "rddist/quantiles.h"
#include "rddist/rng.h"
#include "rddist/simulate.h"
#include "rddist/unit_order.h"
#include "rddist/version.h"

#endif  // RDDIST_RDDIST_H
