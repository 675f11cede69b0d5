// summary.h — the human-readable summary of `rddist estimate --summary`.
//
// The same layout as the R package's print() of a fit: the design and the counts, the
// bandwidths, a table of at most nine levels (the deciles when the grid has them) with
// the effect, its standard error, pointwise interval, uniform band and p-values, then
// the band's critical value and the tests. Every number comes from the analysis result;
// nothing is recomputed here.
#ifndef RDDIST_CLI_SUMMARY_H
#define RDDIST_CLI_SUMMARY_H

#include <string>

#include "rddist/r3d/analysis.h"
#include "rddist/r3d/request.h"

namespace rddist::cli {

// Positions of the levels shown: the nine deciles when all are on the grid, every level
// of a grid of at most nine, otherwise nine levels evenly spread.
arma::uvec summary_levels(const arma::vec& q);

std::string summary_text(const AnalysisResult& result, const AnalysisRequest& request);

// A bandwidth in words: "0.4", "0.3 to 0.6 (one per level)", or the two sides'
// ("0.4 above, 0.3 below the cutoff"); also the plot's subtitle uses it.
std::string bandwidth_text(const arma::vec& above, const arma::vec& below);

}  // namespace rddist::cli

#endif  // RDDIST_CLI_SUMMARY_H
