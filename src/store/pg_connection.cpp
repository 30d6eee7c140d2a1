#include "src/store/pg_connection.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace picket::store::pg {
namespace {

std::string trimmed_error(const char* msg) {
    std::string s = msg ? msg : "unknown error";
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

}  // namespace

std::int64_t Result::i64(int row, int col) const {
    const char* v = PQgetvalue(r_.get(), row, col);
    std::int64_t out = 0;
    std::from_chars(v, v + PQgetlength(r_.get(), row, col), out);
    return out;
}

double Result::f64(int row, int col) const {
    const std::string v = text(row, col);
    if (v == "NaN") return std::nan("");
    if (v == "Infinity") return INFINITY;
    if (v == "-Infinity") return -INFINITY;
    double out = 0;
    std::from_chars(v.data(), v.data() + v.size(), out);
    return out;
}

std::int64_t Result::affected() const {
    const char* n = PQcmdTuples(r_.get());
    return n && *n ? std::stoll(n) : 0;
}

std::string double_text(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return {buf, r.ptr};
}

Params& Params::add(std::int64_t v) {
    values_.emplace_back(std::to_string(v));
    return *this;
}

Params& Params::add(double v) {
    values_.emplace_back(double_text(v));
    return *this;
}

void append_copy_text(std::string& line, std::string_view v) {
    for (char c : v) {
        switch (c) {
            case '\\':
                line += "\\\\";
                break;
            case '\t':
                line += "\\t";
                break;
            case '\n':
                line += "\\n";
                break;
            case '\r':
                line += "\\r";
                break;
            default:
                line += c;
        }
    }
}

std::string redact(const std::string& conninfo) {
    PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), nullptr);
    if (!opts) return "(unparsable location)";
    std::string out;
    for (PQconninfoOption* o = opts; o->keyword; ++o) {
        if (!o->val || std::string_view(o->keyword) == "password") continue;
        if (!out.empty()) out += ' ';
        out += std::string(o->keyword) + "=" + o->val;
    }
    PQconninfoFree(opts);
    return out;
}

Connection::Connection(const std::string& conninfo) {
    char* err = nullptr;
    if (PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err)) {
        PQconninfoFree(opts);
    } else {
        const std::string why = trimmed_error(err);
        PQfreemem(err);
        throw std::runtime_error("store: not a PostgreSQL URL or conninfo: " + why);
    }
    conn_ = PQconnectdb(conninfo.c_str());
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
        const std::string why = conn_ ? trimmed_error(PQerrorMessage(conn_)) : "out of memory";
        PQfinish(conn_);
        conn_ = nullptr;
        throw std::runtime_error("store: cannot connect to PostgreSQL (" + redact(conninfo) +
                                 "): " + why);
    }
    // Quiet: the schema's IF NOT EXISTS notices are not worth a log line each.
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
}

Connection::~Connection() { PQfinish(conn_); }

Result Connection::check(PGresult* r, std::string_view what) {
    const auto status = PQresultStatus(r);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_COPY_IN)
        return Result(r);
    std::string msg = "store: " + std::string(what) + ": " +
                      trimmed_error(r ? PQresultErrorMessage(r) : PQerrorMessage(conn_));
    if (r && msg.size() <= 8 + what.size()) msg += trimmed_error(PQerrorMessage(conn_));
    PQclear(r);
    throw std::runtime_error(msg);
}

Result Connection::exec(const std::string& sql) {
    return check(PQexec(conn_, sql.c_str()), sql.substr(0, 80));
}

namespace {
std::vector<const char*> pointers(const Params& p) {
    std::vector<const char*> out;
    out.reserve(p.values().size());
    for (const auto& v : p.values()) out.push_back(v ? v->c_str() : nullptr);
    return out;
}
}  // namespace

Result Connection::exec(const std::string& sql, const Params& params) {
    const auto values = pointers(params);
    return check(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                              values.data(), nullptr, nullptr, 0),
                 sql.substr(0, 80));
}

void Connection::prepare(const std::string& name, const std::string& sql) {
    check(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr), "prepare " + name);
}

Result Connection::run(const std::string& name, const Params& params) {
    const auto values = pointers(params);
    return check(PQexecPrepared(conn_, name.c_str(), static_cast<int>(values.size()), values.data(),
                                nullptr, nullptr, 0),
                 name);
}

namespace {
/// Replies wait in the server's output buffer until a flush or the sync; a batch of thousands of
/// statements would fill both sides' socket buffers (the server blocked writing replies nobody
/// reads, picket blocked writing statements the server no longer reads). Past this many unread
/// replies, ask for a flush and read the older half.
constexpr std::size_t kMaxUnanswered = 256;
}  // namespace

void Connection::begin_pipeline() {
    if (PQenterPipelineMode(conn_) != 1)
        throw std::runtime_error("store: cannot enter pipeline mode: " +
                                 trimmed_error(PQerrorMessage(conn_)));
    pipelining_ = true;
    unanswered_.clear();
    pipeline_error_.reset();
    try {
        queue_text("BEGIN");
    } catch (...) {
        abort_pipeline();
        throw;
    }
}

void Connection::queue_text(const char* sql) {
    // Pipeline mode has no simple-query protocol: a statement without parameters goes as one
    // with zero of them.
    if (PQsendQueryParams(conn_, sql, 0, nullptr, nullptr, nullptr, nullptr, 0) != 1)
        throw std::runtime_error(std::string("store: ") + sql + ": " +
                                 trimmed_error(PQerrorMessage(conn_)));
    unanswered_.emplace_back(sql);
}

void Connection::send(const std::string& name, const Params& params) {
    if (!pipelining_) {
        run(name, params);
        return;
    }
    const auto values = pointers(params);
    if (PQsendQueryPrepared(conn_, name.c_str(), static_cast<int>(values.size()), values.data(),
                            nullptr, nullptr, 0) != 1)
        throw std::runtime_error("store: " + name + ": " + trimmed_error(PQerrorMessage(conn_)));
    unanswered_.push_back(name);
    if (unanswered_.size() >= kMaxUnanswered) {
        if (PQsendFlushRequest(conn_) != 1 || PQflush(conn_) != 0)
            throw std::runtime_error("store: " + name + ": " +
                                     trimmed_error(PQerrorMessage(conn_)));
        take_replies(static_cast<int>(unanswered_.size() / 2));
    }
}

void Connection::take_replies(int n) {
    for (int i = 0; i < n && !unanswered_.empty(); ++i) {
        // One statement's reply is its result(s) then a null; after a failure the server skips
        // the rest up to the sync and each skipped one reads PGRES_PIPELINE_ABORTED.
        while (PGresult* r = PQgetResult(conn_)) {
            if (PQresultStatus(r) == PGRES_FATAL_ERROR && !pipeline_error_)
                pipeline_error_ =
                    unanswered_.front() + ": " + trimmed_error(PQresultErrorMessage(r));
            PQclear(r);
        }
        unanswered_.pop_front();
        if (PQstatus(conn_) == CONNECTION_BAD) {
            if (!pipeline_error_)
                pipeline_error_ = "connection lost: " + trimmed_error(PQerrorMessage(conn_));
            unanswered_.clear();
        }
    }
}

void Connection::finish_pipeline() {
    if (PQpipelineSync(conn_) != 1) {
        if (!pipeline_error_) pipeline_error_ = "sync: " + trimmed_error(PQerrorMessage(conn_));
    } else {
        take_replies(static_cast<int>(unanswered_.size()));
        PGresult* r = PQgetResult(conn_);  // the sync's own: PGRES_PIPELINE_SYNC
        if (r && PQresultStatus(r) != PGRES_PIPELINE_SYNC && !pipeline_error_)
            pipeline_error_ = "sync: " + trimmed_error(PQresultErrorMessage(r));
        PQclear(r);
    }
    unanswered_.clear();
    PQexitPipelineMode(conn_);
    pipelining_ = false;
}

void Connection::commit_pipeline() {
    try {
        queue_text("COMMIT");
    } catch (...) {
        abort_pipeline();
        throw;
    }
    finish_pipeline();
    if (pipeline_error_) {
        // A failed statement left the transaction aborted (nothing of it is committed): end it
        // so the connection takes the next one.
        rollback_quietly();
        throw std::runtime_error("store: " + *pipeline_error_);
    }
}

void Connection::abort_pipeline() {
    finish_pipeline();
    rollback_quietly();
}

void Connection::copy_in(const std::string& copy_sql, const std::string& data) {
    check(PQexec(conn_, copy_sql.c_str()), copy_sql.substr(0, 80));
    if (PQputCopyData(conn_, data.data(), static_cast<int>(data.size())) != 1 ||
        PQputCopyEnd(conn_, nullptr) != 1)
        throw std::runtime_error("store: COPY: " + trimmed_error(PQerrorMessage(conn_)));
    // The COPY's own result, then the end of the command.
    PGresult* r = nullptr;
    std::optional<std::runtime_error> failure;
    while ((r = PQgetResult(conn_)) != nullptr) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && !failure)
            failure.emplace("store: COPY: " + trimmed_error(PQresultErrorMessage(r)));
        PQclear(r);
    }
    if (failure) throw *failure;
}

void Connection::rollback_quietly() { PQclear(PQexec(conn_, "ROLLBACK")); }

}  // namespace picket::store::pg
