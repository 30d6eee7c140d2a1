#pragma once
/// What a hot standby's engine would write to a store it shares with its primary (a PostgreSQL
/// store: docs/deployment.md, "Hot standby on a shared PostgreSQL store"). While it follows,
/// the primary alone writes the shared rows; the standby writes none of them (two writers of
/// one alert's rows would let a late, older version overwrite a newer one, and double the
/// audit, note and action rows). It keeps here instead every alert version and operator action
/// its engine produced, each with the number of the primary's record that produced it.
///
/// The primary says which records' effects it has committed (its link's "stored through"):
/// those are dropped, so what is kept is a few commits' worth. At takeover what is left is
/// exactly what the primary may not have committed (it died before or during that commit);
/// the new primary writes it, skipping what the database turns out to hold
/// (PgStore::save_missing). Fusion thread only.
#include <cstdint>
#include <deque>
#include <vector>

#include "core/alert.hpp"
#include "src/outputs/store.hpp"

namespace picket::persist {

class StandbyWrites {
public:
    /// What is left at takeover, in the order the engine produced it.
    struct Left {
        std::vector<Alert> alerts;
        std::vector<outputs::ActionRecord> actions;
    };

    /// `seq`: the primary's record being applied when the engine produced it.
    void alert(std::uint64_t seq, const Alert& a) { alerts_.push_back({seq, a}); }
    void action(std::uint64_t seq, outputs::ActionRecord a) {
        actions_.push_back({seq, std::move(a)});
    }
    /// The primary committed the effects of every record up to `seq`.
    void stored_through(std::uint64_t seq);
    /// Everything kept (produced after the last record the primary said it committed).
    [[nodiscard]] Left take();
    [[nodiscard]] std::size_t size() const { return alerts_.size() + actions_.size(); }

private:
    template <class T>
    struct Tagged {
        std::uint64_t seq;
        T value;
    };
    std::deque<Tagged<Alert>> alerts_;
    std::deque<Tagged<outputs::ActionRecord>> actions_;
};

}  // namespace picket::persist
