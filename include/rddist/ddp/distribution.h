// distribution.h — finitely supported return distributions and their projections
// (doc/ddp.md §3).
//
// A Distribution is a finite list of atoms z_1 < ... < z_n with probabilities p_k >= 0
// summing to one, values and probabilities stored apart: merging atoms adds
// probabilities and keeps one of the merged values as it was computed, never a weighted
// mean (Σ p·z / Σ p need not give back z: (0.7·3)/0.7 = 2.9999999999999996, which then
// fails a threshold at 3). Three representations are used by the solvers:
//   exact        all atoms; atoms equal within a relative tolerance (rounding noise of
//                sums computed in different orders) are one atom;
//   categorical  probabilities on m evenly spaced atoms θ_1..θ_m over [lo, hi]; the Cramér
//                projection splits the mass of an atom between its two neighbours linearly
//                (mass outside [lo, hi] goes to the end atom). It preserves the mean of laws
//                supported in [lo, hi] and E g for every g linear between the atoms;
//   quantile     m atoms of mass 1/m at the quantiles of levels τ_i = (2i−1)/(2m) (the W1
//                projection). When the CDF equals τ_i exactly at an atom z_k, every point of
//                [z_k, z_{k+1}] is W1-optimal; we take the midpoint, without which fixed
//                points are biased (doc/ddp.md §7, T5).
// `automatic` is a request, resolved by the solver: exact where stocks are enumerated and
// the laws stay small, categorical otherwise (solver.h).
// Low-level versions working on raw arrays serve the solvers' inner loops.
#ifndef RDDIST_DDP_DISTRIBUTION_H
#define RDDIST_DDP_DISTRIBUTION_H

#include <functional>
#include <string>
#include <vector>

#include "rddist/arma.h"

namespace rddist {
namespace ddp {

enum class Representation { automatic, exact, categorical, quantile };

Representation parse_representation(const std::string& name);  // auto, exact, categorical, quantile
std::string to_string(Representation representation);

class Distribution {
 public:
  // The point mass at zero (the return after termination).
  Distribution();
  // Atoms in any order with non-negative probabilities summing to 1 within 1e-9 (they are
  // rescaled to sum to exactly 1); equal atoms are combined. Throws invalid_argument.
  Distribution(arma::vec atoms, arma::vec probs, const char* where = "Distribution");
  static Distribution dirac(double z);

  arma::uword size() const { return atoms_.n_elem; }
  const arma::vec& atoms() const { return atoms_; }  // increasing
  const arma::vec& probs() const { return probs_; }
  double min() const { return atoms_.front(); }
  double max() const { return atoms_.back(); }
  double mean() const;
  double cdf(double z) const;         // P(Z <= z)
  double quantile(double tau) const;  // lower quantile inf{z : P(Z <= z) >= τ}, τ in (0, 1]
  double cvar(double tau) const;      // mean of the lower τ tail, τ in (0, 1]
  double expect(const std::function<double(double)>& f) const;  // E f(Z)
  // Law of shift + scale·Z (scale > 0).
  Distribution affine(double shift, double scale) const;

 private:
  arma::vec atoms_, probs_;
};

// Σ_k weights[k] · parts[k]; weights non-negative summing to 1.
Distribution mixture(const std::vector<double>& weights, const std::vector<Distribution>& parts);

// Merges runs of atoms whose gaps are at most tolerance·max(1, |z|) into one atom carrying
// their total probability, at the value of the run's most probable atom (the first of
// equally probable ones): a value that was computed, not a mean. The mean moves by at most
// tolerance·max(1, |z|). tolerance = 0 merges only equal values.
Distribution merge_atoms(const Distribution& d, double tolerance);

// m evenly spaced atoms over [lo, hi], m >= 2, lo < hi.
class CategoricalSupport {
 public:
  CategoricalSupport() = default;
  CategoricalSupport(double lo, double hi, arma::uword m, const char* where = "CategoricalSupport");
  double lo() const { return lo_; }
  double hi() const { return hi_; }
  arma::uword size() const { return m_; }
  double spacing() const { return step_; }
  double atom(arma::uword j) const { return j + 1 == m_ ? hi_ : lo_ + step_ * j; }
  arma::vec atoms() const;

 private:
  double lo_ = 0.0, hi_ = 1.0, step_ = 1.0;
  arma::uword m_ = 2;
};

// Cramér projection; the result keeps all m support atoms (some may have probability 0).
Distribution project_categorical(const Distribution& d, const CategoricalSupport& support);
// W1 projection onto m equal-mass atoms with the midpoint tie rule (equal atoms combined).
Distribution project_quantile(const Distribution& d, arma::uword m);
// Projection onto a representation; `exact` merges atoms within merge_tolerance
// (`automatic` is not a representation; resolve it first).
Distribution project(const Distribution& d, Representation representation,
                     const CategoricalSupport& support, arma::uword m, double merge_tolerance);

// Adds weight·Σ_k probs[k]·Π_C δ_{shift + scale·atoms[k]} to out[0..m−1] (scale > 0).
void add_categorical_projection(const double* atoms, const double* probs, arma::uword n,
                                double weight, double shift, double scale,
                                const CategoricalSupport& support, double* out);
// Writes the m quantile-projection locations of the law Σ probs[k] δ_{atoms[k]}; the atoms
// must be sorted increasingly (ties allowed). Levels whose CDF value is hit within 1e-11
// use the midpoint rule.
void quantile_locations(const double* atoms, const double* probs, arma::uword n, arma::uword m,
                        double* out);

// W1 = ∫|F − G| and the Cramér distance ℓ2 = (∫(F − G)²)^{1/2}.
double wasserstein1(const Distribution& a, const Distribution& b);
double cramer(const Distribution& a, const Distribution& b);

}  // namespace ddp
}  // namespace rddist

#endif  // RDDIST_DDP_DISTRIBUTION_H
