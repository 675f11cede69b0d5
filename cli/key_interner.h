// key_interner.h — maps unit keys (text) to dense integer ids 0, 1, 2, ... .
//
// Reading ten million rows must not keep ten million strings: each distinct key is
// stored once in an arena and every row carries only its 32-bit id. An open-addressing
// hash table (linear probing, load factor at most 1/2) finds the id of a key without
// building a std::string. Ids are given in order of first appearance; sorted_ids()
// gives the byte-wise ascending order of the keys, which the readers use so that
// results never depend on the order of the rows.
#ifndef RDDIST_CLI_KEY_INTERNER_H
#define RDDIST_CLI_KEY_INTERNER_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rddist::cli {

class KeyInterner {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

  // Id of key, adding it when new; *added tells which.
  std::uint32_t intern(std::string_view key, bool* added = nullptr);
  // Id of key, or kNone.
  std::uint32_t find(std::string_view key) const;
  std::string_view key(std::uint32_t id) const {
    return std::string_view(arena_.data() + offsets_[id], offsets_[id + 1] - offsets_[id]);
  }
  std::size_t size() const { return hashes_.size(); }
  // Ids ordered by their keys, byte-wise ascending.
  std::vector<std::uint32_t> sorted_ids() const;
  // rank[id] = position of the key in byte-wise ascending order.
  std::vector<std::uint32_t> ranks() const;

 private:
  void grow();
  std::string arena_;
  std::vector<std::size_t> offsets_{0};  // key i is arena_[offsets_[i], offsets_[i+1])
  std::vector<std::uint64_t> hashes_;    // hash of each key, reused when the table grows
  std::vector<std::uint32_t> slots_;     // id + 1, or 0 for an empty slot
};

}  // namespace rddist::cli

#endif  // RDDIST_CLI_KEY_INTERNER_H
