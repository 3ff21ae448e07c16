// Runs one fuzz target over files and folders without libFuzzer: every input of the committed
// corpus (seeds and the crashes fuzzing found) goes through the target once. The test suites
// build this with g++ in every build type, so the Sanitize build checks the corpus under ASan
// and UBSan on each CI run; scripts/fuzz.sh is the fuzzing itself (clang, mutations).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void replay(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // A target reads exactly `size` bytes, so a copy of its own lets ASan catch a read past it.
  std::vector<std::uint8_t> input(bytes.begin(), bytes.end());
  LLVMFuzzerTestOneInput(input.data(), input.size());
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t inputs = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path path = argv[i];
    if (std::filesystem::is_directory(path)) {
      std::vector<std::filesystem::path> files;
      for (const auto& entry : std::filesystem::directory_iterator(path))
        if (entry.is_regular_file()) files.push_back(entry.path());
      std::sort(files.begin(), files.end());
      for (const auto& file : files) {
        replay(file);
        ++inputs;
      }
    } else if (std::filesystem::is_regular_file(path)) {
      replay(path);
      ++inputs;
    } else {
      std::fprintf(stderr, "replay: %s is neither a file nor a folder\n", argv[i]);
      return 2;
    }
  }
  if (inputs == 0) {
    std::fprintf(stderr, "replay: no input given (files or folders of a corpus)\n");
    return 2;
  }
  std::printf("replay: %zu inputs, no finding\n", inputs);
  return 0;
}
