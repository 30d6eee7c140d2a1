// The SQLite backend of the store contract tests: a file in a temporary directory.
#include "src/outputs/alert_store.hpp"
#include "tests/unit/outputs/store_backend.hpp"
#include "tests/unit/outputs/temp_dir.hpp"

namespace picket::outputs::testing {
namespace {

class SqliteBackend final : public StoreBackend {
public:
    std::unique_ptr<Store> open() override {
        return std::make_unique<SqliteStore>(dir_.file("picket.db"));
    }
    [[nodiscard]] std::string name() const override { return "sqlite"; }

private:
    TempDir dir_;
};

}  // namespace

std::unique_ptr<StoreBackend> make_backend() { return std::make_unique<SqliteBackend>(); }

}  // namespace picket::outputs::testing
