// ddp_distribution.cpp — finite distributions, Cramér and quantile projections, W1 and
// Cramér distances (doc/ddp.md §3).
//
// Distances between step CDFs are integrated exactly over the merged breakpoints. The
// quantile projection compares CDF values with the levels τ_i = (2i−1)/(2m) to within
// 1e-11: CDF values are sums of products of probabilities such as 1/10, which are not exact
// in binary, and an exact tie missed by rounding would silently drop the midpoint rule.
#include "rddist/ddp/distribution.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "rddist/error.h"

namespace rddist {
namespace ddp {

Representation parse_representation(const std::string& name) {
  if (name == "auto" || name == "automatic") return Representation::automatic;
  if (name == "exact") return Representation::exact;
  if (name == "categorical") return Representation::categorical;
  if (name == "quantile") return Representation::quantile;
  throw invalid_argument("unknown representation '" + name +
                             "'; use \"auto\", \"categorical\", \"quantile\" or \"exact\"",
                         "parse_representation");
}

std::string to_string(Representation r) {
  switch (r) {
    case Representation::automatic: return "auto";
    case Representation::exact: return "exact";
    case Representation::categorical: return "categorical";
    case Representation::quantile: return "quantile";
  }
  return "?";
}

Distribution::Distribution() : atoms_{0.0}, probs_{1.0} {}

Distribution::Distribution(arma::vec atoms, arma::vec probs, const char* where) {
  fail_if(atoms.n_elem == 0, where, "a distribution needs at least one atom");
  fail_if(atoms.n_elem != probs.n_elem, where, "got ", atoms.n_elem, " atoms but ",
          probs.n_elem, " probabilities");
  double sum = 0.0;
  for (arma::uword k = 0; k < atoms.n_elem; ++k) {
    fail_if(!std::isfinite(atoms[k]), where, "atom ", k + 1, " is not finite");
    fail_if(!std::isfinite(probs[k]) || probs[k] < 0.0, where, "probability ", k + 1, " (",
            probs[k], ") is not a non-negative number");
    sum += probs[k];
  }
  fail_if(std::fabs(sum - 1.0) > 1e-9, where, "probabilities sum to ", sum,
          "; they must sum to 1");
  const arma::uvec order = arma::stable_sort_index(atoms);
  atoms_.set_size(atoms.n_elem);
  probs_.set_size(atoms.n_elem);
  arma::uword n = 0;
  for (arma::uword k = 0; k < order.n_elem; ++k) {
    const double z = atoms[order[k]], p = probs[order[k]] / sum;
    if (n > 0 && atoms_[n - 1] == z) {
      probs_[n - 1] += p;
    } else {
      atoms_[n] = z;
      probs_[n] = p;
      ++n;
    }
  }
  atoms_.resize(n);
  probs_.resize(n);
}

Distribution Distribution::dirac(double z) { return Distribution(arma::vec{z}, arma::vec{1.0}); }

double Distribution::mean() const { return arma::dot(atoms_, probs_); }

double Distribution::cdf(double z) const {
  double F = 0.0;
  for (arma::uword k = 0; k < atoms_.n_elem && atoms_[k] <= z; ++k) F += probs_[k];
  return std::min(F, 1.0);
}

double Distribution::quantile(double tau) const {
  fail_if(!(tau > 0.0 && tau <= 1.0), "Distribution::quantile", "level ", tau,
          " is outside (0, 1]");
  double F = 0.0;
  for (arma::uword k = 0; k < atoms_.n_elem; ++k) {
    F += probs_[k];
    // 1e-12 absorbs the rounding of the cumulative sum at an exact hit of τ.
    if (probs_[k] > 0.0 && F >= tau - 1e-12) return atoms_[k];
  }
  return atoms_.back();
}

double Distribution::cvar(double tau) const {
  fail_if(!(tau > 0.0 && tau <= 1.0), "Distribution::cvar", "level ", tau,
          " is outside (0, 1]");
  double left = tau, acc = 0.0;
  for (arma::uword k = 0; k < atoms_.n_elem && left > 0.0; ++k) {
    const double take = std::min(probs_[k], left);
    acc += take * atoms_[k];
    left -= take;
  }
  // Rounding can leave a sliver of the tail unassigned; it belongs to the last atom used.
  if (left > 0.0) acc += left * atoms_.back();
  return acc / tau;
}

double Distribution::expect(const std::function<double(double)>& f) const {
  double acc = 0.0;
  for (arma::uword k = 0; k < atoms_.n_elem; ++k)
    if (probs_[k] > 0.0) acc += probs_[k] * f(atoms_[k]);
  return acc;
}

Distribution Distribution::affine(double shift, double scale) const {
  fail_if(!(scale > 0.0), "Distribution::affine", "the scale must be positive");
  return Distribution(shift + scale * atoms_, probs_);
}

Distribution mixture(const std::vector<double>& weights, const std::vector<Distribution>& parts) {
  fail_if(weights.size() != parts.size() || parts.empty(), "mixture",
          "give one weight per part and at least one part");
  arma::uword n = 0;
  for (const auto& d : parts) n += d.size();
  arma::vec z(n), p(n);
  arma::uword k = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    fail_if(!(weights[i] >= 0.0), "mixture", "weight ", i + 1, " is negative");
    z.subvec(k, k + parts[i].size() - 1) = parts[i].atoms();
    p.subvec(k, k + parts[i].size() - 1) = weights[i] * parts[i].probs();
    k += parts[i].size();
  }
  return Distribution(std::move(z), std::move(p), "mixture");
}

Distribution merge_atoms(const Distribution& d, double tolerance) {
  const arma::vec& z = d.atoms();
  const arma::vec& p = d.probs();
  arma::vec mz(z.n_elem), mp(z.n_elem);
  arma::uword n = 0;
  double run_start = z[0], mass = 0.0, heaviest = -1.0;
  for (arma::uword k = 0; k < z.n_elem; ++k) {
    if (k > 0 && z[k] - z[k - 1] > tolerance * std::max(1.0, std::fabs(run_start))) {
      mp[n++] = mass;
      run_start = z[k];
      mass = 0.0;
      heaviest = -1.0;
    }
    mass += p[k];
    if (p[k] > heaviest) {
      heaviest = p[k];
      mz[n] = z[k];
    }
  }
  mp[n++] = mass;
  mz.resize(n);
  mp.resize(n);
  return Distribution(std::move(mz), std::move(mp), "merge_atoms");
}

CategoricalSupport::CategoricalSupport(double lo, double hi, arma::uword m, const char* where)
    : lo_(lo), hi_(hi), m_(m) {
  fail_if(m < 2, where, "a categorical representation needs at least 2 atoms (got ", m, ")");
  fail_if(!std::isfinite(lo) || !std::isfinite(hi) || !(lo < hi), where, "support [", lo, ", ",
          hi, "] is not a finite interval with lo < hi");
  step_ = (hi - lo) / static_cast<double>(m - 1);
}

arma::vec CategoricalSupport::atoms() const {
  arma::vec a(m_);
  for (arma::uword j = 0; j < m_; ++j) a[j] = atom(j);
  return a;
}

void add_categorical_projection(const double* atoms, const double* probs, arma::uword n,
                                double weight, double shift, double scale,
                                const CategoricalSupport& s, double* out) {
  const double lo = s.lo(), inv = 1.0 / s.spacing();
  const long long last = static_cast<long long>(s.size()) - 1;
  const double top = static_cast<double>(last);
  // Branch-free: clamping the position to [0, m − 1] sends mass outside the support to the
  // end atoms, and j = min(⌊pos⌋, m − 2) with frac = pos − j also covers pos = m − 1. The
  // right shares go to a separate pass so that consecutive atoms, which usually land in
  // neighbouring cells, do not update the same element back to back.
  thread_local std::vector<double> right;
  right.assign(static_cast<std::size_t>(last) + 1, 0.0);
  for (arma::uword k = 0; k < n; ++k) {
    const double p = weight * probs[k];
    const double pos = std::min(top, std::max(0.0, (shift + scale * atoms[k] - lo) * inv));
    const long long j = std::min(static_cast<long long>(pos), last - 1);
    const double frac = pos - static_cast<double>(j);
    out[j] += p - p * frac;
    right[j + 1] += p * frac;
  }
  for (long long j = 1; j <= last; ++j) out[j] += right[j];
}

Distribution project_categorical(const Distribution& d, const CategoricalSupport& s) {
  arma::vec p(s.size(), arma::fill::zeros);
  add_categorical_projection(d.atoms().memptr(), d.probs().memptr(), d.size(), 1.0, 0.0, 1.0, s,
                             p.memptr());
  return Distribution(s.atoms(), std::move(p), "project_categorical");
}

void quantile_locations(const double* atoms, const double* probs, arma::uword n, arma::uword m,
                        double* out) {
  constexpr double kTie = 1e-11;
  // Reads the next group of equal atoms with positive mass, starting at `pos`.
  auto read = [&](arma::uword& pos, double& value, double& mass) {
    while (pos < n && probs[pos] <= 0.0) ++pos;
    if (pos >= n) return false;
    value = atoms[pos];
    mass = 0.0;
    while (pos < n && (atoms[pos] == value || probs[pos] <= 0.0)) mass += probs[pos++];
    return true;
  };
  arma::uword pos = 0;
  double value = 0.0, mass = 0.0;
  if (!read(pos, value, mass)) {
    for (arma::uword i = 0; i < m; ++i) out[i] = 0.0;
    return;
  }
  double cum = mass;
  for (arma::uword i = 0; i < m; ++i) {
    const double tau = (2.0 * i + 1.0) / (2.0 * m);
    double next_value = 0.0, next_mass = 0.0;
    while (cum < tau - kTie) {
      if (!read(pos, next_value, next_mass)) break;
      value = next_value;
      cum += next_mass;
    }
    out[i] = value;
    if (std::fabs(cum - tau) <= kTie) {
      arma::uword peek = pos;
      if (read(peek, next_value, next_mass)) out[i] = 0.5 * (value + next_value);
    }
  }
}

Distribution project_quantile(const Distribution& d, arma::uword m) {
  fail_if(m < 1, "project_quantile", "a quantile representation needs at least 1 atom");
  arma::vec loc(m);
  quantile_locations(d.atoms().memptr(), d.probs().memptr(), d.size(), m, loc.memptr());
  return Distribution(std::move(loc), arma::vec(m, arma::fill::value(1.0 / m)),
                      "project_quantile");
}

Distribution project(const Distribution& d, Representation r, const CategoricalSupport& s,
                     arma::uword m, double merge_tolerance) {
  switch (r) {
    case Representation::exact: return merge_atoms(d, merge_tolerance);
    case Representation::categorical: return project_categorical(d, s);
    case Representation::quantile: return project_quantile(d, m);
    case Representation::automatic: break;
  }
  throw invalid_argument("resolve the automatic representation before projecting", "project");
}

namespace {

// ∫ g(F_a − F_b) over the real line for g(u) = |u| (power 1) or u² (power 2).
double integrate_cdf_gap(const Distribution& a, const Distribution& b, int power) {
  const arma::vec &za = a.atoms(), &zb = b.atoms(), &pa = a.probs(), &pb = b.probs();
  arma::uword i = 0, j = 0;
  double Fa = 0.0, Fb = 0.0, acc = 0.0;
  double x = std::min(za[0], zb[0]);
  while (i < za.n_elem || j < zb.n_elem) {
    const double next = std::min(i < za.n_elem ? za[i] : INFINITY, j < zb.n_elem ? zb[j] : INFINITY);
    const double gap = Fa - Fb;
    acc += (next - x) * (power == 1 ? std::fabs(gap) : gap * gap);
    x = next;
    while (i < za.n_elem && za[i] == next) Fa += pa[i++];
    while (j < zb.n_elem && zb[j] == next) Fb += pb[j++];
  }
  return acc;
}

}  // namespace

double wasserstein1(const Distribution& a, const Distribution& b) {
  return integrate_cdf_gap(a, b, 1);
}

double cramer(const Distribution& a, const Distribution& b) {
  return std::sqrt(integrate_cdf_gap(a, b, 2));
}

}  // namespace ddp
}  // namespace rddist
