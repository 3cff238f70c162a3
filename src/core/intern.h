// Interned values: a value that many probes repeat (a wiki's name, host,
// account, expected user and filter groups; a parameter set, which repeats
// across wikis; a URL's directory and query) is stored once, and each probe holds
// a 4-byte handle to it. Equal values get equal handles, so a plan of 200,000
// probes over 50 wikis holds 50 host strings, not 200,000.
//
// Lifetime and threads: an interned value lives until the process exits; the
// tables never shrink, so they are bounded by the number of distinct values,
// not of probes (a `watch` that plans the same targets again adds nothing).
// Adding takes a mutex; reading a handle's value takes no lock (values never
// move: they are kept in fixed chunks whose addresses are published before
// the handle is returned). A handle is plain data: copy it freely, compare it
// in O(1) for equality; ordering compares the values.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace bc {
namespace intern_detail {

// Append-only storage addressed by a uint32 index: chunks of 2^kBits values
// that never move. Reads are lock-free; Append must be called under the
// owner's mutex.
template <class T, unsigned kBits>
class ChunkedStore {
 public:
  static constexpr size_t kChunk = size_t{1} << kBits;
  static constexpr size_t kMaxChunks = size_t{1} << 14;  // 2^(14 + kBits) values

  const T& At(uint32_t i) const { return chunks_[i >> kBits].load(std::memory_order_acquire)[i & (kChunk - 1)]; }
  uint32_t size() const { return size_; }

  uint32_t Append(T value) {
    const size_t chunk = size_ >> kBits;
    if (chunk >= kMaxChunks) throw std::length_error("intern table full");
    if ((size_ & (kChunk - 1)) == 0) {
      owned_.push_back(std::make_unique<T[]>(kChunk));
      chunks_[chunk].store(owned_.back().get(), std::memory_order_release);
    }
    owned_.back()[size_ & (kChunk - 1)] = std::move(value);
    return size_++;
  }

 private:
  // 128 KB of chunk addresses, whatever kBits.
  std::unique_ptr<std::atomic<T*>[]> chunks_ = std::make_unique<std::atomic<T*>[]>(kMaxChunks);
  std::vector<std::unique_ptr<T[]>> owned_;
  uint32_t size_ = 0;
};

// Finds the index of a value equal to one already added, or adds it: open
// addressing over uint32 slots (4-8 bytes per distinct value), so a table of
// 200,000 unique URLs costs little beyond their text.
template <class T, unsigned kBits, class Hash>
class Pool {
 public:
  explicit Pool(T empty) {  // index 0: the empty value
    const size_t h = Hash{}(empty);
    Insert(std::move(empty), h);
  }

  const T& At(uint32_t i) const { return store_.At(i); }

  // `make` turns the looked-up value into the stored one (a string_view into
  // the arena). Called with the mutex held.
  template <class Key, class Make>
  uint32_t Intern(const Key& key, Make make) {
    const size_t h = Hash{}(key);
    std::lock_guard lock(mutex_);
    for (size_t s = h & (slots_.size() - 1);; s = (s + 1) & (slots_.size() - 1)) {
      if (slots_[s] == 0) break;
      if (store_.At(slots_[s] - 1) == key) return slots_[s] - 1;
    }
    return Insert(make(key), h);
  }

 private:
  uint32_t Insert(T value, size_t h) {
    if ((store_.size() + 1) * 2 > slots_.size()) Grow();
    const uint32_t index = store_.Append(std::move(value));
    Place(index, h);
    return index;
  }
  void Place(uint32_t index, size_t h) {
    size_t s = h & (slots_.size() - 1);
    while (slots_[s] != 0) s = (s + 1) & (slots_.size() - 1);
    slots_[s] = index + 1;
  }
  void Grow() {
    slots_.assign(slots_.empty() ? 64 : slots_.size() * 2, 0);
    for (uint32_t i = 0; i < store_.size(); ++i) Place(i, Hash{}(store_.At(i)));
  }

  std::mutex mutex_;
  ChunkedStore<T, kBits> store_;
  std::vector<uint32_t> slots_;  // index + 1; 0 = empty
};

// A string in the arena: its length (a varint: one byte below 128) then its
// characters. 8 bytes a table entry, where a std::string_view is 16: a URL
// list's 200,000 distinct page names are mostly overhead.
struct PackedString {
  const char* at = nullptr;  // nullptr: ""

  std::string_view view() const {
    if (at == nullptr) return {};
    size_t size = 0;
    const char* p = at;
    for (unsigned shift = 0;; shift += 7) {
      const auto byte = static_cast<unsigned char>(*p++);
      size |= static_cast<size_t>(byte & 0x7f) << shift;
      if (byte < 0x80) break;
    }
    return {p, size};
  }
  friend bool operator==(PackedString a, std::string_view b) { return a.view() == b; }
};

struct PackedHash {
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  size_t operator()(PackedString s) const { return (*this)(s.view()); }
};

// The strings' characters: 64 KB blocks, filled in order, never freed.
class Arena {
 public:
  PackedString Copy(std::string_view s) {
    char prefix[10];
    size_t prefix_size = 0;
    for (size_t n = s.size();; n >>= 7) {
      prefix[prefix_size++] = static_cast<char>((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
      if (n < 0x80) break;
    }
    const size_t need = prefix_size + s.size();
    char* at;
    if (need > kBlock / 4) {  // a long string gets a block of its own
      big_.push_back(std::make_unique<char[]>(need));
      at = big_.back().get();
    } else {
      if (blocks_.empty() || used_ + need > kBlock) {
        blocks_.push_back(std::make_unique<char[]>(kBlock));
        used_ = 0;
      }
      at = blocks_.back().get() + used_;
      used_ += need;
    }
    std::memcpy(at, prefix, prefix_size);
    std::memcpy(at + prefix_size, s.data(), s.size());
    return {at};
  }

 private:
  static constexpr size_t kBlock = 64 * 1024;
  std::vector<std::unique_ptr<char[]>> blocks_, big_;
  size_t used_ = 0;
};

std::string_view StringAt(uint32_t index);
uint32_t InternString(std::string_view s);

}  // namespace intern_detail

// A string stored once for the process. Converts to std::string_view (valid
// for the process's life); `str()` copies. Default: "".
class InternedString {
 public:
  InternedString() = default;
  InternedString(std::string_view s) : index_(intern_detail::InternString(s)) {}  // NOLINT: implicit on purpose
  InternedString(const std::string& s) : InternedString(std::string_view(s)) {}   // NOLINT
  InternedString(const char* s) : InternedString(std::string_view(s)) {}          // NOLINT

  std::string_view view() const { return intern_detail::StringAt(index_); }
  operator std::string_view() const { return view(); }  // NOLINT: reads like the string it stands for
  std::string str() const { return std::string(view()); }
  bool empty() const { return index_ == 0; }  // "" is always index 0
  size_t size() const { return view().size(); }
  const char* data() const { return view().data(); }  // not NUL-terminated
  uint32_t index() const { return index_; }

  friend bool operator==(InternedString a, InternedString b) { return a.index_ == b.index_; }
  friend bool operator==(InternedString a, std::string_view b) { return a.view() == b; }
  friend bool operator==(InternedString a, const std::string& b) { return a.view() == b; }
  friend bool operator==(InternedString a, const char* b) { return a.view() == b; }
  friend auto operator<=>(InternedString a, InternedString b) { return a.view() <=> b.view(); }
  friend auto operator<=>(InternedString a, std::string_view b) { return a.view() <=> b; }
  friend auto operator<=>(InternedString a, const std::string& b) { return a.view() <=> std::string_view(b); }
  friend auto operator<=>(InternedString a, const char* b) { return a.view() <=> std::string_view(b); }
  // Concatenation reads as it did when this was a std::string.
  friend std::string operator+(std::string a, InternedString b) { return a.append(b.view()); }
  friend std::string operator+(InternedString a, std::string_view b) { return a.str().append(b); }
  friend std::string operator+(InternedString a, const char* b) { return a.str().append(b); }
  friend std::string operator+(const char* a, InternedString b) { return std::string(a).append(b.view()); }
  // Streams (test failure messages) print it as its string. Not a template
  // over the stream type: clang finds that as ambiguous with Catch2's own
  // `MessageBuilder::operator<<(T const&)`.
  friend std::ostream& operator<<(std::ostream& os, InternedString s) { return os << s.view(); }
  // nlohmann::json writes it as its string (found by ADL; no json include here).
  template <class Json>
  friend void to_json(Json& j, InternedString s) {
    j = s.view();
  }

 private:
  uint32_t index_ = 0;
};

namespace intern_detail {
template <class T>
struct ValueHash;
template <class A, class B>
struct ValueHash<std::vector<std::pair<A, B>>> {
  size_t operator()(const std::vector<std::pair<A, B>>& v) const {
    size_t h = v.size();
    for (const auto& [a, b] : v)
      h = h * 1000003 ^ std::hash<std::string_view>{}(a) ^ (std::hash<std::string_view>{}(b) << 1);
    return h;
  }
};
template <class A>
struct ValueHash<std::vector<A>> {
  size_t operator()(const std::vector<A>& v) const {
    size_t h = v.size();
    for (const auto& a : v) h = h * 1000003 ^ std::hash<std::string_view>{}(a);
    return h;
  }
};
}  // namespace intern_detail

// A container value (a parameter list, a list of names) stored once for the
// process. Reads like a `const T&`: range-for, begin/end, size, empty, and an
// implicit conversion for functions that take `const T&`. Default: T{}.
template <class T>
class Interned {
 public:
  Interned() = default;
  Interned(const T& value) : index_(Table().Intern(value, [](const T& v) { return v; })) {}  // NOLINT: implicit
  Interned(std::initializer_list<typename T::value_type> values) : Interned(T(values)) {}

  const T& get() const { return Table().At(index_); }
  operator const T&() const { return get(); }  // NOLINT: reads like the value it stands for
  auto begin() const { return get().begin(); }
  auto end() const { return get().end(); }
  size_t size() const { return get().size(); }
  bool empty() const { return index_ == 0; }  // T{} is always index 0
  const auto& operator[](size_t i) const { return get()[i]; }
  const auto& front() const { return get().front(); }
  const auto& back() const { return get().back(); }
  uint32_t index() const { return index_; }

  friend bool operator==(Interned a, Interned b) { return a.index_ == b.index_; }
  friend bool operator==(Interned a, const T& b) { return a.get() == b; }

 private:
  using Pool = intern_detail::Pool<T, 8, intern_detail::ValueHash<T>>;
  static Pool& Table() {
    static Pool* const table = new Pool(T{});  // never destroyed: handles may be read at exit
    return *table;
  }
  uint32_t index_ = 0;
};

}  // namespace bc

template <>
struct std::hash<bc::InternedString> {
  size_t operator()(bc::InternedString s) const { return std::hash<uint32_t>{}(s.index()); }
};

template <>
struct fmt::formatter<bc::InternedString> : fmt::formatter<std::string_view> {
  template <class Context>
  auto format(bc::InternedString s, Context& ctx) const {
    return fmt::formatter<std::string_view>::format(s.view(), ctx);
  }
};
