// The count report: per-layer tables of zoo networks as text, CSV or JSON.
//   count_report [--format text|csv|json] [--out DIR] [network ...]
// With --out, writes DIR/<network>.{txt,csv,json}; otherwise prints to standard output.
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <synergy/synergy.hpp>
#include <vector>

namespace {

// The zoo by name: synergy::zoo::entries (include/synergy/zoo/registry.hpp).
bool in_zoo(const std::string& name) {
  for (const auto& e : synergy::zoo::entries)
    if (e.name == name) return true;
  return false;
}

void write(std::ostream& os, const synergy::network& net, const std::string& format) {
  if (format == "csv") {
    synergy::write_csv(os, net);
  } else if (format == "json") {
    os << synergy::to_json(net).dump(2) << '\n';
  } else {
    synergy::write_text(os, net);
  }
}

int usage(const char* why) {
  std::cerr << "count_report: " << why
            << "\nusage: count_report [--format text|csv|json] [--out DIR] [network ...]\n"
               "networks:";
  for (const auto& e : synergy::zoo::entries) std::cerr << ' ' << e.name;
  std::cerr << '\n';
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string format = "text";
  std::filesystem::path out;
  std::vector<std::string> names;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--format" || arg == "--out") && i + 1 >= argc) return usage("missing value");
    if (arg == "--format") {
      format = argv[++i];
      if (format != "text" && format != "csv" && format != "json") return usage("unknown format");
    } else if (arg == "--out") {
      out = argv[++i];
    } else if (in_zoo(arg)) {
      names.push_back(arg);
    } else {
      return usage(("unknown network or option '" + arg + "'").c_str());
    }
  }
  if (names.empty())
    for (const auto& e : synergy::zoo::entries) names.emplace_back(e.name);

  for (const auto& name : names) {
    const synergy::network net = synergy::zoo::by_name(name);
    if (out.empty()) {
      write(std::cout, net, format);
      std::cout << '\n';
      continue;
    }
    std::filesystem::create_directories(out);
    const auto file = out / (name + (format == "text" ? ".txt" : "." + format));
    std::ofstream os(file);
    write(os, net, format);
    if (!os) {
      std::cerr << "count_report: cannot write " << file << '\n';
      return 1;
    }
    std::cout << "wrote " << file.string() << '\n';
  }
  return 0;
}
