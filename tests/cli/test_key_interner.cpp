// Tests of the key interner: dense ids, long keys, growth, byte-wise order.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "key_interner.h"

using rddist::cli::KeyInterner;

TEST_CASE("keys get dense ids in order of first appearance and are found again", "[keys]") {
  KeyInterner keys;
  bool added = false;
  CHECK(keys.intern("b", &added) == 0);
  CHECK(added);
  CHECK(keys.intern("a", &added) == 1);
  CHECK(keys.intern("b", &added) == 0);
  CHECK_FALSE(added);
  CHECK(keys.find("a") == 1);
  CHECK(keys.find("c") == KeyInterner::kNone);
  CHECK(keys.key(0) == "b");
}

TEST_CASE("long keys sharing their first bytes stay distinct through growth", "[keys]") {
  KeyInterner keys;
  const std::string prefix(40, 'k');
  for (int i = 0; i < 50000; ++i) REQUIRE(keys.intern(prefix + std::to_string(i)) == static_cast<std::uint32_t>(i));
  for (int i = 0; i < 50000; i += 997) {
    bool added = true;
    CHECK(keys.intern(prefix + std::to_string(i), &added) == static_cast<std::uint32_t>(i));
    CHECK_FALSE(added);
  }
  CHECK(keys.size() == 50000);
  CHECK(keys.find(prefix) == KeyInterner::kNone);
  // Keys with embedded NUL (joined id columns) and empty keys are ordinary keys.
  const std::string joined("CT\0" "1990", 7);
  CHECK(keys.intern(joined) == 50000);
  CHECK(keys.intern(std::string("CT\0" "1991", 7)) == 50001);
  CHECK(keys.find(joined) == 50000);
}

TEST_CASE("sorted ids follow byte-wise order, bytes above 0x7F last", "[keys]") {
  KeyInterner keys;
  for (const char* k : {"b", "\xC3\xA9t\xC3\xA9", "a10", "a2", "A", "a"}) keys.intern(k);
  std::vector<std::string> sorted;
  for (std::uint32_t id : keys.sorted_ids()) sorted.emplace_back(keys.key(id));
  CHECK(sorted == std::vector<std::string>{"A", "a", "a10", "a2", "b", "\xC3\xA9t\xC3\xA9"});
  const std::vector<std::uint32_t> rank = keys.ranks();
  CHECK(rank[0] == 4);  // "b"
  CHECK(rank[4] == 0);  // "A"
}
