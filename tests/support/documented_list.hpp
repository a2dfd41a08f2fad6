#pragma once
// Test helper: the comma-separated list that follows `marker` in one of docs/*.md, up to the
// paragraph's end (used to check that the importers' supported lists are the documented ones).
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace synergy_test {

inline std::vector<std::string> documented_list(const std::string& doc, const std::string& marker) {
  const auto file =
      std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "docs" / doc;
  std::ifstream in(file);
  std::string line, text;
  bool inside = false;
  while (std::getline(in, line)) {
    if (!inside && line.find(marker) != std::string::npos) {
      inside = true;
      line = line.substr(line.find(marker) + marker.size());
    } else if (inside && line.empty()) {
      break;
    }
    if (inside) text += " " + line;
  }
  std::vector<std::string> names;
  std::stringstream items(text);
  std::string item;
  while (std::getline(items, item, ',')) {
    const auto b = item.find_first_not_of(" ."), e = item.find_last_not_of(" .");
    if (b != std::string::npos) names.push_back(item.substr(b, e - b + 1));
  }
  return names;
}

}  // namespace synergy_test
