// Catch2 entry point for the unit tests of the command-line pieces.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
