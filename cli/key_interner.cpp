// key_interner.cpp — open-addressing hash table over an arena of keys (see key_interner.h).
#include "key_interner.h"

#include <algorithm>
#include <functional>

#include "rddist/error.h"

namespace rddist::cli {
namespace {

std::uint64_t hash_key(std::string_view key) { return std::hash<std::string_view>{}(key); }

}  // namespace

std::uint32_t KeyInterner::find(std::string_view key) const {
  if (slots_.empty()) return kNone;
  const std::uint64_t h = hash_key(key);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t s = h & mask;; s = (s + 1) & mask) {
    const std::uint32_t slot = slots_[s];
    if (slot == 0) return kNone;
    if (hashes_[slot - 1] == h && this->key(slot - 1) == key) return slot - 1;
  }
}

std::uint32_t KeyInterner::intern(std::string_view key, bool* added) {
  if (2 * (hashes_.size() + 1) > slots_.size()) grow();
  const std::uint64_t h = hash_key(key);
  const std::size_t mask = slots_.size() - 1;
  std::size_t s = h & mask;
  for (;; s = (s + 1) & mask) {
    const std::uint32_t slot = slots_[s];
    if (slot == 0) break;
    if (hashes_[slot - 1] == h && this->key(slot - 1) == key) {
      if (added) *added = false;
      return slot - 1;
    }
  }
  if (hashes_.size() >= kNone - 1)
    throw data_error("more than 4 billion distinct unit keys; rddist supports at most 2^32 - 2");
  const auto id = static_cast<std::uint32_t>(hashes_.size());
  arena_.append(key.data(), key.size());
  offsets_.push_back(arena_.size());
  hashes_.push_back(h);
  slots_[s] = id + 1;
  if (added) *added = true;
  return id;
}

void KeyInterner::grow() {
  const std::size_t n = slots_.empty() ? 1024 : 2 * slots_.size();
  std::vector<std::uint32_t> fresh(n, 0);
  const std::size_t mask = n - 1;
  for (std::uint32_t id = 0; id < hashes_.size(); ++id) {
    std::size_t s = hashes_[id] & mask;
    while (fresh[s] != 0) s = (s + 1) & mask;
    fresh[s] = id + 1;
  }
  slots_.swap(fresh);
}

std::vector<std::uint32_t> KeyInterner::sorted_ids() const {
  std::vector<std::uint32_t> ids(size());
  for (std::uint32_t i = 0; i < ids.size(); ++i) ids[i] = i;
  std::sort(ids.begin(), ids.end(),
            [this](std::uint32_t a, std::uint32_t b) { return key(a) < key(b); });
  return ids;
}

std::vector<std::uint32_t> KeyInterner::ranks() const {
  const std::vector<std::uint32_t> ids = sorted_ids();
  std::vector<std::uint32_t> rank(ids.size());
  for (std::uint32_t r = 0; r < ids.size(); ++r) rank[ids[r]] = r;
  return rank;
}

}  // namespace rddist::cli
