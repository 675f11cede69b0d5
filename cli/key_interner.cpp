// key_interner.cpp — open-addressing hash table over an arena of keys (see key_interner.h).
#include "key_interner.h"

#include <algorithm>
#include <functional>

#include "rddist/error.h"

namespace rddist::cli {

std::uint64_t KeyInterner::hash(std::string_view key) {
  return std::hash<std::string_view>{}(key);
}

std::uint32_t KeyInterner::find(std::string_view key) const {
  if (slots_.empty()) return kNone;
  const std::uint64_t h = hash(key);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t s = h & mask;; s = (s + 1) & mask) {
    const Slot& slot = slots_[s];
    if (slot.id1 == 0) return kNone;
    if (matches(slot, key)) return slot.id1 - 1;
  }
}

std::uint32_t KeyInterner::intern(std::string_view key, std::uint64_t h, bool* added) {
  // The last slot is still in cache, unlike the key bytes in the arena.
  if (have_last_ && matches(slots_[last_slot_], key)) {
    if (added) *added = false;
    return slots_[last_slot_].id1 - 1;
  }
  if (2 * (hashes_.size() + 1) > slots_.size()) grow();
  const std::size_t mask = slots_.size() - 1;
  std::size_t s = h & mask;
  for (;; s = (s + 1) & mask) {
    const Slot& slot = slots_[s];
    if (slot.id1 == 0) break;
    if (matches(slot, key)) {
      if (added) *added = false;
      last_slot_ = s;
      have_last_ = true;
      return slot.id1 - 1;
    }
  }
  if (hashes_.size() >= kNone - 1)
    throw data_error("more than 4 billion distinct unit keys; rddist supports at most 2^32 - 2");
  if (key.size() > 0xFFFFFFFFu) throw data_error("a unit key longer than 4 GiB");
  const auto id = static_cast<std::uint32_t>(hashes_.size());
  const std::uint64_t offset = arena_.size();
  const auto length = static_cast<std::uint32_t>(key.size());
  arena_.append(reinterpret_cast<const char*>(&length), sizeof length);
  arena_.append(key.data(), key.size());
  offsets_.push_back(offset);
  hashes_.push_back(h);
  slots_[s] = make_slot(id);
  if (added) *added = true;
  last_slot_ = s;
  have_last_ = true;
  return id;
}

void KeyInterner::grow() {
  const std::size_t n = slots_.empty() ? 1024 : 2 * slots_.size();
  std::vector<Slot> fresh(n);
  const std::size_t mask = n - 1;
  for (std::uint32_t id = 0; id < hashes_.size(); ++id) {
    std::size_t s = hashes_[id] & mask;
    while (fresh[s].id1 != 0) s = (s + 1) & mask;
    fresh[s] = make_slot(id);
  }
  slots_.swap(fresh);
  have_last_ = false;  // slot positions changed
}

KeyInterner::Slot KeyInterner::make_slot(std::uint32_t id) const {
  const std::string_view k = key(id);
  Slot slot;
  slot.id1 = id + 1;
  slot.length = static_cast<std::uint32_t>(k.size());
  slot.offset = offsets_[id];
  std::memcpy(slot.head, k.data(), k.size() < kHead ? k.size() : kHead);
  return slot;
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
