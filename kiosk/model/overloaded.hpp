#pragma once
// std::visit over a variant with one lambda per alternative.

namespace storeq::kiosk {

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};

}  // namespace storeq::kiosk
