// rddist.h — umbrella header: everything a C++ analysis needs from the library.
#ifndef RDDIST_RDDIST_H
#define RDDIST_RDDIST_H

#include "rddist/r3d/analysis.h"
#include "rddist/r3d/bandwidth.h"
#include "rddist/r3d/bootstrap.h"
#include "rddist/ddp/applications.h"
#include "rddist/ddp/distribution.h"
#include "rddist/ddp/evaluate.h"
#include "rddist/ddp/mdp.h"
#include "rddist/ddp/objective.h"
#include "rddist/ddp/solver.h"
#include "rddist/ddp/stock.h"
#include "rddist/error.h"
#include "rddist/r3d/estimate.h"
#include "rddist/r3d/functionals.h"
#include "rddist/r3d/grouping.h"
#include "rddist/hooks.h"
#include "rddist/r3d/kernels.h"
#include "rddist/r3d/local_poly.h"
#include "rddist/r3d/monotone.h"
#include "rddist/normal.h"
#include "rddist/r3d/options.h"
#include "rddist/r3d/quantiles.h"
#include "rddist/r3d/request.h"
#include "rddist/r3d/sample.h"
#include "rddist/rng.h"
#include "rddist/r3d/simulate.h"
#include "rddist/r3d/sql.h"
#include "rddist/r3d/unit_order.h"
#include "rddist/version.h"

#endif  // RDDIST_RDDIST_H
