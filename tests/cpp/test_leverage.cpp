// Tests of the leverage-adjusted bootstrap (vce): leverages against a dense hat matrix,
// hc0 against the paper's process written out, clusters of one unit equal to units,
// refusal of leverage 1.
#include <catch2/catch.hpp>

#include "golden.h"
#include "test_data.h"
#include "../../src/r3d/bootstrap_detail.h"
#include "rddist/r3d/bootstrap.h"
#include "rddist/error.h"
#include "rddist/r3d/local_poly.h"
#include "rddist/r3d/monotone.h"
#include "rddist/r3d/quantiles.h"
#include "rddist/r3d/simulate.h"

using namespace rddist;

namespace {

RdData design(bool fuzzy, unsigned seed = 21, arma::uword n = 400) {
  return test_data::simulated(2, n, 40, fuzzy, seed);
}

Estimate fit(const RdData& d, bool fuzzy) {
  EstimateOptions eo;
  eo.fuzzy = fuzzy;
  eo.method = fuzzy ? Method::simple : Method::frechet;
  return estimate_r3d(d, Bandwidths{arma::vec{0.6}, 0.7}, eo);
}

}  // namespace

TEST_CASE("leverages equal the diagonal of the dense weighted hat matrix", "[leverage]") {
  arma::arma_rng::set_seed(3);
  const arma::vec x = arma::randu(200) * 2.0 - 1.0;
  for (Kernel k : {Kernel::triangular, Kernel::epanechnikov, Kernel::uniform})
    for (Side side : {Side::above, Side::below}) {
      const LocalPolyFit f = local_poly_window(x, side, 0.6, 2, k);
      // H = W^{1/2} X (X'WX)^{-1} X' W^{1/2}, computed densely.
      const arma::mat X = polynomial_basis(f.u, 2);
      const arma::mat W = arma::diagmat(f.kernel_w);
      const arma::mat Wh = arma::diagmat(arma::sqrt(f.kernel_w));
      const arma::mat H = Wh * X * arma::inv(X.t() * W * X) * X.t() * Wh;
      CHECK(arma::approx_equal(f.leverages(), arma::vec(H.diag()), "absdiff", 1e-12));
      CHECK(arma::accu(f.leverages()) == Approx(3.0).epsilon(1e-12));  // trace = p + 1
    }
}

// The hc0 influence of one side written out from its definition (paper §2.6): row i is
// s_i(h) e_i(q), e_i(q) = Q̂_i(q) − r_p(u_i)'α̂(q), the fitted row made monotone first for
// frechet; zero outside the window. Column M (fuzzy) holds s_i(h_T) e_T,i from `first`.
arma::mat hand_influence(const RdData& d, const SideEstimate& side, Method method,
                         const LocalPolyFit* first) {
  const LocalPolyFit& f = side.fits[0];
  arma::mat fitted = f.design() * f.coef;
  if (method == Method::frechet) isotonic_rows(fitted);
  const arma::mat e = d.quantiles.rows(f.units) - fitted;
  arma::mat a(d.x.n_elem, d.q_grid.n_elem + (first ? 1 : 0), arma::fill::zeros);
  a.submat(f.units, arma::regspace<arma::uvec>(0, d.q_grid.n_elem - 1)) =
      e.each_col() % f.intercept_w;
  if (first) {
    const arma::vec et = d.treatment.elem(first->units) - first->design() * first->coef.col(0);
    for (arma::uword k = 0; k < first->units.n_elem; ++k)
      a(first->units[k], d.q_grid.n_elem) = first->intercept_w[k] * et[k];
  }
  return a;
}

TEST_CASE("hc0 with given multipliers is the paper's process, written out by hand", "[leverage]") {
  // Two code paths in one run (no stored numbers): the library's literal-multiplier sums
  // against the definition above. Each draw is a sum of at most 400 products of numbers
  // of order one, so the two agree to a few hundred ulps of the process's scale.
  for (int fuzzy = 0; fuzzy < 2; ++fuzzy) {
    const RdData d = design(fuzzy);
    const Estimate est = fit(d, fuzzy);
    arma::arma_rng::set_seed(11 + fuzzy);
    const arma::mat xi = arma::randn(d.x.n_elem, 199);
    BootstrapOptions o;
    o.multipliers = xi;
    o.vce = Vce::hc0;
    o.keep_draws = true;
    const BootstrapResult r = bootstrap_r3d(d, est, o);
    const arma::uword M = d.q_grid.n_elem;
    const arma::mat nu_plus = xi.t() * hand_influence(d, est.plus, est.options.method,
                                                      fuzzy ? &est.first_stage.plus : nullptr);
    const arma::mat nu_minus = xi.t() * hand_influence(d, est.minus, est.options.method,
                                                       fuzzy ? &est.first_stage.minus : nullptr);
    arma::mat g = nu_plus.head_cols(M) - nu_minus.head_cols(M);
    if (fuzzy) {
      // Delta method: [Δ_T (ν₊ − ν₋) − Δ_Y (νT₊ − νT₋)] / Δ_T².
      const double dt = est.first_stage.jump;
      const arma::rowvec dy = (est.plus.curve - est.minus.curve).t();
      const arma::vec nt = nu_plus.col(M) - nu_minus.col(M);
      g = (dt * g - nt * dy) / (dt * dt);
    }
    const double scale = arma::abs(g).max();
    CHECK(arma::abs(r.process - g).max() <= 1e-12 * scale);
    CHECK(arma::abs(r.nu_plus - nu_plus.head_cols(M)).max() <= 1e-12 * scale);
    // The Gaussian sampler draws the same process from its exact covariance W'W: the
    // standard errors of 20000 draws agree with the hand-made covariance within Monte
    // Carlo error (relative sd of a standard deviation ≈ 1/sqrt(2B) = 0.5%; allow 3%).
    BootstrapOptions gs;
    gs.vce = Vce::hc0;
    gs.draws = 20000;
    gs.seed = 3;
    const BootstrapResult gr = bootstrap_r3d(d, est, gs);
    arma::mat w = hand_influence(d, est.plus, est.options.method,
                                 fuzzy ? &est.first_stage.plus : nullptr) -
                  hand_influence(d, est.minus, est.options.method,
                                 fuzzy ? &est.first_stage.minus : nullptr);
    arma::vec exact_se;
    if (fuzzy) {
      const double dt = est.first_stage.jump;
      const arma::rowvec dy = (est.plus.curve - est.minus.curve).t();
      const arma::mat lin = (dt * w.head_cols(M) - w.col(M) * dy) / (dt * dt);
      exact_se = arma::sqrt(arma::sum(arma::square(lin), 0)).t();
    } else {
      exact_se = arma::sqrt(arma::sum(arma::square(w), 0)).t();
    }
    CHECK(arma::approx_equal(gr.se, exact_se, "reldiff", 0.03));
  }
}

TEST_CASE("hc2 and hc3 widen the band; clusters of one unit equal the unit-level adjustment",
          "[leverage]") {
  const RdData d = design(true, 22);
  const Estimate est = fit(d, true);
  BootstrapOptions o;
  o.draws = 1999;
  o.seed = 9;
  o.vce = Vce::hc0;
  const BootstrapResult h0 = bootstrap_r3d(d, est, o);
  o.vce = Vce::hc2;
  const BootstrapResult h2 = bootstrap_r3d(d, est, o);
  o.vce = Vce::hc3;
  const BootstrapResult h3 = bootstrap_r3d(d, est, o);
  // Every residual is scaled by a factor > 1, hc3's more than hc2's; with common draws
  // the band widens in that order.
  CHECK(h2.crit_val > h0.crit_val);
  CHECK(h3.crit_val > h2.crit_val);
  CHECK(arma::all(h3.se > h0.se));
  for (Vce v : {Vce::hc2, Vce::hc3})
    for (Sampler s : {Sampler::gaussian, Sampler::multipliers}) {
      o.vce = v;
      o.sampler = s;
      o.draws = 199;
      o.cluster.reset();
      const BootstrapResult unit = bootstrap_r3d(d, est, o);
      o.cluster = arma::regspace<arma::uvec>(0, d.x.n_elem - 1) * 7;
      const BootstrapResult singletons = bootstrap_r3d(d, est, o);
      CHECK(singletons.crit_val == Approx(unit.crit_val).epsilon(1e-10));
      CHECK(arma::approx_equal(singletons.se, unit.se, "reldiff", 1e-10));
    }
}

TEST_CASE("CR3 residuals are leave-cluster-out errors; CR2 the symmetric square root",
          "[leverage]") {
  arma::arma_rng::set_seed(4);
  const arma::uword n = 120;
  const arma::vec x = arma::randu(n) * 2.0 - 1.0;
  const arma::vec y = 1.0 + x + arma::square(x) + 0.3 * arma::randn(n);
  const LocalPolyFit full = fit_local_poly(x, arma::mat(y), Side::above, 0.8, 2, Kernel::triangular);
  // Clusters: window units in consecutive groups of four; everyone else alone.
  arma::uvec cluster = arma::regspace<arma::uvec>(0, n - 1) + 1000;
  for (arma::uword k = 0; k < full.units.n_elem; ++k) cluster[full.units[k]] = k / 4;
  arma::mat cr3 = full.residuals(), cr2 = full.residuals();
  detail::adjust_residuals(cr3, full, Vce::hc3, cluster);
  detail::adjust_residuals(cr2, full, Vce::hc2, cluster);
  const arma::vec e = full.residuals().col(0);
  const arma::mat R = full.design();
  for (arma::uword g = 0; 4 * g + 3 < full.units.n_elem; g += 3) {
    const arma::uvec rows = arma::regspace<arma::uvec>(4 * g, 4 * g + 3);
    // Refit without the cluster (zero unit weights) and predict its units.
    arma::vec weights(n, arma::fill::ones);
    weights.elem(full.units.elem(rows)).zeros();
    const LocalPolyFit loo = fit_local_poly(x, arma::mat(y), Side::above, 0.8, 2, Kernel::triangular, weights);
    const arma::vec leave_out = y.elem(full.units.elem(rows)) - R.rows(rows) * loo.coef.col(0);
    CHECK(arma::approx_equal(arma::vec(cr3.col(0).eval().elem(rows)), leave_out, "absdiff", 1e-10));
    // CR2: D^{-1/2} (I − D^{1/2} H_gg D^{-1/2})^{-1/2} D^{1/2} e_g, computed densely.
    const arma::vec k = full.kernel_w.elem(rows);
    const arma::mat Hs = arma::diagmat(arma::sqrt(k)) * R.rows(rows) * full.gram_inv *
                         R.rows(rows).t() * arma::diagmat(arma::sqrt(k));
    arma::vec val;
    arma::mat vec;
    arma::eig_sym(val, vec, arma::symmatu(arma::eye(4, 4) - Hs));
    const arma::mat inv_half = vec * arma::diagmat(1.0 / arma::sqrt(val)) * vec.t();
    const arma::vec want = (inv_half * (arma::sqrt(k) % e.elem(rows))) / arma::sqrt(k);
    CHECK(arma::approx_equal(arma::vec(cr2.col(0).eval().elem(rows)), want, "absdiff", 1e-10));
  }
}

TEST_CASE("a leverage of one is refused with a message; compatibility mode keeps hc0",
          "[leverage][errors]") {
  // Exactly three distinct x above the cutoff within the bandwidth: the quadratic fit
  // interpolates them, every leverage there is 1.
  RdData d = design(false, 23, 200);
  const arma::uvec above = arma::find(d.x >= 0.0);
  for (arma::uword k = 0; k < above.n_elem; ++k) d.x[above[k]] = 0.1 + 0.25 * (k % 3);
  const Estimate est = estimate_r3d(d, Bandwidths{arma::vec{0.7}}, {});
  BootstrapOptions o;
  o.draws = 99;
  o.vce = Vce::hc3;
  o.sampler = Sampler::multipliers;
  // Units sharing an x value share the fit's leverage 1/count < 1, so a unit alone at an
  // x value is needed: three values, the first with a single unit, the others with two.
  // (Three units in all, one at each value, would leave no residual at all: refused
  // before any leverage is formed.)
  RdData alone = design(false, 24, 200);
  const arma::uvec up = arma::find(alone.x >= 0.0);
  alone.x.elem(up.tail(up.n_elem - 5)).fill(0.95);  // outside the window
  alone.x[up[0]] = 0.05;
  alone.x[up[1]] = alone.x[up[2]] = 0.2;
  alone.x[up[3]] = alone.x[up[4]] = 0.35;
  const Estimate e1 = estimate_r3d(alone, Bandwidths{arma::vec{0.5}}, {});
  CHECK_THROWS_WITH(bootstrap_r3d(alone, e1, o), Catch::Contains("leverage") && Catch::Contains("above"));
  RdData three = alone;
  three.x.elem(up.subvec(3, 4)).fill(0.95);
  three.x[up[2]] = 0.35;
  CHECK_THROWS_WITH(bootstrap_r3d(three, estimate_r3d(three, Bandwidths{arma::vec{0.5}}, {}), o),
                    Catch::Contains("passes through every unit"));
  o.cluster = arma::regspace<arma::uvec>(0, alone.x.n_elem - 1);
  CHECK_THROWS_WITH(bootstrap_r3d(alone, e1, o), Catch::Contains("by itself"));
  // Repeated x values keep leverages below one: no error.
  o.cluster.reset();
  CHECK_NOTHROW(bootstrap_r3d(d, est, o));
  // The r3d-0.1.0 mode reproduces R3D, whose residuals are raw.
  EstimateOptions compat;
  compat.compat = Compat::r3d_0_1_0;
  const Estimate c = estimate_r3d(d, Bandwidths{arma::vec{0.7}}, compat);
  CHECK_THROWS_WITH(bootstrap_r3d(d, c, o), Catch::Contains("raw residuals"));
  CHECK(parse_vce("hc2") == Vce::hc2);
  CHECK_THROWS_AS(parse_vce("hc9"), invalid_argument);
}
