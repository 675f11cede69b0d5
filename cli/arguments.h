// arguments.h — how the command line spells the core's arguments.
//
// The core names arguments by canonical ids in its messages (rddist/error.h); the tool
// renders them as its options: {bandwidth} → --bandwidth, {method=simple} → --method simple.
#ifndef RDDIST_CLI_ARGUMENTS_H
#define RDDIST_CLI_ARGUMENTS_H

#include <string>

namespace rddist::cli {

// The option (with `value`, when given) that holds the core's argument `id`; empty for
// an id the command line has no option for.
std::string spell_cli(const std::string& id, const std::string& value);

// A core message template in the command line's words.
std::string cli_message(const std::string& text);

}  // namespace rddist::cli

#endif  // RDDIST_CLI_ARGUMENTS_H
