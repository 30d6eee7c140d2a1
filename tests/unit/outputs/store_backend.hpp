#pragma once
/// The store contract tests (store_contract_test.cpp) run against every backend: the test binary
/// links one definition of make_backend() (sqlite_backend.cpp in picket_tests_outputs,
/// tests/unit/store/pg_backend.cpp in picket_tests_store_pg).
#include <memory>
#include <string>

#include "src/outputs/store.hpp"

namespace picket::outputs::testing {

class StoreBackend {
public:
    virtual ~StoreBackend() = default;
    /// Opens the store (again: a second call is a restart or a second server on the same data).
    [[nodiscard]] virtual std::unique_ptr<Store> open() = 0;
    [[nodiscard]] virtual std::string name() const = 0;
};

/// A fresh, empty store of the binary's backend; one per test case.
std::unique_ptr<StoreBackend> make_backend();

}  // namespace picket::outputs::testing
