// A power source for a new board in a few lines, then the whole measurement loop: sample it,
// mark three "layers", and integrate the trace over each. With no argument the example makes
// its own sensor file (a board that reports milliwatts in one text file), so it runs anywhere.
//   usage: custom_power_source [path-to-a-milliwatt-file]
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <synergy/measurement.hpp>
#include <thread>

// [docs]
#include <synergy/sources/concepts.hpp>
#include <synergy/sources/detail/sysfs.hpp>

/// A board whose power monitor writes its present power, in mW, to one text file.
class board_power_file {
 public:
  explicit board_power_file(const std::filesystem::path& file) : file_(file) {
    info_.name = "my board (" + file.string() + ")";
    info_.channels = {{"board", "board", "", /*is_total=*/true, "mW"}};
    info_.update_period = synergy::duration::from_value(1e-3);  // from the monitor's datasheet
  }
  const synergy::sources::source_info& info() const { return info_; }
  void read_power(std::span<double> watts) {  // throws sensor_error naming the file
    watts[0] = static_cast<double>(file_.read_int()) * 1e-3;
  }

 private:
  synergy::sources::detail::attribute_file file_;  // kept open, read with pread
  synergy::sources::source_info info_;
};
static_assert(synergy::sources::power_source<board_power_file>);
// [/docs]

int main(int argc, char** argv) {
  namespace m = synergy::measure;
  std::filesystem::path file =
      argc > 1 ? argv[1] : std::filesystem::temp_directory_path() / "synergy_example_mw";
  if (argc <= 1) std::ofstream(file) << "4200\n";  // a steady 4.2 W
  board_power_file board(file);
  m::sampler sampler(board);  // 1 kHz by default
  m::annotator marks;
  sampler.start();
  for (const char* layer : {"conv1", "relu1", "fc1"}) {
    m::annotator::scope s(marks, marks.region(layer, layer[0] == 'c'   ? "conv2d"
                                                     : layer[0] == 'r' ? "relu"
                                                                       : "fully_connected"));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the layer's work
  }
  sampler.stop();
  const auto trace = sampler.take_trace();
  for (const auto& e : m::attribute(trace, marks.regions()))
    std::printf("%-6s %-16s %7.3f ms %8.3f mJ%s\n", e.where.name.c_str(), e.where.op_type.c_str(),
                e.length.value() * 1e3, e.value.value() * 1e3,
                e.below_update_period ? "  (shorter than the sensor's update period)" : "");
  if (argc <= 1) std::filesystem::remove(file);
  return 0;
}
