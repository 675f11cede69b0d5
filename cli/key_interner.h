// key_interner.h — maps unit keys (text) to dense integer ids 0, 1, 2, ... .
//
// Reading ten million rows must not keep ten million strings: each distinct key is
// stored once in an arena and every row carries only its 32-bit id. An open-addressing
// hash table (linear probing, load factor at most 1/2) finds the id of a key without
// building a std::string; the last key found is checked first, since rows of a unit
// often arrive together; batches of keys can be prefetched. Ids are given in order of first appearance; sorted_ids() gives
// the byte-wise ascending order of the keys, which the readers use so that results never
// depend on the order of the rows.
#ifndef RDDIST_CLI_KEY_INTERNER_H
#define RDDIST_CLI_KEY_INTERNER_H

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace rddist::cli {

class KeyInterner {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

  // Id of key, adding it when new; *added tells which.
  std::uint32_t intern(std::string_view key, bool* added = nullptr) {
    return intern(key, hash(key), added);
  }
  // The same with the key's hash already computed (see prefetch).
  std::uint32_t intern(std::string_view key, std::uint64_t hash, bool* added);
  static std::uint64_t hash(std::string_view key);
  // Starts loading the slot where a key with this hash would be found: a reader that
  // hashes a batch of keys first and looks them up afterwards waits for memory once per
  // batch instead of once per row.
  void prefetch(std::uint64_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[hash & (slots_.size() - 1)]);
  }
  // Id of key, or kNone.
  std::uint32_t find(std::string_view key) const;
  std::string_view key(std::uint32_t id) const { return key_at(offsets_[id]); }
  std::size_t size() const { return hashes_.size(); }
  // Ids ordered by their keys, byte-wise ascending.
  std::vector<std::uint32_t> sorted_ids() const;
  // rank[id] = position of the key in byte-wise ascending order.
  std::vector<std::uint32_t> ranks() const;

 private:
  // A slot holds what a lookup compares: the length and the first kHead bytes of the key
  // (the whole key, for typical ids), so that a lookup usually costs one cache miss.
  static constexpr std::size_t kHead = 16;
  struct Slot {
    std::uint32_t id1 = 0;     // id + 1; 0 marks an empty slot
    std::uint32_t length = 0;  // key length
    std::uint64_t offset = 0;  // where the key's length prefix starts in arena_
    char head[kHead] = {};     // the key's first bytes
  };
  static_assert(sizeof(Slot) == 32, "two slots per cache line");
  void grow();
  bool matches(const Slot& slot, std::string_view key) const {
    if (slot.length != key.size()) return false;
    const std::size_t h = key.size() < kHead ? key.size() : kHead;
    if (std::memcmp(slot.head, key.data(), h) != 0) return false;
    return key.size() <= kHead ||
           std::memcmp(arena_.data() + slot.offset + 4 + kHead, key.data() + kHead,
                       key.size() - kHead) == 0;
  }
  std::string_view key_at(std::uint64_t offset) const {
    std::uint32_t length = 0;
    std::memcpy(&length, arena_.data() + offset, sizeof length);
    return std::string_view(arena_.data() + offset + sizeof length, length);
  }
  Slot make_slot(std::uint32_t id) const;

  std::string arena_;                   // [length][bytes] of every key, back to back
  std::vector<std::uint64_t> offsets_;  // where key i's length prefix starts in arena_
  std::vector<std::uint64_t> hashes_;   // hash of key i, reused when the table grows
  std::vector<Slot> slots_;
  std::size_t last_slot_ = 0;           // slot of the last key found or added
  bool have_last_ = false;
};

}  // namespace rddist::cli

#endif  // RDDIST_CLI_KEY_INTERNER_H
