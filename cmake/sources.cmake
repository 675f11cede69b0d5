# Core sources compiled into the rddist library. The R package compiles the same files
# (plus its rcpp_*.cpp glue) from src/; the test `core_source_list` fails when this list
# and the core files in src/ drift apart.
set(RDDIST_CORE_SOURCES
  src/bandwidth.cpp
  src/bandwidth_r3d.cpp
  src/bootstrap.cpp
  src/bootstrap_influence.cpp
  src/ddp_applications.cpp
  src/ddp_distribution.cpp
  src/ddp_evaluate.cpp
  src/ddp_mdp.cpp
  src/ddp_objective.cpp
  src/ddp_solver.cpp
  src/ddp_solver_exact.cpp
  src/ddp_solver_grid.cpp
  src/ddp_stock.cpp
  src/estimate.cpp
  src/functionals.cpp
  src/grouping.cpp
  src/kernels.cpp
  src/local_poly.cpp
  src/monotone.cpp
  src/normal.cpp
  src/options.cpp
  src/quantiles.cpp
  src/rng.cpp
  src/simulate.cpp
  src/unit_order.cpp
)
