#pragma once
/// @file
/// Caffe importer: a .prototxt network (both the `layer { type: "Convolution" }` syntax and the
/// legacy V1 `layers { type: CONVOLUTION }`) as a synergy::network.
///
/// Parsed with libprotobuf's text-format parser against the project's schema subset
/// (caffe_subset.proto: only the fields counting needs; unknown fields are skipped). Part of
/// the CMake target `synergy::caffe` (protobuf), not of the header-only core.

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "synergy/io/caffe_subset.pb.h"
#include "synergy/io/import_note.hpp"
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

/// The layer types the importer turns into network nodes (Caffe's type strings).
inline const std::vector<std::string>& caffe_supported_types() {
  static const std::vector<std::string> types{
      "Input",  "Convolution", "Pooling", "InnerProduct", "LRN",     "BatchNorm",
      "Scale",  "ReLU",        "PReLU",   "Sigmoid",      "TanH",    "Eltwise",
      "Concat", "Dropout",     "Softmax", "Split",        "Flatten", "Reshape"};
  return types;
}

namespace detail {

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

/// Collects the text parser's errors with their line and column.
class caffe_error_collector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (first.empty())
      first = "line " + std::to_string(line + 1) + ", column " + std::to_string(column + 1) + ": " +
              message;
  }
  std::string first;
};

/// The importer's state while walking the layers.
class caffe_builder {
 public:
  caffe_builder(std::string source, const caffe_options& opt)
      : source_(std::move(source)), opt_(opt) {}

  caffe_import run(const caffe::NetParameter& net, const std::vector<int>& layer_lines) {
    std::vector<caffe::LayerParameter> layers(net.layer().begin(), net.layer().end());
    for (const auto& v1 : net.layers()) layers.push_back(from_v1(v1));
    declared_input(net);
    for (std::size_t i = 0; i < layers.size(); ++i) {
      line_ = i < layer_lines.size() ? layer_lines[i] : 0;
      import_layer(layers[i]);
    }
    if (!net_) fail("", "no input: the file declares none and no input_shape was given");
    return {std::move(*net_), std::move(notes_)};
  }

 private:
  [[noreturn]] void fail(const std::string& layer, const std::string& what) const {
    std::string where = source_;
    if (line_ > 0) where += ":" + std::to_string(line_);
    throw std::invalid_argument(where + (layer.empty() ? "" : ": layer '" + layer + "'") + ": " +
                                what);
  }

  /// NCHW dims → shape (x = W, y = H, z = C); N is ignored (counts are per image).
  shape3 nchw(const std::vector<std::int64_t>& d, const std::string& what) const {
    if (d.size() == 4) return {d[3], d[2], d[1]};
    if (d.size() == 2) return {1, 1, d[1]};
    fail("", what + " has " + std::to_string(d.size()) + " dimensions (expected 4, N C H W)");
  }

  void start(const std::string& blob, shape3 s) {
    if (net_) fail(blob, "a second network input (only one is supported)");
    if (opt_.input_shape) s = *opt_.input_shape;
    net_.emplace(name_, s);
    blobs_[blob] = 0;
  }

  void declared_input(const caffe::NetParameter& net) {
    name_ = net.name().empty() ? std::filesystem::path(source_).stem().string() : net.name();
    if (net.input_size() == 0) return;
    if (net.input_size() > 1) fail("", "more than one input (only one is supported)");
    std::vector<std::int64_t> dims;
    if (net.input_shape_size() > 0)
      dims.assign(net.input_shape(0).dim().begin(), net.input_shape(0).dim().end());
    else
      dims.assign(net.input_dim().begin(), net.input_dim().end());
    if (dims.empty() && !opt_.input_shape) fail("", "input '" + net.input(0) + "' has no shape");
    start(net.input(0), dims.empty() ? shape3{} : nchw(dims, "input '" + net.input(0) + "'"));
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
      fail(l.name(), e.what());
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

  void import_layer(const caffe::LayerParameter& l) {
    const std::string& t = l.type();
    const bool data_layer = t == "Data" || t == "ImageData" || t == "HDF5Data" ||
                            t == "MemoryData" || t == "WindowData" || t == "DummyData" ||
                            t == "data";
    // A data layer of the other phase still defines the input when this phase has none (files
    // written for Netscope declare only a TRAIN data layer).
    if (!in_phase(l, opt_.train_phase) && !(data_layer && !net_))
      return notes_.push_back({l.name(), t, "not in this phase"});
    if (t == "Input") {
      if (l.top_size() == 0) fail(l.name(), "Input layer without a top blob");
      if (l.input_param().shape_size() == 0) {
        if (!opt_.input_shape) fail(l.name(), "Input layer without a shape");
        return start(l.top(0), *opt_.input_shape);
      }
      const auto& d = l.input_param().shape(0).dim();
      return start(l.top(0), nchw({d.begin(), d.end()}, "Input layer '" + l.name() + "'"));
    }
    if (data_layer) {
      if (net_) return notes_.push_back({l.name(), t, "second data layer, ignored"});
      if (l.top_size() == 0) fail(l.name(), "data layer without a top blob");
      if (l.input_param().shape_size() > 0 && !opt_.input_shape) {  // Netscope's "data" layers
        const auto& d = l.input_param().shape(0).dim();
        return start(l.top(0), nchw({d.begin(), d.end()}, "data layer '" + l.name() + "'"));
      }
      if (!opt_.input_shape)
        fail(l.name(),
             "a " + t + " layer reads its input from a database: give caffe_options::input_shape");
      notes_.push_back({l.name(), t, "data layer: input shape given by the caller"});
      start(l.top(0), *opt_.input_shape);
      return;
    }
    if (t == "Accuracy" || t == "Silence" || t.ends_with("Loss"))
      return notes_.push_back({l.name(), t, "training-only layer, not counted"});
    if (t == "Convolution") return convolution(l);
    if (t == "Pooling") return pooling(l);
    if (t == "InnerProduct") {
      if (l.inner_product_param().axis() != 1) fail(l.name(), "inner product axis other than 1");
      return add(l, fully_connected{.outputs = l.inner_product_param().num_output(),
                                    .bias = l.inner_product_param().bias_term()});
    }
    if (t == "LRN")
      return add(l, lrn{.local_size = l.lrn_param().local_size(),
                        .region = l.lrn_param().norm_region() == caffe::LRNParameter::WITHIN_CHANNEL
                                      ? lrn_region::within_channel
                                      : lrn_region::across_channels});
    if (t == "BatchNorm" || t == "BN") return add(l, batch_norm{});
    if (t == "Scale") {
      if (l.bottom_size() != 1)
        fail(l.name(), "Scale with a second (scale) input is not supported");
      return add(l, scale{.bias = l.scale_param().bias_term()});
    }
    if (t == "ReLU")
      return add(
          l, activation{.kind = l.relu_param().negative_slope() != 0 ? activation_kind::leaky_relu
                                                                     : activation_kind::relu});
    if (t == "PReLU") return add(l, activation{.kind = activation_kind::prelu});
    if (t == "Sigmoid") return add(l, activation{.kind = activation_kind::sigmoid});
    if (t == "TanH") return add(l, activation{.kind = activation_kind::tanh});
    if (t == "Eltwise") {
      const auto op = l.eltwise_param().operation();
      return add(l, eltwise{.op = op == caffe::EltwiseParameter::PROD  ? eltwise_op::prod
                                  : op == caffe::EltwiseParameter::MAX ? eltwise_op::max
                                                                       : eltwise_op::sum});
    }
    if (t == "Concat") {
      const auto& p = l.concat_param();
      if ((p.has_axis() && p.axis() != 1) || (p.has_concat_dim() && p.concat_dim() != 1))
        fail(l.name(), "concatenation along an axis other than channels");
      return add(l, concat{});
    }
    if (t == "Dropout") return add(l, dropout{});
    if (t == "Softmax") return add(l, softmax{});
    if (t == "Flatten") return add(l, flatten{});
    if (t == "Reshape") return reshape(l);
    if (t == "Split") {
      const node_id from = bottom(l, 0);
      for (const auto& top : l.top()) blobs_[top] = from;
      return;
    }
    unsupported(l, t);
  }

  std::string source_;
  caffe_options opt_;
  std::string name_;
  std::optional<network> net_;
  std::map<std::string, node_id> blobs_;
  std::vector<import_note> notes_;
  int line_ = 0;
};

}  // namespace detail

/// Imports a network from prototxt text; `source` names it in errors (a file name).
/// Errors — std::invalid_argument naming source and line: a text-format syntax error; a bottom
/// blob no earlier layer produces; an unsupported layer type (listing the supported ones,
/// unless `unsupported_as_zero_cost`); no input; and every error of network::add (shapes).
[[nodiscard]] inline caffe_import import_caffe_text(const std::string& text,
                                                    const std::string& source,
                                                    const caffe_options& options = {}) {
  caffe::NetParameter net;
  google::protobuf::TextFormat::Parser parser;
  detail::caffe_error_collector errors;
  google::protobuf::TextFormat::ParseInfoTree tree;
  parser.AllowUnknownField(true);
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(&tree);
  if (!parser.ParseFromString(text, &net))
    throw std::invalid_argument(source + ": " +
                                (errors.first.empty() ? "cannot parse" : errors.first));
  std::vector<int> lines;
  const auto* desc = caffe::NetParameter::descriptor();
  for (const char* field : {"layer", "layers"}) {
    const auto* f = desc->FindFieldByName(field);
    const int n = field[5] == 's' ? net.layers_size() : net.layer_size();
    for (int i = 0; i < n; ++i) lines.push_back(tree.GetLocation(f, i).line + 1);
  }
  return detail::caffe_builder(source, options).run(net, lines);
}

/// Imports a network from a .prototxt file (see import_caffe_text). An unreadable file is a
/// std::invalid_argument naming it.
[[nodiscard]] inline caffe_import import_caffe(const std::filesystem::path& file,
                                               const caffe_options& options = {}) {
  std::ifstream in(file);
  if (!in) throw std::invalid_argument(file.string() + ": cannot open");
  std::stringstream text;
  text << in.rdbuf();
  return import_caffe_text(text.str(), file.string(), options);
}

}  // namespace synergy::io
