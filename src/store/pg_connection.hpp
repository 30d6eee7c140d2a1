#pragma once
/// Minimal RAII over libpq for the PostgreSQL store: one connection, its prepared statements,
/// results, COPY. Parameters and results travel as text (PostgreSQL's own formats: shortest
/// round-trip doubles, so a value reads back bit for bit). Internal to picket_store.
///
/// Every failure throws std::runtime_error "store: <what>: <PostgreSQL's message>".
#include <libpq-fe.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace picket::store::pg {

/// One query's rows. Column values are text; NULL is told by is_null().
class Result {
public:
    Result() = default;
    explicit Result(PGresult* r) : r_(r, &PQclear) {}
    [[nodiscard]] int rows() const { return r_ ? PQntuples(r_.get()) : 0; }
    [[nodiscard]] bool is_null(int row, int col) const {
        return PQgetisnull(r_.get(), row, col) != 0;
    }
    [[nodiscard]] std::string text(int row, int col) const {
        return {PQgetvalue(r_.get(), row, col),
                static_cast<std::size_t>(PQgetlength(r_.get(), row, col))};
    }
    [[nodiscard]] std::int64_t i64(int row, int col) const;
    [[nodiscard]] double f64(int row, int col) const;
    [[nodiscard]] bool boolean(int row, int col) const { return text(row, col) == "t"; }
    /// Rows a DELETE/INSERT/UPDATE touched.
    [[nodiscard]] std::int64_t affected() const;

private:
    std::shared_ptr<PGresult> r_;
};

/// Parameters of one statement, as text; nullopt is SQL NULL.
class Params {
public:
    Params& add(std::int64_t v);
    Params& add(double v);
    Params& add(bool v) {
        values_.emplace_back(v ? "t" : "f");
        return *this;
    }
    Params& add(std::string v) {
        values_.emplace_back(std::move(v));
        return *this;
    }
    Params& add(const char* v) { return add(std::string(v)); }
    Params& add_null() {
        values_.emplace_back(std::nullopt);
        return *this;
    }
    template <class T>
    Params& add_opt(const std::optional<T>& v) {
        return v ? add(static_cast<std::int64_t>(*v)) : add_null();
    }
    [[nodiscard]] const std::vector<std::optional<std::string>>& values() const { return values_; }

private:
    std::vector<std::optional<std::string>> values_;
};

/// A double as PostgreSQL reads it back exactly (shortest round-trip; nan, infinity spelled its
/// way).
std::string double_text(double v);
/// A value escaped for COPY's text format (backslash, tab, newline, carriage return).
void append_copy_text(std::string& line, std::string_view v);

class Connection {
public:
    /// Connects (a URL "postgresql://..." or a conninfo "host=... dbname=..."). Throws with
    /// libpq's reason (bad syntax, server unreachable, authentication) and the location without
    /// its password.
    explicit Connection(const std::string& conninfo);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    /// Runs SQL without parameters (several statements allowed); throws on error.
    Result exec(const std::string& sql);
    /// One statement with text parameters.
    Result exec(const std::string& sql, const Params& params);
    /// Prepares a named statement once per connection.
    void prepare(const std::string& name, const std::string& sql);
    Result run(const std::string& name, const Params& params);

    /// COPY ... FROM STDIN (text format) of `data`: lines of tab-separated fields.
    void copy_in(const std::string& copy_sql, const std::string& data);

    /// Runs `body` in a transaction: COMMIT when it returns, ROLLBACK when it throws.
    template <class F>
    void transaction(F&& body) {
        exec("BEGIN");
        try {
            body();
        } catch (...) {
            rollback_quietly();
            throw;
        }
        exec("COMMIT");
    }

    /// The same transaction with its statements sent in libpq's pipeline mode: BEGIN, what
    /// `body` send()s and COMMIT go out without waiting for each reply, and the one wait is for
    /// the COMMIT's (its WAL flushed, with synchronous_commit=on). A batch of n statements costs
    /// one round trip instead of n + 2. Throws the first failed statement's error, after the
    /// transaction was rolled back; the connection stays usable.
    template <class F>
    void pipelined_transaction(F&& body) {
        begin_pipeline();
        try {
            body();
        } catch (...) {
            abort_pipeline();
            throw;
        }
        commit_pipeline();
    }

    /// A prepared statement whose result is not needed: queued inside pipelined_transaction(),
    /// run (and waited for) otherwise. Throws on error (inside a pipeline: at the commit).
    void send(const std::string& name, const Params& params);

    [[nodiscard]] PGconn* raw() const { return conn_; }

private:
    Result check(PGresult* r, std::string_view what);
    void rollback_quietly();
    void begin_pipeline();
    void queue_text(const char* sql);
    void commit_pipeline();
    void abort_pipeline();
    /// Reads the replies to the oldest `n` queued statements; keeps the first error.
    void take_replies(int n);
    /// Ends the pipeline: a sync, every reply read, pipeline mode left.
    void finish_pipeline();
    PGconn* conn_{nullptr};
    bool pipelining_{false};
    std::deque<std::string> unanswered_;         ///< queued statements whose replies are unread
    std::optional<std::string> pipeline_error_;  ///< the first failed statement's, with its name
};

/// The location without a password, for messages and logs.
std::string redact(const std::string& conninfo);

}  // namespace picket::store::pg
