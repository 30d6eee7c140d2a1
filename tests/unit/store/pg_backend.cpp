// The PostgreSQL backend of the store contract tests (tests/unit/outputs/store_contract_test.cpp):
// a schema of its own in the binary's cluster.
#include "src/store/pg_store.hpp"
#include "tests/unit/outputs/store_backend.hpp"
#include "tests/unit/store/pg_cluster.hpp"

namespace picket::outputs::testing {
namespace {

class PgBackend final : public StoreBackend {
public:
    std::unique_ptr<Store> open() override { return std::make_unique<store::PgStore>(conninfo_); }
    [[nodiscard]] std::string name() const override { return "postgresql"; }

private:
    std::string conninfo_ = store::testing::fresh_schema();
};

}  // namespace

std::unique_ptr<StoreBackend> make_backend() { return std::make_unique<PgBackend>(); }

}  // namespace picket::outputs::testing
