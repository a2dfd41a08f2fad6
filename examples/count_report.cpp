// The count report: per-layer tables of zoo networks as text, CSV or JSON.
//   count_report [--format text|csv|json] [--out DIR] [network ...]
// With --out, writes DIR/<network>.{txt,csv,json}; otherwise prints to standard output.
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <synergy/synergy.hpp>
#include <vector>

namespace {

const std::map<std::string, synergy::network (*)()> zoo_networks = {
    {"alexnet", synergy::zoo::alexnet},
    {"all_cnn_c", synergy::zoo::all_cnn_c},
    {"densenet121", synergy::zoo::densenet121},
    {"googlenet", synergy::zoo::googlenet},
    {"inception_bn", synergy::zoo::inception_bn},
    {"inception_v3", synergy::zoo::inception_v3},
    {"mobilenet_v1", synergy::zoo::mobilenet_v1},
    {"mobilenet_v2", synergy::zoo::mobilenet_v2},
    {"places_cnds8", synergy::zoo::places_cnds8},
    {"resnet18", synergy::zoo::resnet18},
    {"resnet50", synergy::zoo::resnet50},
    {"squeezenet_residual", synergy::zoo::squeezenet_residual},
    {"squeezenet_v1.0", synergy::zoo::squeezenet_v1_0},
    {"squeezenet_v1.1", synergy::zoo::squeezenet_v1_1},
    {"vgg16", synergy::zoo::vgg16},
    {"vgg_cnn_s", synergy::zoo::vgg_cnn_s},
    {"wrn50_2", synergy::zoo::wrn50_2},
};

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
  for (const auto& [name, make] : zoo_networks) std::cerr << ' ' << name;
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
    } else if (zoo_networks.count(arg)) {
      names.push_back(arg);
    } else {
      return usage(("unknown network or option '" + arg + "'").c_str());
    }
  }
  if (names.empty())
    for (const auto& [name, make] : zoo_networks) names.push_back(name);

  for (const auto& name : names) {
    const synergy::network net = zoo_networks.at(name)();
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
