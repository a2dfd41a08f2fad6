#pragma once
/// @file
/// Caffe importer: a .prototxt network (both the `layer { type: "Convolution" }` syntax and the
/// legacy V1 `layers { type: CONVOLUTION }`) as a synergy::network.
///
/// Parsed with libprotobuf's text-format parser against the project's schema subset
/// (caffe_subset.proto: only the fields counting needs). A field the subset lacks is an error
/// unless it is one of the Caffe fields real files use that the importer skips
/// (caffe_skipped_fields()); messages nest at most caffe_max_nesting deep. Part of the CMake
/// target `synergy::caffe` (protobuf), not of the header-only core.

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "synergy/io/caffe_subset.pb.h"
#include "synergy/io/import_note.hpp"
#include "synergy/io/import_support.hpp"
#include "synergy/network.hpp"

namespace synergy::io {

/// Options of the Caffe importer.
struct caffe_options {
  /// Input shape (x = width, y = height, z = channels) for files whose input comes from data
  /// layers (train_val files); also overrides a declared input. Batch is always 1.
  std::optional<shape3> input_shape = std::nullopt;
  /// Which phase's layers to keep when layers declare `include { phase: ... }`.
  bool train_phase = false;
  /// Count layers of unsupported types as zero-cost pass-throughs (listed in the notes)
  /// instead of failing.
  bool unsupported_as_zero_cost = false;
};

/// The imported network and the notes on skipped or zero-cost layers.
struct caffe_import {
  network net;
  std::vector<import_note> notes;
};

/// The layer types the importer turns into network nodes (Caffe's type strings), in the
/// order of its type table (the table it dispatches on; the "unsupported layer type" error
/// lists them in this order). Data and training-only layers are handled but not listed.
inline const std::vector<std::string>& caffe_supported_types();

/// The fields of Caffe's schema that caffe_subset.proto lacks and the importer skips with
/// their contents, as "Message.field" (e.g. "LayerParameter.param"): exactly those that the
/// authors' files of ../shared/data/prototxt use (fillers, learning rates, data sources,
/// engines). Any other field the subset lacks is an error naming file, line and field.
inline const std::vector<std::string>& caffe_skipped_fields();

/// The deepest nesting of messages (`{ ... }`) a prototxt may have: real files nest 3 levels;
/// deeper text is an error naming file, line and field (it bounds libprotobuf's recursion).
inline constexpr int caffe_max_nesting = 100;

namespace detail {

/// One skipped field: the message (Caffe's name, without the package) and the field.
struct caffe_skipped_field {
  std::string_view message;
  std::string_view field;
};

/// The skipped fields (see caffe_skipped_fields), found by parsing every file of
/// ../shared/data/prototxt with unknown fields disallowed.
inline constexpr caffe_skipped_field caffe_skipped_field_table[] = {
    {"LayerParameter", "param"},                 // lr_mult, decay_mult
    {"LayerParameter", "batch_norm_param"},      // use_global_stats, eps
    {"LayerParameter", "dropout_param"},         // dropout_ratio
    {"LayerParameter", "data_param"},            // source, batch_size, backend
    {"LayerParameter", "transform_param"},       // crop_size, mean_file, mirror
    {"LayerParameter", "accuracy_param"},        // top_k
    {"V1LayerParameter", "blobs_lr"},            // per-blob learning rates
    {"V1LayerParameter", "weight_decay"},        // per-blob weight decay
    {"V1LayerParameter", "dropout_param"},       // dropout_ratio
    {"ConvolutionParameter", "weight_filler"},   // initialisation
    {"ConvolutionParameter", "bias_filler"},     // initialisation
    {"ConvolutionParameter", "engine"},          // CAFFE or CUDNN
    {"InnerProductParameter", "weight_filler"},  // initialisation
    {"InnerProductParameter", "bias_filler"},    // initialisation
    {"LRNParameter", "alpha"},                   // scaling: no effect on the count
    {"LRNParameter", "beta"},                    // exponent: no effect on the count
    {"ScaleParameter", "filler"},                // initialisation
    {"ScaleParameter", "bias_filler"},           // initialisation
};

/// The new-format type string of a V1 layer type ("CONVOLUTION" → "Convolution").
inline std::string v1_type_name(caffe::V1LayerParameter::LayerType t) {
  static const std::map<int, std::string> names{
      {caffe::V1LayerParameter::CONVOLUTION, "Convolution"},
      {caffe::V1LayerParameter::POOLING, "Pooling"},
      {caffe::V1LayerParameter::INNER_PRODUCT, "InnerProduct"},
      {caffe::V1LayerParameter::LRN, "LRN"},
      {caffe::V1LayerParameter::RELU, "ReLU"},
      {caffe::V1LayerParameter::SIGMOID, "Sigmoid"},
      {caffe::V1LayerParameter::TANH, "TanH"},
      {caffe::V1LayerParameter::ELTWISE, "Eltwise"},
      {caffe::V1LayerParameter::CONCAT, "Concat"},
      {caffe::V1LayerParameter::DROPOUT, "Dropout"},
      {caffe::V1LayerParameter::SOFTMAX, "Softmax"},
      {caffe::V1LayerParameter::SPLIT, "Split"},
      {caffe::V1LayerParameter::FLATTEN, "Flatten"},
      {caffe::V1LayerParameter::DATA, "Data"},
      {caffe::V1LayerParameter::IMAGE_DATA, "ImageData"},
      {caffe::V1LayerParameter::HDF5_DATA, "HDF5Data"},
      {caffe::V1LayerParameter::MEMORY_DATA, "MemoryData"},
      {caffe::V1LayerParameter::WINDOW_DATA, "WindowData"},
      {caffe::V1LayerParameter::DUMMY_DATA, "DummyData"},
      {caffe::V1LayerParameter::ACCURACY, "Accuracy"},
      {caffe::V1LayerParameter::SOFTMAX_LOSS, "SoftmaxWithLoss"},
      {caffe::V1LayerParameter::SILENCE, "Silence"},
  };
  const auto it = names.find(static_cast<int>(t));
  return it != names.end() ? it->second : caffe::V1LayerParameter::LayerType_Name(t);
}

/// Converts a V1 layer to the new format (the fields this importer reads).
inline caffe::LayerParameter from_v1(const caffe::V1LayerParameter& v1) {
  caffe::LayerParameter l;
  l.set_name(v1.name());
  l.set_type(v1_type_name(v1.type()));
  *l.mutable_bottom() = v1.bottom();
  *l.mutable_top() = v1.top();
  *l.mutable_include() = v1.include();
  *l.mutable_exclude() = v1.exclude();
  if (v1.has_convolution_param()) *l.mutable_convolution_param() = v1.convolution_param();
  if (v1.has_pooling_param()) *l.mutable_pooling_param() = v1.pooling_param();
  if (v1.has_inner_product_param()) *l.mutable_inner_product_param() = v1.inner_product_param();
  if (v1.has_lrn_param()) *l.mutable_lrn_param() = v1.lrn_param();
  if (v1.has_eltwise_param()) *l.mutable_eltwise_param() = v1.eltwise_param();
  if (v1.has_concat_param()) *l.mutable_concat_param() = v1.concat_param();
  if (v1.has_relu_param()) *l.mutable_relu_param() = v1.relu_param();
  return l;
}

/// The (message, field) of libprotobuf's warning about a field the schema lacks ("Message
/// type \"synergy.caffe.LayerParameter\" has no field named \"param\"."), the message without
/// its package; nullopt for any other warning (which is then an error: fail closed).
inline std::optional<std::pair<std::string, std::string>> unknown_field(const std::string& w) {
  static const std::string head = "Message type \"", mid = "\" has no field named \"";
  const auto m = w.find(mid);
  if (!w.starts_with(head) || m == std::string::npos || !w.ends_with("\".")) return std::nullopt;
  std::string message = w.substr(head.size(), m - head.size());
  const std::string package = caffe::NetParameter::descriptor()->file()->package() + ".";
  if (message.starts_with(package)) message.erase(0, package.size());
  const auto field_at = m + mid.size();
  return std::pair{message, w.substr(field_at, w.size() - 2 - field_at)};
}

/// Collects the text parser's first error, and turns its warnings about fields the schema
/// lacks into errors unless the field is one of caffe_skipped_field_table.
class caffe_error_collector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    record(line, column, message);
  }
  void AddWarning(int line, google::protobuf::io::ColumnNumber column,
                  const std::string& message) override {
    const auto f = unknown_field(message);
    if (!f) return record(line, column, message);
    for (const auto& s : caffe_skipped_field_table)
      if (s.message == f->first && s.field == f->second) return;
    record(line, column,
           "unknown field '" + f->second + "' in a " + f->first +
               " (neither read by the importer nor one of the Caffe fields it skips, which "
               "docs/importers.md lists)");
  }
  /// "line:column: message" of the first error, empty when none.
  std::string first;

 private:
  void record(int line, google::protobuf::io::ColumnNumber column, const std::string& message) {
    if (first.empty())
      first = std::to_string(line + 1) + ":" + std::to_string(column + 1) + ": " + message;
  }
};

/// Discards the tokenizer's errors during the nesting scan (the parser reports them).
class caffe_silent_collector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int, google::protobuf::io::ColumnNumber, const std::string&) override {}
};

/// Throws when messages in `text` nest deeper than caffe_max_nesting, naming the line and the
/// field that opens the level too many. libprotobuf's parser stops there too (its recursion
/// limit), but with a message that names neither; this scan tokenizes as the parser does.
inline void check_nesting(const std::string& text, const std::string& source) {
  namespace io = google::protobuf::io;
  io::ArrayInputStream stream(text.data(), static_cast<int>(text.size()));
  caffe_silent_collector silent;
  io::Tokenizer tokens(&stream, &silent);
  // The text-format parser's settings (google/protobuf/text_format.cc).
  tokens.set_allow_f_after_float(true);
  tokens.set_comment_style(io::Tokenizer::SH_COMMENT_STYLE);
  tokens.set_require_space_after_number(false);
  tokens.set_allow_multiline_strings(true);
  std::string field;
  int depth = 0;
  while (tokens.Next()) {
    const io::Tokenizer::Token& t = tokens.current();
    if (t.type == io::Tokenizer::TYPE_IDENTIFIER) {
      field = t.text;
    } else if (t.type == io::Tokenizer::TYPE_SYMBOL && (t.text == "{" || t.text == "<")) {
      if (++depth > caffe_max_nesting)
        throw import_error(source + ":" + std::to_string(t.line + 1) + ": field '" + field +
                           "' nests messages deeper than " + std::to_string(caffe_max_nesting) +
                           " levels");
    } else if (t.type == io::Tokenizer::TYPE_SYMBOL && (t.text == "}" || t.text == ">")) {
      depth = std::max(0, depth - 1);
    }
  }
}

class caffe_builder;

/// What a layer type is to the importer.
enum class caffe_role {
  node,      ///< supported: a network node, the input (Input) or a blob alias (Split)
  data,      ///< a data layer: defines the input (also from the other phase when none has)
  training,  ///< training-only: skipped, listed in the notes
};

/// One row of the Caffe type table.
struct caffe_type {
  std::string_view name;                                        ///< Caffe's type string
  void (caffe_builder::*import)(const caffe::LayerParameter&);  ///< handler
  caffe_role role;
};

/// The importer's state while walking the layers.
class caffe_builder {
 public:
  caffe_builder(std::string source, const caffe_options& opt)
      : source_(std::move(source)), opt_(opt) {}

  /// Builds the network; `layer_lines` are the 1-based lines of the layers (new-format ones
  /// first, then V1), `input_line` that of the declared `input` (0: none).
  caffe_import run(const caffe::NetParameter& net, const std::vector<int>& layer_lines,
                   int input_line) {
    // The layers in file order, new-format ones first: pointers into `net`, so that only the
    // V1 layers (converted) are copied, not every message (hundreds of bytes a layer).
    std::vector<caffe::LayerParameter> converted;
    converted.reserve(static_cast<std::size_t>(net.layers_size()));
    for (const auto& v1 : net.layers()) converted.push_back(from_v1(v1));
    std::vector<const caffe::LayerParameter*> layers;
    layers.reserve(static_cast<std::size_t>(net.layer_size()) + converted.size());
    for (const auto& l : net.layer()) layers.push_back(&l);
    for (const auto& l : converted) layers.push_back(&l);
    line_ = 0;
    if (const auto bad = utf8_problem("network name", net.name())) fail("", *bad);
    line_ = input_line;
    declared_input(net);
    for (std::size_t i = 0; i < layers.size(); ++i) {
      line_ = i < layer_lines.size() ? layer_lines[i] : 0;
      // Names and types become node names and notes, which JSON reports carry.
      if (const auto bad = utf8_problem("layer name", layers[i]->name())) fail("", *bad);
      if (const auto bad = utf8_problem("layer type", layers[i]->type())) fail("", *bad);
      import_layer(*layers[i]);
    }
    if (!net_) fail("", "no input: the file declares none and no input_shape was given");
    return {std::move(*net_), std::move(notes_)};
  }

  /// The type table: every layer type the importer knows, with its handler and role. Its
  /// order is that of caffe_supported_types() (and of the error message), so it is searched
  /// linearly; "BN" is the name some BatchNorm files use.
  static std::span<const caffe_type> types() {
    using b = caffe_builder;
    using enum caffe_role;
    static constexpr caffe_type table[] = {
        {"Input", &b::input, node},
        {"Convolution", &b::convolution, node},
        {"Pooling", &b::pooling, node},
        {"InnerProduct", &b::inner_product, node},
        {"LRN", &b::lrn_layer, node},
        {"BatchNorm", &b::layer_of<batch_norm>, node},
        {"BN", &b::layer_of<batch_norm>, node},
        {"Scale", &b::scale_layer, node},
        {"ReLU", &b::relu, node},
        {"PReLU", &b::activation_of<activation_kind::prelu>, node},
        {"Sigmoid", &b::activation_of<activation_kind::sigmoid>, node},
        {"TanH", &b::activation_of<activation_kind::tanh>, node},
        {"Eltwise", &b::eltwise_layer, node},
        {"Concat", &b::concat_layer, node},
        {"Dropout", &b::layer_of<dropout>, node},
        {"Softmax", &b::layer_of<softmax>, node},
        {"Split", &b::split, node},
        {"Flatten", &b::layer_of<flatten>, node},
        {"Reshape", &b::reshape, node},
        {"Data", &b::data_layer, data},
        {"ImageData", &b::data_layer, data},
        {"HDF5Data", &b::data_layer, data},
        {"MemoryData", &b::data_layer, data},
        {"WindowData", &b::data_layer, data},
        {"DummyData", &b::data_layer, data},
        {"data", &b::data_layer, data},
        {"Accuracy", &b::training_only, training},
        {"Silence", &b::training_only, training},
    };
    return table;
  }

  /// The row of layer type `t` (any type ending in "Loss" is training-only), or nullptr when
  /// the importer does not know it.
  static const caffe_type* find_type(std::string_view t) {
    static constexpr caffe_type loss{"*Loss", &caffe_builder::training_only, caffe_role::training};
    for (const caffe_type& c : types())
      if (c.name == t) return &c;
    return t.ends_with("Loss") ? &loss : nullptr;
  }

 private:
  /// Throws "<file>:<line>: layer '<layer>': <what>" (no line when unknown, no layer when
  /// `layer` is empty).
  [[noreturn]] void fail(const std::string& layer, const std::string& what) const {
    std::string where = source_;
    if (line_ > 0) where += ":" + std::to_string(line_);
    throw import_error(where + (layer.empty() ? "" : ": layer '" + layer + "'") + ": " + what);
  }

  /// `what` of a network error about layer `layer` without the "layer '<layer>': " that
  /// network::add puts in front (fail names the layer already).
  static std::string without_layer_prefix(const std::string& layer, std::string what) {
    const std::string prefix = "layer '" + layer + "': ";
    if (what.starts_with(prefix)) what.erase(0, prefix.size());
    return what;
  }

  /// NCHW dims → shape (x = W, y = H, z = C); N is ignored (counts are per image).
  shape3 nchw(const std::vector<std::int64_t>& d, const std::string& what) const {
    if (d.size() == 4) return {d[3], d[2], d[1]};
    if (d.size() == 2) return {1, 1, d[1]};
    fail("", what + " has " + std::to_string(d.size()) + " dimensions (expected 4, N C H W)");
  }

  /// Makes blob `blob` the network input of shape `s` (the caller's when given); `layer` is the
  /// Input or data layer that declares it, empty for a declared `input`.
  void start(const std::string& blob, shape3 s, const std::string& layer) {
    if (net_) fail(layer.empty() ? blob : layer, "a second network input (only one is supported)");
    if (opt_.input_shape) s = *opt_.input_shape;
    try {
      net_.emplace(name_, s);
    } catch (const std::exception& e) {  // the input's shape (a negative or zero dimension)
      fail(layer, (layer.empty() ? "input '" + blob + "': " : std::string()) + e.what());
    }
    blobs_[blob] = 0;
  }

  void declared_input(const caffe::NetParameter& net) {
    // The file's stem names a network that has no name; it need not be valid UTF-8.
    name_ = net.name().empty() ? utf8_escaped(std::filesystem::path(source_).stem().string())
                               : net.name();
    if (net.input_size() == 0) return;
    if (net.input_size() > 1) fail("", "more than one input (only one is supported)");
    std::vector<std::int64_t> dims;
    if (net.input_shape_size() > 0)
      dims.assign(net.input_shape(0).dim().begin(), net.input_shape(0).dim().end());
    else
      dims.assign(net.input_dim().begin(), net.input_dim().end());
    if (dims.empty() && !opt_.input_shape) fail("", "input '" + net.input(0) + "' has no shape");
    start(net.input(0), dims.empty() ? shape3{} : nchw(dims, "input '" + net.input(0) + "'"), "");
  }

  node_id bottom(const caffe::LayerParameter& l, int i) const {
    if (i >= l.bottom_size()) fail(l.name(), "needs a bottom blob");
    const auto it = blobs_.find(l.bottom(i));
    if (it == blobs_.end())
      fail(l.name(), "bottom blob '" + l.bottom(i) + "' is produced by no earlier layer");
    return it->second;
  }

  void set_tops(const caffe::LayerParameter& l, node_id id) {
    for (const auto& t : l.top()) blobs_[t] = id;
  }

  template <class D>
  void add(const caffe::LayerParameter& l, const D& d) {
    if (!net_) fail(l.name(), "comes before any input");
    std::vector<node_id> from;
    for (int i = 0; i < l.bottom_size(); ++i) from.push_back(bottom(l, i));
    try {
      set_tops(l, net_->add(l.name(), layer{d}, from));
    } catch (const std::exception& e) {
      fail(l.name(), without_layer_prefix(l.name(), e.what()));
    }
  }

  static bool in_phase(const caffe::LayerParameter& l, bool train) {
    const auto phase = train ? caffe::TRAIN : caffe::TEST;
    for (const auto& r : l.include())
      if (r.has_phase() && r.phase() != phase) return false;
    for (const auto& r : l.exclude())
      if (r.has_phase() && r.phase() == phase) return false;
    return true;
  }

  /// (x, y) of a repeated-or-_h/_w Caffe field pair; `fallback` when neither is given.
  template <class Rep>
  extent2 pair(const caffe::LayerParameter& l, const Rep& rep, bool has_h, std::int64_t h,
               bool has_w, std::int64_t w, std::int64_t fallback, const char* field) const {
    if (has_h || has_w) return {has_w ? w : fallback, has_h ? h : fallback};
    if (rep.size() == 0) return {fallback, fallback};
    if (rep.size() == 1) return square(rep.Get(0));
    if (rep.size() == 2) return {rep.Get(1), rep.Get(0)};
    fail(l.name(),
         std::string(field) + " has " + std::to_string(rep.size()) + " values (2-D only)");
  }

  void convolution(const caffe::LayerParameter& l) {
    const auto& p = l.convolution_param();
    if (p.axis() != 1) fail(l.name(), "convolution axis " + std::to_string(p.axis()) + " (only 1)");
    const extent2 k = pair(l, p.kernel_size(), p.has_kernel_h(), p.kernel_h(), p.has_kernel_w(),
                           p.kernel_w(), 0, "kernel_size");
    const extent2 s = pair(l, p.stride(), p.has_stride_h(), p.stride_h(), p.has_stride_w(),
                           p.stride_w(), 1, "stride");
    const extent2 pad =
        pair(l, p.pad(), p.has_pad_h(), p.pad_h(), p.has_pad_w(), p.pad_w(), 0, "pad");
    const extent2 dil = pair(l, p.dilation(), false, 0, false, 0, 1, "dilation");
    const auto out = static_cast<std::int64_t>(p.num_output());
    const auto groups = static_cast<std::int64_t>(p.group());
    const std::int64_t in_z = net_ ? net_->output(bottom(l, 0)).z : 0;
    if (groups > 1 && groups == in_z && out % in_z == 0) {
      add(l, depthwise_conv2d{.kernel = k,
                              .stride = s,
                              .padding = pad,
                              .dilation = dil,
                              .multiplier = out / in_z,
                              .bias = p.bias_term()});
    } else {
      add(l, conv2d{.out_channels = out,
                    .kernel = k,
                    .stride = s,
                    .padding = pad,
                    .dilation = dil,
                    .groups = groups,
                    .bias = p.bias_term()});
    }
  }

  void pooling(const caffe::LayerParameter& l) {
    const auto& p = l.pooling_param();
    const extent2 k = p.has_kernel_h() || p.has_kernel_w() ? extent2{p.kernel_w(), p.kernel_h()}
                                                           : square(p.kernel_size());
    const extent2 s = p.has_stride_h() || p.has_stride_w() ? extent2{p.stride_w(), p.stride_h()}
                                                           : square(p.stride());
    const extent2 pad =
        p.has_pad_h() || p.has_pad_w() ? extent2{p.pad_w(), p.pad_h()} : square(p.pad());
    const rounding r = (p.has_round_mode() && p.round_mode() == caffe::PoolingParameter::FLOOR) ||
                               (p.has_ceil_mode() && !p.ceil_mode())
                           ? rounding::floor
                           : rounding::ceil;
    if (p.pool() == caffe::PoolingParameter::MAX)
      add(l,
          max_pool2d{
              .kernel = k, .stride = s, .padding = pad, .round = r, .global = p.global_pooling()});
    else if (p.pool() == caffe::PoolingParameter::AVE)
      add(l,
          avg_pool2d{
              .kernel = k, .stride = s, .padding = pad, .round = r, .global = p.global_pooling()});
    else
      unsupported(l, "Pooling (STOCHASTIC)");
  }

  void reshape(const caffe::LayerParameter& l) {
    const node_id from = bottom(l, 0);  // fails before any input: no blob exists yet
    const shape3 in = net_->output(from);
    const auto& dims = l.reshape_param().shape().dim();
    // Only the flattening reshapes of classifier heads: (N, C·H·W) written with 0 (copy) or −1.
    if (dims.size() == 2 && (dims.Get(0) == 0 || dims.Get(0) == 1 || dims.Get(0) == -1) &&
        (dims.Get(1) == -1 || dims.Get(1) == in.elements() ||
         (dims.Get(1) == 0 && in.x * in.y == 1)))
      return add(l, flatten{});
    unsupported(l, "Reshape to " + std::to_string(dims.size()) + " dimensions");
  }

  void unsupported(const caffe::LayerParameter& l, const std::string& type) {
    if (!opt_.unsupported_as_zero_cost) {
      std::string list;
      for (const auto& t : caffe_supported_types()) list += (list.empty() ? "" : ", ") + t;
      fail(l.name(), "unsupported layer type '" + type + "' (supported: " + list +
                         "; or import with unsupported_as_zero_cost)");
    }
    for (const auto& t : l.top()) blobs_[t] = bottom(l, 0);
    notes_.push_back(
        {l.name(), type, "counted as zero cost: unsupported type, treated as pass-through"});
  }

  /// Looks the layer's type up in the type table and calls its handler, after the phase
  /// filter; a type the table lacks is `unsupported`.
  void import_layer(const caffe::LayerParameter& l) {
    const caffe_type* type = find_type(l.type());
    const bool is_data = type && type->role == caffe_role::data;
    // A data layer of the other phase still defines the input when this phase has none (files
    // written for Netscope declare only a TRAIN data layer).
    if (!in_phase(l, opt_.train_phase) && !(is_data && !net_))
      return notes_.push_back({l.name(), l.type(), "not in this phase"});
    if (!type) return unsupported(l, l.type());
    (this->*type->import)(l);
  }

  // The type handlers (the table's rows).

  /// An Input layer: its shape, or the caller's when it declares none.
  void input(const caffe::LayerParameter& l) {
    if (l.top_size() == 0) fail(l.name(), "Input layer without a top blob");
    if (l.input_param().shape_size() == 0) {
      if (!opt_.input_shape) fail(l.name(), "Input layer without a shape");
      return start(l.top(0), *opt_.input_shape, l.name());
    }
    const auto& d = l.input_param().shape(0).dim();
    start(l.top(0), nchw({d.begin(), d.end()}, "Input layer '" + l.name() + "'"), l.name());
  }

  /// A data layer: the first defines the input, with the caller's shape (the data come from a
  /// database), or with its own input_param shape (Netscope's "data" layers).
  void data_layer(const caffe::LayerParameter& l) {
    const std::string& t = l.type();
    if (net_) return notes_.push_back({l.name(), t, "second data layer, ignored"});
    if (l.top_size() == 0) fail(l.name(), "data layer without a top blob");
    if (l.input_param().shape_size() > 0 && !opt_.input_shape) {
      const auto& d = l.input_param().shape(0).dim();
      return start(l.top(0), nchw({d.begin(), d.end()}, "data layer '" + l.name() + "'"), l.name());
    }
    if (!opt_.input_shape)
      fail(l.name(),
           "a " + t + " layer reads its input from a database: give caffe_options::input_shape");
    notes_.push_back({l.name(), t, "data layer: input shape given by the caller"});
    start(l.top(0), *opt_.input_shape, l.name());
  }

  /// Accuracy, Silence, *Loss: not part of inference.
  void training_only(const caffe::LayerParameter& l) {
    notes_.push_back({l.name(), l.type(), "training-only layer, not counted"});
  }

  void inner_product(const caffe::LayerParameter& l) {
    const auto& p = l.inner_product_param();
    if (p.axis() != 1) fail(l.name(), "inner product axis other than 1");
    add(l, fully_connected{.outputs = p.num_output(), .bias = p.bias_term()});
  }

  void lrn_layer(const caffe::LayerParameter& l) {
    const auto& p = l.lrn_param();
    add(l, lrn{.local_size = p.local_size(),
               .region = p.norm_region() == caffe::LRNParameter::WITHIN_CHANNEL
                             ? lrn_region::within_channel
                             : lrn_region::across_channels});
  }

  /// Scale with learned γ (one bottom); a second bottom (γ from another blob) is not counted.
  void scale_layer(const caffe::LayerParameter& l) {
    if (l.bottom_size() != 1) fail(l.name(), "Scale with a second (scale) input is not supported");
    add(l, scale{.bias = l.scale_param().bias_term()});
  }

  /// ReLU, leaky when negative_slope is not 0.
  void relu(const caffe::LayerParameter& l) {
    add(l, activation{.kind = l.relu_param().negative_slope() != 0 ? activation_kind::leaky_relu
                                                                   : activation_kind::relu});
  }

  template <activation_kind Kind>
  void activation_of(const caffe::LayerParameter& l) {
    add(l, activation{.kind = Kind});
  }

  /// Layer types that become a default-constructed descriptor D (no parameters to read).
  template <class D>
  void layer_of(const caffe::LayerParameter& l) {
    add(l, D{});
  }

  /// Eltwise SUM (Caffe's default), PROD or MAX.
  void eltwise_layer(const caffe::LayerParameter& l) {
    const auto op = l.eltwise_param().operation();
    add(l, eltwise{.op = op == caffe::EltwiseParameter::PROD  ? eltwise_op::prod
                         : op == caffe::EltwiseParameter::MAX ? eltwise_op::max
                                                              : eltwise_op::sum});
  }

  void concat_layer(const caffe::LayerParameter& l) {
    const auto& p = l.concat_param();
    if ((p.has_axis() && p.axis() != 1) || (p.has_concat_dim() && p.concat_dim() != 1))
      fail(l.name(), "concatenation along an axis other than channels");
    add(l, concat{});
  }

  /// Split: every top is the bottom (no layer).
  void split(const caffe::LayerParameter& l) {
    const node_id from = bottom(l, 0);
    for (const auto& top : l.top()) blobs_[top] = from;
  }

  std::string source_;
  caffe_options opt_;
  std::string name_;
  std::optional<network> net_;
  std::map<std::string, node_id> blobs_;
  std::vector<import_note> notes_;
  int line_ = 0;
};

/// A parsed prototxt: the message and the 1-based lines of its layers (new-format ones first,
/// then V1) and of its declared `input` (0: none).
struct caffe_parsed {
  caffe::NetParameter net;
  std::vector<int> layer_lines;
  int input_line = 0;
};

/// Parses prototxt `text` (`source` names it in errors; see import_caffe_text). The parser's
/// location tree (a few hundred bytes a layer) is freed on return, before any layer is built:
/// only the lines are kept.
[[nodiscard]] inline caffe_parsed parse_prototxt(const std::string& text,
                                                 const std::string& source) {
  // libprotobuf reads at most INT_MAX bytes (and the nesting scan's stream counts in int).
  if (text.size() > static_cast<std::size_t>(INT_MAX))
    throw import_error(source + ": " + std::to_string(text.size()) +
                       " bytes, more than a prototxt may have (" + std::to_string(INT_MAX) + ")");
  check_nesting(text, source);
  caffe_parsed p;
  google::protobuf::TextFormat::Parser parser;
  caffe_error_collector errors;
  google::protobuf::TextFormat::ParseInfoTree tree;
  // Fields the schema lacks reach the collector as warnings, which rejects all but the skipped
  // ones; the recursion limit also bounds the parser's skipping of their contents.
  parser.AllowUnknownField(true);
  parser.SetRecursionLimit(caffe_max_nesting);
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(&tree);
  if (!parser.ParseFromString(text, &p.net) || !errors.first.empty())
    throw import_error(source + ":" + (errors.first.empty() ? " cannot parse" : errors.first));
  const auto* desc = caffe::NetParameter::descriptor();
  for (const char* field : {"layer", "layers"}) {
    const auto* f = desc->FindFieldByName(field);
    const int n = field[5] == 's' ? p.net.layers_size() : p.net.layer_size();
    for (int i = 0; i < n; ++i) p.layer_lines.push_back(tree.GetLocation(f, i).line + 1);
  }
  p.input_line =
      p.net.input_size() > 0 ? tree.GetLocation(desc->FindFieldByName("input"), 0).line + 1 : 0;
  return p;
}

}  // namespace detail

inline const std::vector<std::string>& caffe_supported_types() {
  static const std::vector<std::string> types = [] {
    std::vector<std::string> names;
    for (const auto& t : detail::caffe_builder::types())
      if (t.role == detail::caffe_role::node) names.emplace_back(t.name);
    return names;
  }();
  return types;
}

inline const std::vector<std::string>& caffe_skipped_fields() {
  static const std::vector<std::string> fields = [] {
    std::vector<std::string> names;
    for (const auto& f : detail::caffe_skipped_field_table)
      names.push_back(std::string(f.message) + "." + std::string(f.field));
    return names;
  }();
  return fields;
}

/// Imports a network from prototxt text; `source` names it in errors (a file name).
/// Errors — std::invalid_argument naming source and line (all of its text valid UTF-8, names
/// from the file escaped as \xHH where they are not): a text-format syntax error (line and
/// column); a field neither in caffe_subset.proto nor in caffe_skipped_fields() (line, column,
/// field); messages nested deeper than caffe_max_nesting (line, field); a network or layer name
/// or layer type that is not valid UTF-8 (byte offset in the name); a bottom blob no earlier
/// layer produces; an unsupported layer type (listing the supported ones, unless
/// `unsupported_as_zero_cost`); no input; an input shape the network rejects (e.g. a negative
/// dimension); and every error of network::add (shapes), with the layer's name.
[[nodiscard]] inline caffe_import import_caffe_text(const std::string& text,
                                                    const std::string& source,
                                                    const caffe_options& options = {}) {
  const detail::caffe_parsed p = detail::parse_prototxt(text, source);
  return detail::caffe_builder(source, options).run(p.net, p.layer_lines, p.input_line);
}

/// Imports a network from a .prototxt file (see import_caffe_text). An unreadable file is a
/// std::invalid_argument "<file>: cannot open: <reason>" or "<file>: is a directory, not a
/// file".
[[nodiscard]] inline caffe_import import_caffe(const std::filesystem::path& file,
                                               const caffe_options& options = {}) {
  // The file's text is freed once parsed, before the network is built.
  const detail::caffe_parsed p = [&file] {
    const std::string text = detail::read_model_file(file);
    return detail::parse_prototxt(text, file.string());
  }();
  return detail::caffe_builder(file.string(), options).run(p.net, p.layer_lines, p.input_line);
}

}  // namespace synergy::io
