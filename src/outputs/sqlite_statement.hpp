#pragma once
/// Minimal RAII over the SQLite C API for the store: one prepared statement, reset after use.
/// Internal to picket_outputs.
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace picket::outputs::sqlite {

[[noreturn]] inline void fail(sqlite3* db, std::string_view what) {
    throw std::runtime_error("store: " + std::string(what) + ": " + sqlite3_errmsg(db));
}

inline void exec(sqlite3* db, const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = "store: ";
        msg += err ? err : "error";
        msg += " in: ";
        msg += sql;
        sqlite3_free(err);
        throw std::runtime_error(msg);
    }
}

class Statement;

/// PRAGMA user_version: 0 for a database just created.
inline std::int64_t user_version(sqlite3* db);

class Statement {
public:
    Statement(sqlite3* db, const char* sql) : db_(db) {
        if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st_, nullptr) !=
            SQLITE_OK) {
            fail(db, std::string("prepare ") + sql);
        }
    }
    ~Statement() { sqlite3_finalize(st_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Parameters are 1-based, as in SQL.
    Statement& bind(int i, std::int64_t v) { return check(sqlite3_bind_int64(st_, i, v)); }
    Statement& bind(int i, double v) { return check(sqlite3_bind_double(st_, i, v)); }
    Statement& bind(int i, std::string_view v) {
        // An empty string_view may hold nullptr, which SQLite would bind as NULL, not ''.
        return check(sqlite3_bind_text(st_, i, v.data() ? v.data() : "", static_cast<int>(v.size()),
                                       SQLITE_TRANSIENT));
    }
    Statement& bind_null(int i) { return check(sqlite3_bind_null(st_, i)); }
    template <class T>
    Statement& bind_opt(int i, const std::optional<T>& v) {
        return v ? bind(i, static_cast<std::int64_t>(*v)) : bind_null(i);
    }

    /// Steps once: true when a row is available, false when done. Throws on error.
    bool step() {
        const int rc = sqlite3_step(st_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        fail(db_, "step");
    }
    /// Runs a statement that returns no rows, then resets it.
    void run() {
        step();
        reset();
    }
    void reset() {
        sqlite3_reset(st_);
        sqlite3_clear_bindings(st_);
    }

    // Columns are 0-based, as in the SQLite API.
    [[nodiscard]] std::int64_t i64(int c) const { return sqlite3_column_int64(st_, c); }
    [[nodiscard]] double f64(int c) const { return sqlite3_column_double(st_, c); }
    [[nodiscard]] bool is_null(int c) const { return sqlite3_column_type(st_, c) == SQLITE_NULL; }
    [[nodiscard]] bool is_text(int c) const { return sqlite3_column_type(st_, c) == SQLITE_TEXT; }
    [[nodiscard]] std::string text(int c) const {
        const auto* p = sqlite3_column_text(st_, c);
        return p ? std::string(reinterpret_cast<const char*>(p),
                               static_cast<std::size_t>(sqlite3_column_bytes(st_, c)))
                 : std::string();
    }

private:
    Statement& check(int rc) {
        if (rc != SQLITE_OK) fail(db_, "bind");
        return *this;
    }
    sqlite3* db_;
    sqlite3_stmt* st_{nullptr};
};

/// Resets a statement when a query loop leaves (normally or by exception).
class ResetGuard {
public:
    explicit ResetGuard(Statement& s) : s_(s) {}
    ~ResetGuard() { s_.reset(); }
    ResetGuard(const ResetGuard&) = delete;
    ResetGuard& operator=(const ResetGuard&) = delete;

private:
    Statement& s_;
};

inline std::int64_t user_version(sqlite3* db) {
    Statement s(db, "PRAGMA user_version");
    return s.step() ? s.i64(0) : 0;
}

}  // namespace picket::outputs::sqlite
