#pragma once
// Datasets for fit and report: each row's network is loaded from its source — a zoo name, or
// a Caffe .prototxt / ONNX file whose relative path is taken from the dataset's folder — by
// the program's importers, and every row is checked against it (study::resolve_dataset).
#include <algorithm>
#include <filesystem>
#include <string>
#include <synergy/study/dataset.hpp>

#include "common.hpp"

namespace synergy::cli {

/// The program's network resolver: `.prototxt` and `.onnx` sources are files (relative to the
/// dataset's folder unless absolute), anything else a zoo name. Throws user_error naming the
/// source when it cannot be loaded (resolve_dataset adds the file and line).
inline study::network_resolver dataset_resolver() {
  return [](const std::string& source, const std::filesystem::path& dataset_dir) {
    const std::filesystem::path p(source);
    const std::string ext = p.extension().string();
    if (ext == ".prototxt" || ext == ".onnx")
      return load_network(p.is_absolute() ? source : (dataset_dir / p).string());
    return load_network(source);
  };
}

/// The dataset CSV at `path`, resolved with dataset_resolver. Throws parse_error naming file,
/// line and column for a bad row.
inline study::dataset load_dataset(const std::string& path) {
  return study::load_dataset(path, dataset_resolver());
}

/// Whether the rows of `platform` (every row when empty) exist and all have an energy value.
inline bool has_energy(const study::dataset& d, const std::string& platform = "") {
  bool any = false;
  for (const auto& r : d.rows) {
    if (!platform.empty() && r.platform != platform) continue;
    if (!r.energy_j) return false;
    any = true;
  }
  return any;
}

/// The platform to fit: `chosen` when given (it must be one of the dataset's), else the
/// dataset's only platform. Throws user_error listing the dataset's platforms otherwise.
inline std::string choose_platform(const study::dataset& d, const std::string& chosen) {
  const auto all = d.platforms();
  std::string list;
  for (const auto& p : all) list += (list.empty() ? "" : ", ") + p;
  if (chosen.empty()) {
    if (all.size() == 1) return all.front();
    throw user_error(d.file + " has rows of several platforms (" + list +
                     "): choose one with --platform");
  }
  if (std::find(all.begin(), all.end(), chosen) == all.end())
    throw user_error("--platform " + chosen + ": " + d.file +
                     " has no rows of it (platforms: " + list + ")");
  return chosen;
}

}  // namespace synergy::cli
