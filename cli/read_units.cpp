// read_units.cpp — from command-line options to the reader of the chosen format.
#include "read_units.h"

#include "long_data.h"
#include "quantile_data.h"

namespace rddist::cli {

UnitTable read_units(const CliOptions& o, const Settings& s, const Hooks& hooks) {
  if (o.format == "quantiles") {
    QuantileReadOptions q;
    q.path = o.input;
    q.x = o.x;
    q.treatment = o.treatment;
    q.id = o.id.empty() ? std::string() : o.id.front();
    q.cluster = o.cluster;
    q.qcols = o.qcols;
    q.drop_missing = o.drop_missing;
    q.q_grid = s.q_grid;
    return read_quantile_data(q, hooks);
  }
  LongReadOptions l;
  l.path = o.input;
  if (!o.id.empty()) l.columns.id = o.id;  // default: "unit"
  l.columns.x = o.x;
  l.columns.y = o.y;
  l.columns.treatment = o.treatment;
  l.columns.weight = o.weight;
  l.columns.cluster = o.cluster;
  l.drop_missing = o.drop_missing;
  l.order = o.sorted ? RowOrder::grouped : o.any_order ? RowOrder::any : RowOrder::automatic;
  l.q_grid = s.q_grid;
  l.quantile_type = s.quantile_type;
  l.threads = s.threads;
  UnitTable table = read_long_data(l, hooks);
  table.q_grid = s.q_grid;
  return table;
}

}  // namespace rddist::cli
