#pragma once
/// A value or a reason: decoders and parsers return this instead of throwing on bad input.
/// (GCC 12 has no std::expected; this is the subset picket needs, with the same spelling.)
#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace picket {

template <class E>
struct Unexpected {
    E error;
};
template <class E>
Unexpected(E) -> Unexpected<E>;

template <class T, class E>
class Expected {
public:
    Expected(T value)
        : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
    Expected(Unexpected<E> u) : v_(std::in_place_index<1>, std::move(u.error)) {}  // NOLINT

    [[nodiscard]] bool has_value() const { return v_.index() == 0; }
    explicit operator bool() const { return has_value(); }
    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    const E& error() const { return std::get<1>(v_); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

private:
    std::variant<T, E> v_;
};

/// Why an input was rejected. `reason` is a short, stable code from a string literal
/// ("checksum", "truncated", "bad_field", ...): it is the key of the per-feed reject counters,
/// so keep it static and low-cardinality. `detail` is for the log and may name values.
struct DecodeError {
    std::string_view reason;
    std::string detail;
};

inline Unexpected<DecodeError> reject(std::string_view reason, std::string detail = {}) {
    return Unexpected<DecodeError>{DecodeError{reason, std::move(detail)}};
}

}  // namespace picket
