#pragma once
/// @file
/// What an importer reports about layers it did not turn into network nodes.

#include <string>

namespace synergy::io {

/// A layer (or node) the importer did not turn into a network node, or counted as zero cost,
/// and why.
struct import_note {
  std::string layer;  ///< layer or node name in the file
  std::string type;   ///< its type or op in the file
  std::string note;   ///< what was done with it
};

}  // namespace synergy::io
