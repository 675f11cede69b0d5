# Core sources compiled into the rddist library: what both wings use, the R3D core and
# the distributional DP solver. The R package compiles the same files (plus its glue in
# src/r/) through src/Makevars; the test `core_source_list` fails when this list, the
# Makevars list and the folders drift apart.
set(RDDIST_CORE_SOURCES
  src/common/error.cpp
  src/common/normal.cpp
  src/common/rng.cpp
  src/r3d/analysis.cpp
  src/r3d/bandwidth.cpp
  src/r3d/bandwidth_r3d.cpp
  src/r3d/bootstrap.cpp
  src/r3d/bootstrap_bands.cpp
  src/r3d/bootstrap_functionals.cpp
  src/r3d/bootstrap_influence.cpp
  src/r3d/bootstrap_tests.cpp
  src/r3d/covariates.cpp
  src/r3d/estimate.cpp
  src/r3d/functionals.cpp
  src/r3d/grouping.cpp
  src/r3d/kernels.cpp
  src/r3d/local_poly.cpp
  src/r3d/missing_draws.cpp
  src/r3d/monotone.cpp
  src/r3d/options.cpp
  src/r3d/quantiles.cpp
  src/r3d/sample.cpp
  src/r3d/simulate.cpp
  src/r3d/sql.cpp
  src/r3d/unit_order.cpp
  src/r3d/unit_selection.cpp
  src/ddp/applications.cpp
  src/ddp/distribution.cpp
  src/ddp/evaluate.cpp
  src/ddp/mdp.cpp
  src/ddp/mean_policy.cpp
  src/ddp/objective.cpp
  src/ddp/returns.cpp
  src/ddp/solution.cpp
  src/ddp/solver.cpp
  src/ddp/solver_exact.cpp
  src/ddp/solver_grid.cpp
  src/ddp/solver_grid_laws.cpp
  src/ddp/stock.cpp
)
