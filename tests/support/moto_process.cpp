#include "moto_process.hpp"

#include <stdexcept>

#include "storage_test_client.hpp"

namespace kbc::test {

MotoProcess::MotoProcess()
    : process_("moto",
               [](const std::filesystem::path&) {
                 return std::vector<std::string>{"moto_server", "-H", "127.0.0.1", "-p", "0"};
               },
               // werkzeug prints " * Running on http://127.0.0.1:<port>" once it accepts connections.
               std::regex(R"(Running on http://127\.0\.0\.1:(\d+))")) {}

void MotoProcess::create_bucket(const std::string& bucket) const {
  // moto accepts unsigned requests (it does not check signatures unless told to).
  const auto answer = http_request("PUT", endpoint() + "/" + bucket, {}, {"Content-Length: 0"});
  if (answer.status != 200) throw std::runtime_error("moto: creating bucket " + bucket + ": HTTP " + std::to_string(answer.status) + " " + answer.body);
}

}  // namespace kbc::test
