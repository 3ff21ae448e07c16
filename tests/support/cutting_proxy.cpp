#include "cutting_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

namespace kbc::test {
namespace {

int port_of(const std::string& url) {
  const auto colon = url.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument("no port in " + url);
  return std::stoi(url.substr(colon + 1));
}

int loopback_socket() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

bool send_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const auto sent = ::send(fd, data, size, MSG_NOSIGNAL);
    if (sent <= 0) return false;
    data += sent;
    size -= static_cast<std::size_t>(sent);
  }
  return true;
}

}  // namespace

CuttingProxy::CuttingProxy(const std::string& upstream_url) : upstream_port_(port_of(upstream_url)) {
  listener_ = loopback_socket();
  auto address = loopback(0);
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listener_, 64) != 0)
    throw std::runtime_error("cannot listen on a loopback port");
  socklen_t length = sizeof address;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
  url_ = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  acceptor_ = std::thread([this] { accept_loop(); });
}

CuttingProxy::~CuttingProxy() {
  stopping_ = true;
  ::shutdown(listener_, SHUT_RDWR);
  acceptor_.join();
  ::close(listener_);
  std::vector<std::thread> pumps;
  {
    std::lock_guard lock(mutex_);
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);  // wakes every pump
    pumps = std::move(pumps_);
  }
  for (auto& pump : pumps) pump.join();
}

void CuttingProxy::cut_download_after(std::uint64_t bytes) {
  download_.remaining = static_cast<std::int64_t>(bytes);
  download_.armed = true;
}

void CuttingProxy::cut_upload_after(std::uint64_t bytes) {
  upload_.remaining = static_cast<std::int64_t>(bytes);
  upload_.armed = true;
}

void CuttingProxy::accept_loop() {
  while (!stopping_) {
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      if (stopping_) return;
      continue;
    }
    const int server = loopback_socket();
    auto address = loopback(upstream_port_);
    if (::connect(server, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(client);
      ::close(server);
      continue;
    }
    std::lock_guard lock(mutex_);
    open_fds_.push_back(client);
    open_fds_.push_back(server);
    pumps_.emplace_back([this, client, server] { pump(client, server); });
  }
}

std::size_t CuttingProxy::allowance(Budget& budget, std::size_t size, bool& cut) {
  cut = false;
  if (!budget.armed) return size;
  const std::int64_t before = budget.remaining.fetch_sub(static_cast<std::int64_t>(size));
  if (before > static_cast<std::int64_t>(size)) return size;
  if (budget.armed.exchange(false)) {
    cut = true;
    return static_cast<std::size_t>(std::max<std::int64_t>(before, 0));
  }
  return size;  // another connection took the cut first
}

// Both directions of one connection in one thread: poll, forward, and cut when a budget runs out.
void CuttingProxy::pump(int client, int server) {
  char buffer[64 * 1024];
  pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
  bool open = true;
  while (open && !stopping_) {
    if (::poll(fds, 2, 200) < 0) break;
    for (int i = 0; i < 2 && open; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const auto got = ::recv(fds[i].fd, buffer, sizeof buffer, 0);
      if (got <= 0) {
        open = false;
        break;
      }
      bool cut = false;
      const bool upstream = i == 0;
      const std::size_t pass = allowance(upstream ? upload_ : download_, static_cast<std::size_t>(got), cut);
      if (!send_all(upstream ? server : client, buffer, pass) || cut) {
        if (cut) ++cuts_;
        open = false;
      }
    }
  }
  {
    std::lock_guard lock(mutex_);
    open_fds_.erase(std::remove_if(open_fds_.begin(), open_fds_.end(), [&](int fd) { return fd == client || fd == server; }),
                    open_fds_.end());
  }
  // An abortive close (RST) on the client side, as a dropped connection looks to the peer.
  linger hard{1, 0};
  ::setsockopt(client, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
  ::close(client);
  ::close(server);
}

}  // namespace kbc::test
