// Cross-check of conv2d shapes and MACs against CNNergy's layer tables (Manasi, Snigdha,
// Sapatnekar; ../shared/data/cnnergy): for every row with integer padding, our conv2d built from
// the row's input, channels, kernel, filters, stride and padding must give the row's output size,
// and MACs = out²·filters·kernel²·channels (the formula of that data set's README).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <synergy/layers/conv2d.hpp>
#include <vector>

namespace {

struct crosscheck {
  int rows = 0, checked = 0;
  std::int64_t macs = 0;
};

crosscheck check_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  crosscheck r;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<double> v;
    std::istringstream fields(line);
    for (std::string f; std::getline(fields, f, ',');) v.push_back(std::stod(f));
    if (v.size() < 8) ADD_FAILURE() << file << ": short row " << line;
    ++r.rows;
    const auto in_size = static_cast<std::int64_t>(v[1]),
               channels = static_cast<std::int64_t>(v[2]), k = static_cast<std::int64_t>(v[3]),
               filters = static_cast<std::int64_t>(v[4]), out = static_cast<std::int64_t>(v[5]),
               stride = static_cast<std::int64_t>(v[6]);
    const double pad = v[7];
    const std::int64_t expected_macs = out * out * filters * k * k * channels;
    r.macs += expected_macs;
    if (pad != static_cast<double>(static_cast<std::int64_t>(pad))) continue;  // asymmetric pad
    const synergy::conv2d c{.input = {in_size, in_size, channels},
                            .out_channels = filters,
                            .kernel = synergy::square(k),
                            .stride = {stride, stride},
                            .padding = synergy::square(static_cast<std::int64_t>(pad))};
    EXPECT_EQ(c.output(), (synergy::shape3{out, out, filters})) << file << ": " << line;
    EXPECT_EQ(c.macs(), expected_macs) << file << ": " << line;
    ++r.checked;
  }
  return r;
}

const std::filesystem::path data = std::filesystem::path(SYNERGY_SHARED_DATA) / "cnnergy";

TEST(CnnergyCrosscheck, GoogLeNet) {
  if (!std::filesystem::exists(data)) GTEST_SKIP() << "no shared data at " << data;
  const auto r = check_file(data / "GoogleNet_v1_Input_File.txt");
  EXPECT_EQ(r.rows, 58);
  EXPECT_EQ(r.checked, 57);  // conv1's padding is given as 2.5
  // The data set's README: 1582.67 M MACs over all 58 rows.
  EXPECT_NEAR(static_cast<double>(r.macs) / 1e6, 1582.67, 0.005);
}

TEST(CnnergyCrosscheck, SqueezeNet11) {
  if (!std::filesystem::exists(data)) GTEST_SKIP() << "no shared data at " << data;
  const auto r = check_file(data / "SqueezeNet_v11_Input_File.txt");
  EXPECT_EQ(r.rows, 26);
  EXPECT_EQ(r.checked, 25);  // conv1's padding is given as 1.5
  EXPECT_NEAR(static_cast<double>(r.macs) / 1e6, 387.75, 0.005);
}

}  // namespace
