// A fuzz target's main where there is no libFuzzer (builds with g++): runs LLVMFuzzerTestOneInput
// once on each FILE and on each file of each DIRECTORY, in name order, as libFuzzer does with the
// inputs it is given. ctest replays the seed corpora with it (fuzz/CMakeLists.txt).
#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

namespace {

int error(const std::string& message, int status) {
  std::fprintf(stderr, "%s: error: %s\n", program_invocation_short_name, message.c_str());
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return error(std::string("usage: ") + program_invocation_short_name + " FILE|DIRECTORY...", 64);
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    const fs::path given = argv[i];
    std::error_code ec;
    if (fs::is_directory(given, ec)) {
      std::vector<fs::path> files;
      for (const auto& entry : fs::directory_iterator(given, ec))
        if (entry.is_regular_file()) files.push_back(entry.path());
      if (ec) return error(given.string() + ": " + ec.message(), 66);
      std::sort(files.begin(), files.end());
      inputs.insert(inputs.end(), files.begin(), files.end());
    } else if (fs::is_regular_file(given, ec)) {
      inputs.push_back(given);
    } else {
      return error(given.string() + ": no such file or directory", 66);
    }
  }
  if (inputs.empty()) return error("no inputs to replay", 66);
  for (const auto& path : inputs) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad() || !in.is_open()) return error("cannot read " + path.string(), 74);
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  }
  std::printf("%s: %zu inputs replayed\n", program_invocation_short_name, inputs.size());
  return 0;
}
