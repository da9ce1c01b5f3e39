#include "storeq/sqlite_db.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <limits>

namespace storeq {
namespace {

constexpr int kBusyTimeoutMs = 5000;

Error sqlite_error(sqlite3* db, std::string_view operation, int rc) {
    const char* message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    return Error{"sqlite", std::string(operation) + ": " + message + " (code " +
                               std::to_string(rc) + ")"};
}

// SQLite takes lengths as int; a longer text is a caller bug, reported rather than cut.
bool fits_int(std::size_t size) {
    return size <= static_cast<std::size_t>(std::numeric_limits<int>::max());
}

}  // namespace

// ---- Statement ----------------------------------------------------------------------

struct Statement::Impl {
    sqlite3* db = nullptr;
    sqlite3_stmt* stmt = nullptr;
    int changes = 0;
    // bind() returns Statement& for chaining, so its failure waits here for step()/run().
    std::optional<Error> bind_error;

    ~Impl() { sqlite3_finalize(stmt); }

    void check_bind(int index, int rc) {
        if (rc != SQLITE_OK && !bind_error)
            bind_error = sqlite_error(db, "bind parameter " + std::to_string(index), rc);
    }
};

Statement::Statement(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Statement::Statement(Statement&&) noexcept = default;
Statement& Statement::operator=(Statement&&) noexcept = default;
Statement::~Statement() = default;

Statement& Statement::bind(int index, std::int64_t value) {
    impl_->check_bind(index, sqlite3_bind_int64(impl_->stmt, index, value));
    return *this;
}

Statement& Statement::bind(int index, double value) {
    impl_->check_bind(index, sqlite3_bind_double(impl_->stmt, index, value));
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    if (!fits_int(value.size())) {
        impl_->check_bind(index, SQLITE_TOOBIG);
        return *this;
    }
    impl_->check_bind(index, sqlite3_bind_text(impl_->stmt, index, value.data(),
                                               static_cast<int>(value.size()), SQLITE_TRANSIENT));
    return *this;
}

Statement& Statement::bind_null(int index) {
    impl_->check_bind(index, sqlite3_bind_null(impl_->stmt, index));
    return *this;
}

Expected<bool> Statement::step() {
    if (impl_->bind_error) return *impl_->bind_error;
    const int rc = sqlite3_step(impl_->stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return sqlite_error(impl_->db, "step", rc);
}

Expected<void> Statement::run() {
    if (impl_->bind_error) {
        Error error = *impl_->bind_error;
        reset();
        return error;
    }
    int rc = SQLITE_ROW;
    while (rc == SQLITE_ROW) rc = sqlite3_step(impl_->stmt);
    if (rc != SQLITE_DONE) {
        Error error = sqlite_error(impl_->db, "step", rc);
        sqlite3_reset(impl_->stmt);
        return error;
    }
    impl_->changes = sqlite3_changes(impl_->db);
    // Bindings stay: the caller rebinds what changes.
    sqlite3_reset(impl_->stmt);
    return {};
}

void Statement::reset() {
    sqlite3_reset(impl_->stmt);
    sqlite3_clear_bindings(impl_->stmt);
    impl_->bind_error.reset();
}

std::int64_t Statement::column_int64(int index) const {
    return sqlite3_column_int64(impl_->stmt, index);
}

double Statement::column_double(int index) const {
    return sqlite3_column_double(impl_->stmt, index);
}

std::string Statement::column_text(int index) const {
    const auto* text = sqlite3_column_text(impl_->stmt, index);
    // Length after the text call: it may convert the value to text first.
    const int size = sqlite3_column_bytes(impl_->stmt, index);
    if (!text) return {};
    return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

bool Statement::column_is_null(int index) const {
    return sqlite3_column_type(impl_->stmt, index) == SQLITE_NULL;
}

int Statement::changes() const { return impl_->changes; }

// ---- Database -----------------------------------------------------------------------

struct Database::Impl {
    sqlite3* db = nullptr;
    // close_v2: statements that outlive the Database keep the connection alive until
    // they are finalized, instead of failing with SQLITE_BUSY.
    ~Impl() { sqlite3_close_v2(db); }
};

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;
Database::~Database() = default;

namespace {
// Every connection the same way: extended result codes, and a busy timeout instead of an
// immediate SQLITE_BUSY while another connection writes.
int open_connection(const std::string& target, int flags, sqlite3** db) {
    const int rc = sqlite3_open_v2(target.c_str(), db, flags, nullptr);
    if (rc != SQLITE_OK) return rc;
    sqlite3_extended_result_codes(*db, 1);
    sqlite3_busy_timeout(*db, kBusyTimeoutMs);
    return rc;
}
}  // namespace

Expected<Database> Database::open(const std::string& path) {
    auto impl = std::make_unique<Impl>();
    // NOMUTEX: each Database belongs to one thread.
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    const int rc = open_connection(path, flags, &impl->db);
    if (rc != SQLITE_OK) return sqlite_error(impl->db, "open " + path, rc);

    Database database(std::move(impl));
    // journal_mode is the first statement that reads the file: a corrupt or non-database
    // file fails here, as an Error.
    for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
                               "PRAGMA foreign_keys=ON"}) {
        auto done = database.exec(pragma);
        if (!done) return Error{"sqlite", "open " + path + ": " + done.error().what};
    }
    return database;
}

namespace {
// A path as a file: URI (https://www.sqlite.org/uri.html): '?', '#' and '%' escaped.
std::string file_uri(const std::string& path) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string uri = "file:";
    for (const char c : path) {
        if (c == '?' || c == '#' || c == '%') {
            uri += '%';
            uri += kHex[(static_cast<unsigned char>(c) >> 4) & 0xF];
            uri += kHex[static_cast<unsigned char>(c) & 0xF];
        } else {
            uri += c;
        }
    }
    return uri;
}

bool exists(const std::string& path, std::uintmax_t* size = nullptr) {
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (error || !std::filesystem::exists(status)) return false;
    if (size) *size = std::filesystem::file_size(path, error);
    return true;
}
}  // namespace

// Reading a WAL database without writing (https://www.sqlite.org/wal.html, "Read-Only
// Databases"). SQLITE_OPEN_READONLY alone is not enough: a read-only connection still
// creates the -wal and -shm when they are missing and the folder lets it, owned by the
// reader (the owner's controller then cannot open them), and fails where it cannot.
//  - -wal and -shm both there (the controller is running, or died): an ordinary read-only
//    connection. It uses them as they are, with the writer's locks, so it reads a
//    consistent snapshot while the controller writes; without write permission on the
//    -shm SQLite (3.22+) reads the WAL index into its own memory. Nothing is created.
//  - no -wal (whatever -shm a crash left), or an empty one and no -shm: everything committed is in the main file (a
//    WAL connection keeps its -wal while open, and the last one to close folds it in and
//    removes it). `immutable=1` reads it with no locks and no side files. The one risk is
//    a controller starting and checkpointing while we read: a report that fails then can
//    be run again; it cannot damage anything, as we never write.
//  - a -wal with content but no -shm (a crash, or a copied file): committed rows are only
//    in the -wal, and reading them needs a -shm we would have to create. Refused with a
//    sentence; the owner's next controller start recovers it.
// Copying the files to a private folder would also work, but costs a copy of the whole
// database on every report.
Expected<Database> Database::open_read_only(const std::string& path) {
    std::uintmax_t wal_size = 0;
    const bool has_wal = exists(path + "-wal", &wal_size);
    const bool has_shm = exists(path + "-shm");
    if (!exists(path)) return Error{path, "no such file"};
    std::string uri = file_uri(path) + "?mode=ro";
    if (!has_wal || (wal_size == 0 && !has_shm)) uri += "&immutable=1";
    else if (!has_shm)
        return Error{path, "its write-ahead log " + path + "-wal holds rows but there is no " + path +
                               "-shm: start the controller on it once (it recovers the log), then read it"};
    auto impl = std::make_unique<Impl>();
    const int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
    const int rc = open_connection(uri, flags, &impl->db);
    if (rc != SQLITE_OK) return sqlite_error(impl->db, "open " + path, rc);
    Database database(std::move(impl));
    // The first read of the file: a file that is no database fails here, as an Error.
    auto schema = database.prepare("SELECT count(*) FROM sqlite_master");
    if (!schema) return Error{"sqlite", "open " + path + ": " + schema.error().what};
    if (auto row = schema->step(); !row) return Error{"sqlite", "open " + path + ": " + row.error().what};
    return database;
}

Expected<void> Database::exec(std::string_view sql) {
    // sqlite3_exec needs a NUL-terminated string.
    const std::string text(sql);
    char* message = nullptr;
    const int rc = sqlite3_exec(impl_->db, text.c_str(), nullptr, nullptr, &message);
    if (rc == SQLITE_OK) return {};
    std::string what = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    return Error{"sqlite", "exec: " + what + " (code " + std::to_string(rc) + ")"};
}

Expected<Statement> Database::prepare(std::string_view sql) {
    if (!fits_int(sql.size())) return sqlite_error(nullptr, "prepare", SQLITE_TOOBIG);
    auto impl = std::make_unique<Statement::Impl>();
    impl->db = impl_->db;
    const int rc = sqlite3_prepare_v2(impl_->db, sql.data(), static_cast<int>(sql.size()),
                                      &impl->stmt, nullptr);
    if (rc != SQLITE_OK) return sqlite_error(impl_->db, "prepare", rc);
    if (!impl->stmt) return Error{"sqlite", "prepare: no statement in the SQL text"};
    return Statement(std::move(impl));
}

Expected<void> Database::migrate(const std::vector<std::string>& migrations) {
    const int current = user_version();
    if (current < 0) return Error{"sqlite", "migrate: cannot read user_version"};
    if (static_cast<std::size_t>(current) > migrations.size()) {
        return Error{"sqlite", "migrate: database schema version " + std::to_string(current) +
                                   " is newer than this program's " +
                                   std::to_string(migrations.size())};
    }
    for (std::size_t version = static_cast<std::size_t>(current); version < migrations.size();
         ++version) {
        const std::string step_name = "migrate to version " + std::to_string(version + 1);
        Transaction transaction(*this);
        if (!transaction.begun())
            return Error{"sqlite", step_name + ": " + transaction.begun().error().what};
        if (auto done = exec(migrations[version]); !done)
            return Error{"sqlite", step_name + ": " + done.error().what};
        // user_version lives in the file header and is written inside the transaction, so
        // schema and version move together.
        if (auto done = exec("PRAGMA user_version = " + std::to_string(version + 1)); !done)
            return Error{"sqlite", step_name + ": " + done.error().what};
        if (auto done = transaction.commit(); !done)
            return Error{"sqlite", step_name + ": " + done.error().what};
    }
    return {};
}

// -1 when the version cannot be read (e.g. a corrupt file).
int Database::user_version() {
    auto statement = prepare("PRAGMA user_version");
    if (!statement) return -1;
    auto row = statement->step();
    if (!row || !*row) return -1;
    return static_cast<int>(statement->column_int64(0));
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(impl_->db); }

// ---- Transaction --------------------------------------------------------------------

// IMMEDIATE takes the write lock now, so a busy database fails here (after the busy
// timeout) rather than at the first write in the middle of the work.
Expected<void> Database::backup_to(const std::string& path) {
    sqlite3* copy = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &copy, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
        Error e = sqlite_error(copy, "open " + path, rc);
        sqlite3_close_v2(copy);
        return e;
    }
    sqlite3_backup* backup = sqlite3_backup_init(copy, "main", impl_->db, "main");
    if (!backup) {
        Error e = sqlite_error(copy, "backup to " + path, sqlite3_errcode(copy));
        sqlite3_close_v2(copy);
        return e;
    }
    // -1: every page in one step, so the copy is one snapshot even while others write.
    rc = sqlite3_backup_step(backup, -1);
    const int finished = sqlite3_backup_finish(backup);
    if (rc == SQLITE_DONE) rc = finished;
    Expected<void> result;
    if (rc != SQLITE_OK && rc != SQLITE_DONE) result = sqlite_error(copy, "backup to " + path, rc);
    sqlite3_close_v2(copy);
    return result;
}

Transaction::Transaction(Database& db) : db_(db), begun_(db.exec("BEGIN IMMEDIATE")) {}

Transaction::~Transaction() {
    // A failed COMMIT may already have rolled back; a second ROLLBACK error is harmless.
    if (begun_ && !done_) (void)db_.exec("ROLLBACK");
}

Expected<void> Transaction::commit() {
    if (!begun_) return begun_;
    if (done_) return Error{"sqlite", "commit: transaction already committed"};
    auto committed = db_.exec("COMMIT");
    if (committed) done_ = true;
    return committed;
}

}  // namespace storeq
