// solution.cpp — the queries of a Solution: actions, values, expected returns and the
// laws reported from them (doc/ddp.md §2–§4, §6).
//
// Values and expected returns come from the recursion the solver ran; laws are computed on
// request. In exact mode a law is the exact law of the return from the node under the
// policy (a forward pass, solver_exact.cpp) projected once onto the representation; on a
// grid the laws of all grid stocks under the decided policy are evaluated on first request
// and kept.
#include <algorithm>
#include <cmath>

#include "internal.h"
#include "rddist/error.h"

namespace rddist {
namespace ddp {
namespace detail {

double SolutionData::stock_tolerance(double c) const {
  return options.merge_tolerance * std::max(1.0, std::fabs(c));
}

arma::uword SolutionData::find_node(arma::uword x, arma::uword t, double c) const {
  const auto& map = index.at(x + n_states() * time_key(t));
  const double tol = stock_tolerance(c);
  auto it = map.lower_bound(c - tol);
  if (it != map.end() && it->first <= c + tol) return it->second;
  return nodes.size();
}

bool SolutionData::exact_action(arma::uword x, arma::uword t, double c, arma::uword* action) const {
  const StockRegion r = region(x, t, c);
  if (r != StockRegion::inside) {
    *action = closed_action(x, t, r);
    return true;
  }
  const arma::uword k = find_node(x, t, c);
  if (k < nodes.size()) {
    *action = nodes[k].action;
    return true;
  }
  const double lo = bounds.lo_at(x, time_key(t)), hi = bounds.hi_at(x, time_key(t));
  const double near = 1e-9 * std::max({1.0, std::fabs(c), std::fabs(lo), std::fabs(hi)});
  if (!closed_form || std::min(std::fabs(c + lo), std::fabs(c + hi)) > near) return false;
  *action = closed_action(x, t, std::fabs(c + lo) <= std::fabs(c + hi) ? StockRegion::above
                                                                         : StockRegion::below);
  return true;
}

Distribution SolutionData::column_law(const arma::mat& cols, arma::uword col) const {
  const double* p = cols.colptr(col);
  if (rep == Representation::categorical)
    return Distribution(support.atoms(), arma::vec(p, m), "Solution::return_distribution");
  return Distribution(arma::vec(p, m), arma::vec(m, arma::fill::value(1.0 / m)),
                      "Solution::return_distribution");
}

const StockBlindLaws& SolutionData::rn_laws(bool max, const Hooks& hooks) const {
  const int k = max ? 0 : 1;
  std::call_once(rn_once_[k], [&] {
    const double tol = std::min(1e-10, options.tolerance);
    rn_laws_[k] = evaluate_stock_blind(mdp, (max ? rn_max : rn_min).action, rep, support, m, tol,
                                       1000000, options.merge_tolerance, hooks);
  });
  return rn_laws_[k];
}

const arma::mat& SolutionData::grid_laws(const Hooks& hooks) const {
  if (columns.n_elem > 0) return columns;
  std::call_once(grid_once_, [&] { grid_laws_ = evaluate_grid_policy(*this, hooks); });
  return grid_laws_;
}

double projection_error(const SolutionData& s) {
  switch (s.rep) {
    case Representation::categorical: return s.support.spacing() / 2.0;
    case Representation::quantile:
      return (s.bounds.max() - s.bounds.min()) / (2.0 * static_cast<double>(s.m));
    default: return 0.0;
  }
}

void law_to_column(const Distribution& d, Representation rep, const CategoricalSupport& s,
                   arma::uword m, double* out) {
  if (rep == Representation::categorical) {
    std::fill(out, out + m, 0.0);
    add_categorical_projection(d.atoms().memptr(), d.probs().memptr(), d.size(), 1.0, 0.0, 1.0, s,
                               out);
  } else {
    quantile_locations(d.atoms().memptr(), d.probs().memptr(), d.size(), m, out);
  }
}

}  // namespace detail

const detail::SolutionData& Solution::d() const {
  fail_if(!data_, "Solution", "this solution is empty; obtain one from ddp::solve");
  return *data_;
}

const Mdp& Solution::mdp() const { return d().mdp; }
const Objective& Solution::objective() const { return d().objective; }
const SolveOptions& Solution::options() const { return d().options; }
StockMode Solution::stock_mode() const { return d().mode; }
Representation Solution::representation() const { return d().rep; }
const CategoricalSupport& Solution::support() const { return d().support; }
const ReturnBounds& Solution::bounds() const { return d().bounds; }
const arma::vec& Solution::stock_grid() const {
  static const arma::vec none;
  return d().mode == StockMode::grid ? d().grid.points() : none;
}
arma::uword Solution::n_nodes() const { return d().nodes.size(); }
arma::uword Solution::iterations() const { return d().iterations; }
arma::uword Solution::sweeps() const { return d().sweeps; }
bool Solution::converged() const { return d().converged; }
double Solution::residual() const { return d().residual; }
arma::uword Solution::clamped() const { return d().clamped; }
arma::uword Solution::rounded() const { return d().rounded; }
double Solution::seconds() const { return d().seconds; }
const MeanPolicy& Solution::risk_neutral() const { return d().rn_max; }

double Solution::law_error_bound() const {
  const auto& s = d();
  if (s.rep == Representation::exact) return 0.0;
  const double step = detail::projection_error(s);
  const double g = s.mdp.gamma();
  // Σ_{t<T} γ^t over the steps of an episode: T = H, at most S steps in an acyclic MDP.
  auto steps = [&](double T) { return g < 1.0 ? (1.0 - std::pow(g, T)) / (1.0 - g) : T; };
  if (s.mode == StockMode::exact) {
    if (s.node_laws.empty()) return step;  // exact law, projected once
    return step * steps(static_cast<double>(s.mdp.has_horizon() ? s.mdp.horizon() : s.n_states()));
  }
  if (s.mdp.has_horizon()) return step * steps(static_cast<double>(s.mdp.horizon()));
  if (g == 1.0) return INFINITY;
  return (step + detail::law_tolerance(s) * g) / (1.0 - g);
}

Distribution Solution::risk_neutral_distribution(arma::uword state, arma::uword time,
                                                 const Hooks& hooks) const {
  const auto& s = d();
  fail_if(state >= s.n_states(), "Solution::risk_neutral_distribution", "state ", state,
          " is out of range");
  fail_if(s.mdp.has_horizon() && time > s.mdp.horizon(), "Solution::risk_neutral_distribution",
          "time ", time, " is beyond the horizon");
  if (s.mdp.has_horizon() && time == s.mdp.horizon()) return Distribution();
  if (s.mode == StockMode::exact && s.node_laws.empty()) {
    // Exact law by the forward pass (the policy does not look at the stock), then projected.
    const MeanPolicy& rn = s.rn_max;
    const PolicyFunction policy = [&rn](arma::uword x, double, arma::uword t) {
      return rn.action_at(x, t);
    };
    try {
      const detail::ForwardPass pass = detail::forward_pass(
          s.mdp, policy, state, time, 0.0, s.options.max_nodes, s.options.merge_tolerance, hooks);
      const Distribution law(arma::vec(pass.z), arma::vec(pass.p),
                             "Solution::risk_neutral_distribution");
      return project(law, s.rep, s.support, s.m, s.options.merge_tolerance);
    } catch (const data_error&) {
      // Too many stocks for the forward pass: backward composition in the representation.
    }
  }
  return s.rn_laws(true, hooks).at(state, s.time_key(time));
}

namespace {

void check_query(const detail::SolutionData& s, arma::uword x, double c, arma::uword t,
                 const char* where) {
  fail_if(x >= s.n_states(), where, "state index ", x, " is out of range (", s.n_states(),
          " states)");
  fail_if(!std::isfinite(c), where, "the stock must be finite");
  fail_if(s.mdp.has_horizon() && t >= s.mdp.horizon(), where, "time ", t,
          " is not before the horizon ", s.mdp.horizon());
}

// Exact mode: the node at (x, t, c), or a message that it was not reached.
arma::uword reached_node(const detail::SolutionData& s, arma::uword x, arma::uword t, double c,
                         const char* where) {
  const arma::uword k = s.find_node(x, t, c);
  fail_if(k == s.nodes.size(), where, "state '", s.mdp.state_label(x), "' with stock ", c,
          " at time ", t, " is not reached from the start state with start stock ",
          s.options.start_stock, "; exact stock enumeration only solves reachable stocks "
          "(use a stock grid for a policy over all stocks)");
  return k;
}

// Grid mode: a quantity stored per grid column at time 0, interpolated as the rounding does.
double grid_interpolate(const detail::SolutionData& s, const arma::vec& per_column,
                        arma::uword x, double c) {
  const arma::uword base = x * s.grid.size();
  if (s.options.rounding == Rounding::nearest) return per_column[base + s.grid.nearest(c)];
  const StockGrid::Position p = s.grid.locate(c);
  if (p.upper_weight == 0.0) return per_column[base + p.lower];
  return (1.0 - p.upper_weight) * per_column[base + p.lower] +
         p.upper_weight * per_column[base + p.lower + 1];
}

}  // namespace

arma::uword Solution::action(arma::uword x, double c, arma::uword t) const {
  const auto& s = d();
  check_query(s, x, c, t, "Solution::action");
  const StockRegion r = s.region(x, t, c);
  if (r != StockRegion::inside) return s.closed_action(x, t, r);
  if (s.mode == StockMode::grid) {
    const arma::uword layer = s.mdp.has_horizon() ? t : 0;
    return s.policy[(layer * s.n_states() + x) * s.grid.size() + s.grid.nearest(c)];
  }
  arma::uword a = 0;
  if (!s.exact_action(x, t, c, &a)) reached_node(s, x, t, c, "Solution::action");  // throws
  return a;
}

Distribution Solution::return_distribution(arma::uword x, double c, arma::uword t,
                                           const Hooks& hooks) const {
  const auto& s = d();
  const char* where = "Solution::return_distribution";
  check_query(s, x, c, t, where);
  if (s.mode == StockMode::exact) {
    if (s.region(x, t, c) == StockRegion::inside) reached_node(s, x, t, c, where);
    return detail::exact_mode_law(s, x, t, c, hooks);
  }
  const StockRegion r = s.region(x, t, c);
  if (r != StockRegion::inside) return s.closed_law(x, t, r, hooks);
  fail_if(t != 0, where, "a grid solution keeps the return distributions of time 0 only");
  const arma::mat& laws = s.grid_laws(hooks);
  const arma::uword base = x * s.grid.size();
  if (s.options.rounding == Rounding::nearest) return s.column_law(laws, base + s.grid.nearest(c));
  const StockGrid::Position p = s.grid.locate(c);
  if (p.upper_weight == 0.0) return s.column_law(laws, base + p.lower);
  if (p.upper_weight == 1.0) return s.column_law(laws, base + p.lower + 1);
  return mixture({1.0 - p.upper_weight, p.upper_weight},
                 {s.column_law(laws, base + p.lower), s.column_law(laws, base + p.lower + 1)});
}

double Solution::value(arma::uword x, double c, arma::uword t) const {
  const auto& s = d();
  const char* where = "Solution::value";
  check_query(s, x, c, t, where);
  const StockRegion r = s.region(x, t, c);
  if (s.mode == StockMode::exact) {
    if (r != StockRegion::inside && s.scalar_decisions) return s.closed_value(x, t, c, r);
    if (r != StockRegion::inside) return s.objective.evaluate(s.closed_law(x, t, r, Hooks()), c);
    return s.nodes[reached_node(s, x, t, c, where)].value;
  }
  fail_if(t != 0, where, "a grid solution keeps the values of time 0 only");
  if (!s.columns.empty() && (r != StockRegion::inside || s.grid.locate(c).outside))
    return s.objective.evaluate(return_distribution(x, c, t), c);  // forced: K of the law
  if (r != StockRegion::inside) return s.closed_value(x, t, c, r);
  const StockGrid::Position p = s.grid.locate(c);
  if (!p.outside) return grid_interpolate(s, s.values, x, c);
  // Beyond the grid: V extended linearly from the two end points, as the solver does.
  const arma::vec& g = s.grid.points();
  const double w = (c - g[p.lower]) / (g[p.lower + 1] - g[p.lower]);
  const arma::uword base = x * s.grid.size() + p.lower;
  return (1.0 - w) * s.values[base] + w * s.values[base + 1];
}

double Solution::expected_return(arma::uword x, double c, arma::uword t) const {
  const auto& s = d();
  const char* where = "Solution::expected_return";
  check_query(s, x, c, t, where);
  const StockRegion r = s.region(x, t, c);
  if (r != StockRegion::inside) return s.closed_mean(x, t, r);
  if (s.mode == StockMode::exact) return s.nodes[reached_node(s, x, t, c, where)].mean;
  fail_if(t != 0, where, "a grid solution keeps the expected returns of time 0 only");
  if (s.grid.locate(c).outside) return s.means[x * s.grid.size() + s.grid.nearest(c)];
  return grid_interpolate(s, s.means, x, c);
}

namespace {

// Exact mode: the stocks of the closed-form region are not enumerated (the expected-return
// policy decides there), so without these rows a state reached only through that region
// would have none — every state, for the mean. The policy is followed from the enumerated
// nodes into the region and through it, and each stock it reaches gets its closed-form
// decision, up to max_nodes rows in all.
void add_closed_rows(const detail::SolutionData& s, std::vector<PolicyRow>* rows) {
  const Mdp& mdp = s.mdp;
  const arma::uword S = s.n_states(), H = mdp.horizon();
  std::vector<std::map<double, char>> seen(S * (H > 0 ? H + 1 : 1));
  auto fresh = [&](arma::uword x, arma::uword t, double c) {
    auto& m = seen[x + S * s.time_key(t)];
    const double tol = s.stock_tolerance(c);
    const auto it = m.lower_bound(c - tol);
    if (it != m.end() && it->first <= c + tol) return false;
    m.emplace(c, 0);
    return true;
  };
  for (std::size_t k = 0; k < rows->size() && rows->size() < s.options.max_nodes; ++k) {
    const PolicyRow row = (*rows)[k];
    for (const Outcome& o : mdp.outcomes(row.state, row.action)) {
      if (o.next == kTerminal || (H > 0 && row.time + 1 == H)) continue;
      const arma::uword t = s.time_key(row.time + 1);
      const double c = (row.stock + o.reward) / mdp.gamma();
      const StockRegion r = s.region(o.next, t, c);
      if (r == StockRegion::inside || !fresh(o.next, t, c)) continue;  // enumerated, or seen
      rows->push_back({o.next, t, c, s.closed_action(o.next, t, r)});
      if (rows->size() >= s.options.max_nodes) break;
    }
  }
}

}  // namespace

std::vector<PolicyRow> Solution::policy_table() const {
  const auto& s = d();
  std::vector<PolicyRow> rows;
  if (s.mode == StockMode::grid) {
    const arma::uword K = s.grid.size(), S = s.n_states();
    rows.reserve(s.layers * S * K);
    for (arma::uword t = 0; t < s.layers; ++t)
      for (arma::uword x = 0; x < S; ++x)
        for (arma::uword i = 0; i < K; ++i)
          rows.push_back({x, t, s.grid.points()[i], s.policy[(t * S + x) * K + i]});
    return rows;
  }
  rows.reserve(s.nodes.size());
  for (const detail::Node& n : s.nodes) rows.push_back({n.state, n.time, n.stock, n.action});
  add_closed_rows(s, &rows);
  std::sort(rows.begin(), rows.end(), [](const PolicyRow& a, const PolicyRow& b) {
    if (a.time != b.time) return a.time < b.time;
    if (a.state != b.state) return a.state < b.state;
    return a.stock < b.stock;
  });
  return rows;
}

std::function<arma::uword(arma::uword, double, arma::uword)> Solution::policy() const {
  d();
  const Solution self = *this;
  return [self](arma::uword x, double c, arma::uword t) { return self.action(x, c, t); };
}

}  // namespace ddp
}  // namespace rddist
