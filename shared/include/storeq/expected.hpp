#pragma once
// A small Expected<T>: expected failures (bad payload, bad config, no row, broker
// refused) travel as values. std::expected is C++23; Debian 12's GCC 12 lacks it.
#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace storeq {

// `where` names the field, key or operation; `what` says what was wrong with it.
struct Error {
    std::string where;
    std::string what;

    std::string to_string() const { return where.empty() ? what : where + ": " + what; }
    bool operator==(const Error&) const = default;
};

template <class T>
class Expected {
public:
    Expected(T value) : data_(std::move(value)) {}
    Expected(Error error) : data_(std::move(error)) {}

    bool has_value() const { return data_.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & { assert(has_value()); return std::get<0>(data_); }
    const T& value() const& { assert(has_value()); return std::get<0>(data_); }
    T&& value() && { assert(has_value()); return std::get<0>(std::move(data_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const { assert(!has_value()); return std::get<1>(data_); }

private:
    std::variant<T, Error> data_;
};

// Expected<void>: success carries nothing.
template <>
class Expected<void> {
public:
    Expected() = default;
    Expected(Error error) : error_(std::move(error)), ok_(false) {}

    bool has_value() const { return ok_; }
    explicit operator bool() const { return ok_; }
    const Error& error() const { assert(!ok_); return error_; }

private:
    Error error_;
    bool ok_ = true;
};


}  // namespace storeq
