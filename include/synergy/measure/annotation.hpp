#pragma once
/// @file
/// Annotations: begin/end markers of named regions (a layer and its op type), stamped with
/// steady_clock, from any thread. Register a region once (`region(name, type)`, interns the
/// strings) and mark it as often as needed with `begin(id)`/`end(id)` or the RAII `scope` —
/// the hot path copies no string. `regions()` pairs begins with ends into measured regions,
/// numbering repetitions of a name as runs.

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "synergy/clock.hpp"
#include "synergy/measure/region.hpp"

namespace synergy::measure {

/// Handle of a registered region.
struct region_id {
  std::uint32_t value = 0;
};

/// Thread-safe collector of region begin/end events.
class annotator {
 public:
  /// Reserves room for `expected_events` so that marking never reallocates in a run.
  explicit annotator(std::size_t expected_events = 1 << 16) { events_.reserve(expected_events); }

  /// Registers (or finds) the region `name` of `op_type` (free text, e.g. "Convolution");
  /// O(1) average, takes the lock.
  region_id region(const std::string& name, const std::string& op_type = "") {
    std::lock_guard lock(mutex_);
    const std::string key = name + '\x1f' + op_type;
    const auto [it, fresh] = index_.try_emplace(key, static_cast<std::uint32_t>(names_.size()));
    if (fresh) names_.push_back({name, op_type});
    return {it->second};
  }

  /// Registers a new region `name` of `op_type` with an id of its own, even when a region of
  /// the same name exists (e.g. one layer run on two backends: one region each, told apart by
  /// id in `regions()`). O(1) amortised, takes the lock.
  region_id add_region(const std::string& name, const std::string& op_type = "") {
    std::lock_guard lock(mutex_);
    names_.push_back({name, op_type});
    return {static_cast<std::uint32_t>(names_.size() - 1)};
  }

  /// Marks the beginning of `id` now (steady clock). Throws std::out_of_range, naming the id
  /// and the number of registered regions, for an id this annotator never issued.
  void begin(region_id id) { record(id, true, now_s()); }
  /// Marks the end of `id` now. Throws std::out_of_range for an id never issued (see begin).
  void end(region_id id) { record(id, false, now_s()); }
  /// Marks with an explicit time (s, steady clock) — for importing recorded markers. Throws
  /// std::out_of_range for an id this annotator never issued: checked here, with one compare
  /// on the hot path, because regions() would otherwise index past its table.
  void record(region_id id, bool is_begin, double t_s) {
    std::lock_guard lock(mutex_);
    if (id.value >= names_.size()) unknown_id(id);
    events_.push_back({t_s, id.value, is_begin});
  }

  /// RAII region: begins on construction, ends on destruction.
  class scope {
   public:
    scope(annotator& a, region_id id) : a_(a), id_(id) { a_.begin(id_); }
    scope(const scope&) = delete;
    scope& operator=(const scope&) = delete;
    ~scope() { a_.end(id_); }

   private:
    annotator& a_;
    region_id id_;
  };

  /// Regions in order of their begin: each begin paired with the next end of the same id
  /// (nesting of one id allowed, innermost first), runs numbered per id, `annotation` = the id.
  /// Throws `std::logic_error` naming the region for an end without a begin or a begin never ended.
  [[nodiscard]] std::vector<measure::region> regions() const {
    std::lock_guard lock(mutex_);
    std::vector<std::vector<double>> open(names_.size());
    std::vector<int> runs(names_.size(), 0);
    std::vector<measure::region> out;
    for (const auto& e : events_) {
      const auto& [name, type] = names_[e.id];
      if (e.begin) {
        open[e.id].push_back(e.t);
        continue;
      }
      if (open[e.id].empty())
        throw std::logic_error("annotation: end of '" + name + "' without a begin");
      out.push_back({name, type, open[e.id].back(), e.t, runs[e.id]++, e.id});
      open[e.id].pop_back();
    }
    for (std::size_t i = 0; i < open.size(); ++i)
      if (!open[i].empty())
        throw std::logic_error("annotation: region '" + names_[i].first +
                               "' begun but never ended");
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.t0_s < b.t0_s; });
    return out;
  }

  /// Number of events recorded.
  [[nodiscard]] std::size_t size() const {
    std::lock_guard lock(mutex_);
    return events_.size();
  }
  /// Forgets all events (registered regions stay valid).
  void clear() {
    std::lock_guard lock(mutex_);
    events_.clear();
  }

 private:
  /// The error of record(), out of line so that the hot path stays one compare.
  [[noreturn]] [[gnu::cold]] void unknown_id(region_id id) const {
    throw std::out_of_range("annotation: region id " + std::to_string(id.value) +
                            " was not issued by this annotator (it has " +
                            std::to_string(names_.size()) + " regions)");
  }
  struct event {
    double t;
    std::uint32_t id;
    bool begin;
  };
  mutable std::mutex mutex_;
  std::vector<event> events_;
  std::vector<std::pair<std::string, std::string>> names_;  // (name, op_type) by id
  std::unordered_map<std::string, std::uint32_t> index_;
};

}  // namespace synergy::measure
