#include "provision.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "controller_options.hpp"
#include "storeq/mqtt_credentials.hpp"
#include "device_accounts.hpp"
#include "head_office_bridge.hpp"
#include "storeq/mqtt_client.hpp"
#include "storeq/ids.hpp"

extern char** environ;

namespace storeq::controller {
namespace {

struct ProvisionOptions {
    std::string config_path;
    std::string store;
    std::string out_dir;
    std::string hq_host;  // --hq: empty, no bridge
    int hq_port = 0;
    std::string hq_ca;
    bool help = false;
};

Expected<ProvisionOptions> parse_provision_options(const std::vector<std::string>& args) {
    ProvisionOptions o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& flag = args[i];
        if (flag == "--help" || flag == "-h") {
            o.help = true;
            continue;
        }
        if (flag != "--config" && flag != "--store" && flag != "--out" && flag != "--hq" && flag != "--hq-ca")
            return unknown_option(flag);
        if (i + 1 >= args.size()) return needs_value(flag);
        const std::string& value = args[++i];
        if (flag == "--config")
            o.config_path = value;
        else if (flag == "--store") {
            if (!is_valid_id(value)) return Error{"--store", "must match [a-z0-9][a-z0-9-]{0,31}"};
            o.store = value;
        } else if (flag == "--out") {
            o.out_dir = value;
        } else if (flag == "--hq") {
            auto address = parse_host_port(value);
            if (!address) return Error{"--hq", address.error().what};
            o.hq_host = address->first;
            o.hq_port = address->second;
        } else if (flag == "--hq-ca") {
            o.hq_ca = value;
        }
    }
    if (o.help) return o;
    if (o.config_path.empty()) return Error{"--config", "missing"};
    if (o.store.empty()) return Error{"--store", "missing"};
    if (o.out_dir.empty()) return Error{"--out", "missing"};
    if (!o.hq_ca.empty() && o.hq_host.empty()) return Error{"--hq-ca", "needs --hq HOST:PORT"};
    return o;
}

Expected<Config> read_store_config(const std::string& path) {
    std::ifstream file(path);
    if (!file) return Error{path, "cannot be read"};
    std::stringstream text;
    text << file.rdbuf();
    auto parsed = parse_config(text.str());
    if (!parsed) return Error{path + ": " + parsed.error().where, parsed.error().what};
    return parsed;
}

// 24 characters from [A-Za-z0-9] drawn from the kernel's CSPRNG: ~142 bits, and nothing
// that needs quoting in a password file or a shell.
Expected<std::string> random_password() {
    static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    std::string password;
    while (password.size() < 24) {
        unsigned char bytes[64];
        const ssize_t n = ::getrandom(bytes, sizeof bytes, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            return Error{"getrandom", std::strerror(errno)};
        }
        for (ssize_t i = 0; i < n && password.size() < 24; ++i)
            if (bytes[i] < 248) password += kAlphabet[bytes[i] % kAlphabet.size()];  // 248 = 4 * 62: no bias
    }
    return password;
}

// Written beside the target and renamed over it: a crash never leaves half a file, and
// the mode is set before any secret is in it.
Expected<void> write_file_atomically(const std::filesystem::path& path, const std::string& text, mode_t mode) {
    const std::string tmp = path.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) return Error{tmp, std::strerror(errno)};
    bool ok = ::fchmod(fd, mode) == 0;
    std::size_t written = 0;
    while (ok && written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) written += static_cast<std::size_t>(n);
    }
    ok = ok && ::fsync(fd) == 0;
    const int saved_errno = errno;
    ::close(fd);
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string why = std::strerror(ok ? errno : saved_errno);
        ::unlink(tmp.c_str());
        return Error{path.string(), why};
    }
    return {};
}

// mosquitto_passwd -U hashes a `user:password` file in place (PBKDF2-SHA512 in 2.0).
Expected<void> hash_password_file(const std::string& path) {
    std::vector<std::string> argv_text{"mosquitto_passwd", "-U", path};
    std::vector<char*> argv;
    for (auto& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (const int rc = ::posix_spawnp(&pid, "mosquitto_passwd", nullptr, nullptr, argv.data(), environ); rc != 0)
        return Error{"mosquitto_passwd", std::string("cannot run it (package mosquitto): ") + std::strerror(rc)};
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return Error{"mosquitto_passwd", std::strerror(errno)};
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return Error{"mosquitto_passwd -U", "failed"};
    return {};
}

struct AccountSecrets {
    DeviceAccount account;
    MqttCredentials credentials;
    bool kept = false;
};

Expected<AccountSecrets> secrets_for(const DeviceAccount& account, const std::filesystem::path& file) {
    if (std::filesystem::exists(file)) {
        auto existing = load_credentials(file.string());
        if (existing && existing->username == account.username) return AccountSecrets{account, *existing, true};
    }
    auto password = random_password();
    if (!password) return password.error();
    MqttCredentials fresh;
    fresh.username = account.username;
    fresh.password = *password;
    return AccountSecrets{account, fresh, false};
}

// The store's account at the central broker is the store id; its password is kept across
// runs (hq/bridge.credentials), like the devices'.
Expected<std::string> provision_bridge(const ProvisionOptions& options, const std::filesystem::path& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return Error{dir.string(), ec.message()};
    fs::permissions(dir, fs::perms::owner_all, ec);
    const DeviceAccount bridge_account{options.store, DeviceRole::controller, 0};
    auto secrets = secrets_for(bridge_account, dir / "bridge.credentials");
    if (!secrets) return secrets.error();
    if (!secrets->kept)
        if (auto written = write_file_atomically(dir / "bridge.credentials", format_credentials(secrets->credentials), 0600);
            !written)
            return written.error();
    HeadOfficeBridge bridge{options.store, options.hq_host, options.hq_port, options.store,
                            secrets->credentials.password, options.hq_ca};
    // 0640: the store's mosquitto reads it (it holds the bridge's password).
    if (auto written = write_file_atomically(dir / "bridge.conf", bridge_conf_text(bridge), 0640); !written)
        return written.error();
    if (auto written = write_file_atomically(dir / "central-acl", central_acl_text(options.store, options.store), 0640);
        !written)
        return written.error();
    const fs::path central_password = dir / "central-password";
    if (auto written = write_file_atomically(central_password, options.store + ":" + secrets->credentials.password + "\n", 0600);
        !written)
        return written.error();
    if (auto hashed = hash_password_file(central_password.string()); !hashed) return hashed.error();
    return std::string("bridge to ") + options.hq_host + ":" + std::to_string(options.hq_port) +
           (options.hq_ca.empty() ? " (no TLS)" : " (TLS)") +
           " in hq/: bridge.conf for this store's broker, central-acl and central-password for the central one";
}

Expected<std::string> provision(const ProvisionOptions& options, const Config& config) {
    namespace fs = std::filesystem;
    const fs::path out(options.out_dir);
    const fs::path devices = out / "devices";
    std::error_code ec;
    fs::create_directories(devices, ec);
    if (ec) return Error{devices.string(), ec.message()};
    fs::permissions(devices, fs::perms::owner_all, ec);
    if (ec) return Error{devices.string(), ec.message()};

    std::string plain_passwords;
    int kept = 0;
    const auto accounts = device_accounts(config);
    for (const auto& account : accounts) {
        const fs::path file = devices / (account.username + ".credentials");
        auto secrets = secrets_for(account, file);
        if (!secrets) return secrets.error();
        if (secrets->kept) {
            ++kept;
        } else if (auto written = write_file_atomically(file, format_credentials(secrets->credentials), 0600); !written) {
            return written.error();
        }
        plain_passwords += account.username + ":" + secrets->credentials.password + "\n";
        if (account.role == DeviceRole::controller) {  // its other sessions (device_accounts.hpp)
            plain_passwords += feedback_session_username(account.username) + ":" + secrets->credentials.password + "\n";
            if (config.head_office)
                plain_passwords += head_office_session_username(account.username) + ":" + secrets->credentials.password + "\n";
        }
    }
    // Hashed under a temporary name, so a failure leaves no plain-text password file.
    const fs::path passwords = out / "passwords";
    const fs::path unhashed = out / "passwords.new";
    if (auto written = write_file_atomically(unhashed, plain_passwords, 0600); !written) return written.error();
    if (auto hashed = hash_password_file(unhashed.string()); !hashed) {
        fs::remove(unhashed, ec);
        return hashed.error();
    }
    // 0640: mosquitto reads it as group mosquitto after dropping root (docs/security.md).
    fs::permissions(unhashed, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read, ec);
    fs::rename(unhashed, passwords, ec);
    if (ec) return Error{passwords.string(), ec.message()};
    if (auto written = write_file_atomically(out / "acl", acl_file_text(options.store, accounts, config.head_office, config.home_assistant), 0640);
        !written)
        return written.error();
    std::string bridge_note;
    if (!options.hq_host.empty()) {
        auto bridge = provision_bridge(options, out / "hq");
        if (!bridge) return bridge.error();
        bridge_note = "; " + *bridge;
    }
    return std::to_string(accounts.size()) + " accounts for store " + options.store + " in " + out.string() + " (" +
           std::to_string(accounts.size() - static_cast<std::size_t>(kept)) + " new, " + std::to_string(kept) +
           " kept): passwords, acl, devices/*.credentials" + bridge_note;
}

}  // namespace

int run_provision(const std::vector<std::string>& args) {
    auto options = parse_provision_options(args);
    if (!options) {
        std::fprintf(stderr, "storeq-controller provision: %s\n%s", options.error().to_string().c_str(), kProvisionUsage);
        return 2;
    }
    if (options->help) {
        std::fputs(kProvisionUsage, stdout);
        return 0;
    }
    auto config = read_store_config(options->config_path);
    if (!config) {
        std::fprintf(stderr, "storeq-controller provision: bad configuration: %s\n", config.error().to_string().c_str());
        return 2;
    }
    if (!options->hq_host.empty() && !config->head_office) {
        std::fprintf(stderr, "storeq-controller provision: --hq: the store configuration %s does not say head_office = on\n",
                     options->config_path.c_str());
        return 2;
    }
    auto done = provision(*options, *config);
    if (!done) {
        std::fprintf(stderr, "storeq-controller provision: %s\n", done.error().to_string().c_str());
        return 1;
    }
    std::printf("provisioned %s\n", done->c_str());
    return 0;
}

}  // namespace storeq::controller
