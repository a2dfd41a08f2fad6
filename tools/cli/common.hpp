#pragma once
// Shared pieces of the `synergy` command-line program: loading a network from a zoo name or a
// model file, splitting lists, the progress bar, and the error type every command throws.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <synergy/io/import_note.hpp>
#include <synergy/zoo/registry.hpp>
#include <vector>

#if SYNERGY_CLI_CAFFE
#include <synergy/io/caffe.hpp>
#endif
#if SYNERGY_CLI_ONNX
#include <synergy/io/onnx.hpp>
#endif

namespace synergy::cli {

/// A user error: printed as "synergy <command>: <message>", exit status 1.
struct user_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// How model files are imported (the `count` options).
struct import_settings {
  /// Caffe: input shape for files fed by Data layers (or an override); `--input`.
  std::optional<shape3> input;
  /// Count unsupported layers/ops as zero cost (listed in notes); `--zero-cost-unsupported`.
  bool unsupported_as_zero_cost = false;
};

/// A network and what its importer noted (zero-cost layers, folded Pads).
struct loaded_network {
  network net;
  std::vector<io::import_note> notes;
};

/// "227x227x3" (x = width, y = height, z = channels) → shape3. Throws user_error.
inline shape3 parse_shape(const std::string& text) {
  shape3 s{};
  char x1 = 0, x2 = 0;
  std::istringstream in(text);
  if (!(in >> s.x >> x1 >> s.y >> x2 >> s.z) || x1 != 'x' || x2 != 'x' || !in.eof() || s.x <= 0 ||
      s.y <= 0 || s.z <= 0)
    throw user_error("--input " + text + ": expected WIDTHxHEIGHTxCHANNELS, e.g. 227x227x3");
  return s;
}

namespace detail {

/// A library identifier that a library message may name, and the program's words for it.
struct program_term {
  std::string_view library;  ///< as the library's message writes it
  std::string_view program;  ///< what the user of `synergy` types instead
};

/// Every library option a message reachable from the program names (grep include/ for
/// `_options::`, `_settings::` and bare option fields in messages when adding an option).
/// Longer phrases first: they contain the shorter ones.
inline constexpr program_term program_terms[] = {
    {"arm_energy_probe_options::shunt_ohm; synergy --shunt CHANNEL:OHM", "--shunt CHANNEL:OHM"},
    {"caffe_options::input_shape", "--input WIDTHxHEIGHTxCHANNELS"},
    {"no input_shape was given", "no --input WIDTHxHEIGHTxCHANNELS was given"},
    {"import with unsupported_as_zero_cost", "give --zero-cost-unsupported"},
    {"attribution_options::channels", "--channels"},
};

}  // namespace detail

/// `message` (a library exception's text) with the library's option identifiers replaced by
/// the program's options, e.g. "give caffe_options::input_shape" → "give --input
/// WIDTHxHEIGHTxCHANNELS": a user of the program never sees a C++ name. Other text unchanged.
inline std::string in_program_terms(std::string message) {
  for (const auto& [library, program] : detail::program_terms)
    for (auto at = message.find(library); at != std::string::npos;
         at = message.find(library, at + program.size()))
      message.replace(at, library.size(), program);
  return message;
}

/// Whether `item` names a model file (.prototxt or .onnx) rather than a zoo network.
inline bool is_model_file(const std::string& item) {
  const std::string ext = std::filesystem::path(item).extension().string();
  return ext == ".prototxt" || ext == ".onnx";
}

/// A zoo name, a .prototxt (Caffe) or an .onnx file. Throws user_error naming it when it is
/// none of these, cannot be read, fails to import, or its importer was not built.
inline loaded_network load_network_with_notes(const std::string& what,
                                              const import_settings& opt = {}) {
  const std::filesystem::path p(what);
  const std::string ext = p.extension().string();
  if (opt.input && ext != ".prototxt")
    throw user_error("--input applies to Caffe .prototxt files only");
  if (is_model_file(what)) {
    if (!std::filesystem::exists(p)) throw user_error(what + ": no such file");
    try {
#if SYNERGY_CLI_CAFFE
      if (ext == ".prototxt") {
        auto r = io::import_caffe(p, {.input_shape = opt.input,
                                      .unsupported_as_zero_cost = opt.unsupported_as_zero_cost});
        return {std::move(r.net), std::move(r.notes)};
      }
#endif
#if SYNERGY_CLI_ONNX
      if (ext == ".onnx") {
        auto r = io::import_onnx(p, {.unsupported_as_zero_cost = opt.unsupported_as_zero_cost});
        return {std::move(r.net), std::move(r.notes)};
      }
#endif
    } catch (const std::invalid_argument& e) {
      throw user_error(in_program_terms(e.what()));
    }
    throw user_error(what + ": this build has no " + (ext == ".onnx" ? "ONNX" : "Caffe") +
                     " importer");
  }
  try {
    return {zoo::by_name(what), {}};
  } catch (const std::invalid_argument& e) {
    throw user_error(std::string(e.what()) + "; or give a .prototxt or .onnx file");
  }
}

/// The network alone (see load_network_with_notes).
inline network load_network(const std::string& what) { return load_network_with_notes(what).net; }

/// "a,b,c" → {"a", "b", "c"} (empty items dropped).
inline std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s + ",") {
    if (c == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  return out;
}

/// "paper" → the paper's 12 zoo networks, "all" → the whole zoo, else a list of names/files.
inline std::vector<network> load_networks(const std::string& spec) {
  std::vector<network> out;
  if (spec == "paper" || spec == "all") {
    for (const auto& e : zoo::entries)
      if (spec == "all" || e.in_paper) out.push_back(e.make());
    return out;
  }
  for (const auto& n : split_list(spec)) out.push_back(load_network(n));
  if (out.empty()) throw user_error("no network given");
  return out;
}

/// A progress bar on standard error, drawn only when it is a terminal.
class progress_bar {
 public:
  explicit progress_bar(std::string what) : what_(std::move(what)), tty_(::isatty(2) == 1) {}
  void operator()(int done, int total) const {
    if (!tty_) return;
    const int width = 30, filled = total ? done * width / total : width;
    std::fprintf(stderr, "\r%s [%s%s] %d/%d", what_.c_str(),
                 std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(width - filled), ' ').c_str(), done, total);
    if (done == total) std::fputc('\n', stderr);
    std::fflush(stderr);
  }

 private:
  std::string what_;
  bool tty_;
};

// Each command adds its subcommand to the app and sets its callback.
void add_count(CLI::App& app);
void add_sources(CLI::App& app);
void add_profile(CLI::App& app);
void add_record(CLI::App& app);
void add_attribute(CLI::App& app);
void add_fit(CLI::App& app);
void add_fit_counters(CLI::App& app);
void add_predict(CLI::App& app);
void add_report(CLI::App& app);
void add_import_profile(CLI::App& app);

}  // namespace synergy::cli
