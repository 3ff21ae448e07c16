#include "s3rver_process.hpp"

namespace kbc::test {

S3rverProcess::S3rverProcess(const std::vector<std::string>& buckets)
    : process_("s3rver",
               [&](const std::filesystem::path& work_dir) {
                 std::filesystem::create_directories(work_dir / "data");
                 auto args = PeerProcess::node_script("s3rver/bin/s3rver.js");
                 for (const char* arg : {"-d", "", "-a", "127.0.0.1", "-p", "0", "--silent", "--no-vhost-buckets"})
                   args.push_back(*arg ? arg : (work_dir / "data").string());
                 for (const auto& bucket : buckets) {
                   args.push_back("--configure-bucket");
                   args.push_back(bucket);
                 }
                 return args;
               },
               // It prints "S3rver listening on 127.0.0.1:<port>" once it accepts connections.
               std::regex(R"(S3rver listening on 127\.0\.0\.1:(\d+))")) {}

}  // namespace kbc::test
