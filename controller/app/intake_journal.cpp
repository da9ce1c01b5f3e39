#include "intake_journal.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace storeq::controller {
namespace {
Error io_error(const std::string& what, const std::string& path) {
    return Error{"journal " + path, what + ": " + std::strerror(errno)};
}

void put_u32(std::string& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

std::uint32_t get_u32(const std::string& in, std::size_t at) {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[at + i])) << (8 * i);
    return v;
}
}  // namespace

Expected<IntakeJournal> IntakeJournal::open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return io_error("cannot open", path);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        ::close(fd);
        return io_error("cannot stat", path);
    }
    return IntakeJournal(fd, path, static_cast<long>(st.st_size));
}

IntakeJournal::IntakeJournal(IntakeJournal&& other) noexcept
    : fd_(other.fd_), path_(std::move(other.path_)), size_(other.size_) {
    other.fd_ = -1;
}

IntakeJournal& IntakeJournal::operator=(IntakeJournal&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = other.fd_;
        path_ = std::move(other.path_);
        size_ = other.size_;
        other.fd_ = -1;
    }
    return *this;
}

IntakeJournal::~IntakeJournal() {
    if (fd_ >= 0) ::close(fd_);
}

Expected<void> IntakeJournal::append(const MqttMessage& message) {
    // One record, one write: [topic length][payload length][topic][payload], little endian.
    std::string record;
    record.reserve(8 + message.topic.size() + message.payload.size());
    put_u32(record, static_cast<std::uint32_t>(message.topic.size()));
    put_u32(record, static_cast<std::uint32_t>(message.payload.size()));
    record += message.topic;
    record += message.payload;
    const ssize_t written = ::write(fd_, record.data(), record.size());
    if (written != static_cast<ssize_t>(record.size())) {
        if (written < 0) return io_error("cannot append", path_);
        (void)::ftruncate(fd_, size_);  // no half record left behind
        return Error{"journal " + path_, "cannot append: short write (disk full?)"};
    }
    size_ += static_cast<long>(record.size());
    return {};
}

Expected<std::vector<MqttMessage>> IntakeJournal::read_all() const {
    std::string content(static_cast<std::size_t>(size_), '\0');
    const ssize_t got = ::pread(fd_, content.data(), content.size(), 0);
    if (got < 0) return io_error("cannot read", path_);
    content.resize(static_cast<std::size_t>(got));
    std::vector<MqttMessage> messages;
    std::size_t at = 0;
    while (at + 8 <= content.size()) {
        const std::size_t topic_size = get_u32(content, at);
        const std::size_t payload_size = get_u32(content, at + 4);
        if (at + 8 + topic_size + payload_size > content.size()) break;  // torn by a crash
        MqttMessage m;
        m.topic = content.substr(at + 8, topic_size);
        m.payload = content.substr(at + 8 + topic_size, payload_size);
        m.qos = 1;
        messages.push_back(std::move(m));
        at += 8 + topic_size + payload_size;
    }
    return messages;
}

Expected<void> IntakeJournal::clear() {
    if (size_ == 0) return {};
    if (::ftruncate(fd_, 0) != 0) return io_error("cannot empty", path_);
    size_ = 0;
    return {};
}

}  // namespace storeq::controller
