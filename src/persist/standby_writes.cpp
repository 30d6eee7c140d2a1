#include "src/persist/standby_writes.hpp"

namespace picket::persist {

void StandbyWrites::stored_through(std::uint64_t seq) {
    // Both in record order: the engine applies the records in order.
    while (!alerts_.empty() && alerts_.front().seq <= seq) alerts_.pop_front();
    while (!actions_.empty() && actions_.front().seq <= seq) actions_.pop_front();
}

StandbyWrites::Left StandbyWrites::take() {
    Left out;
    for (auto& a : alerts_) out.alerts.push_back(std::move(a.value));
    for (auto& a : actions_) out.actions.push_back(std::move(a.value));
    alerts_.clear();
    actions_.clear();
    return out;
}

}  // namespace picket::persist
