#pragma once
/// @file
/// Support for the libFuzzer harnesses of tests/fuzz (docs/fuzzing.md): the fuzz input as a
/// file the file-reading parsers can open, and the rule that only a parser's documented
/// exceptions count as a rejected input.

// memfd_create through syscall(2): <sys/mman.h> would define MAP_TYPE, which collides with
// an enumerator of libonnx's onnx/defs/parser.h in the ONNX harnesses.
#include <linux/memfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace synergy_fuzz {

/// One anonymous in-memory file per process (memfd_create), reopened by the parsers through
/// "/proc/self/fd/<n>": no disk write, nothing left behind when the fuzzer is killed, and each
/// open starts at offset 0 because /proc reopens the file rather than duplicating the
/// descriptor.
class input_file {
 public:
  input_file()
      : fd_(static_cast<int>(::syscall(SYS_memfd_create, "synergy-fuzz-input", MFD_CLOEXEC))) {
    if (fd_ < 0) die("memfd_create");
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  input_file(const input_file&) = delete;
  input_file& operator=(const input_file&) = delete;
  ~input_file() { ::close(fd_); }

  /// Replaces the file's contents with `size` bytes at `data`; returns its path.
  const std::string& write(const std::uint8_t* data, std::size_t size) {
    if (::ftruncate(fd_, 0) != 0) die("ftruncate");
    std::size_t done = 0;
    while (done < size) {
      const ssize_t n = ::pwrite(fd_, data + done, size - done, static_cast<off_t>(done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) die("pwrite");
      done += static_cast<std::size_t>(n);
    }
    return path_;
  }

 private:
  // A failing harness set-up is not a parser bug: say so and stop the run loudly.
  [[noreturn]] static void die(const char* what) {
    std::fprintf(stderr, "synergy fuzz harness: %s failed: %s\n", what, std::strerror(errno));
    std::abort();
  }
  int fd_;
  std::string path_;
};

/// The fuzz input written to this process's input file; returns the path to hand a parser.
inline const std::string& as_file(const std::uint8_t* data, std::size_t size) {
  static input_file file;
  return file.write(data, size);
}

/// The fuzz input as text (bytes as they are, NULs and invalid UTF-8 included).
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Whether SYNERGY_FUZZ_VERBOSE is set: then every rejection's message goes to stderr (to see
/// why a seed is rejected when replaying it: `SYNERGY_FUZZ_VERBOSE=1 fuzz_x seed`).
inline bool verbose() {
  static const bool on = std::getenv("SYNERGY_FUZZ_VERBOSE") != nullptr;
  return on;
}

/// Runs `parse`. An exception of one of the `Documented` types (or derived from one) is the
/// parser rejecting bad input as its header promises: success. Any other exception escapes,
/// reaches std::terminate and aborts, which libFuzzer reports as a crash with the input.
template <class Documented, class... More, class F>
void accept(F&& parse) {
  try {
    if constexpr (sizeof...(More) == 0) {
      parse();
      if (verbose()) std::fprintf(stderr, "accepted\n");
    } else {
      accept<More...>(parse);
    }
  } catch (const Documented& e) {  // the documented rejection of a bad input
    if (verbose()) std::fprintf(stderr, "rejected: %s\n", e.what());
  }
}

/// Aborts with `what` when an invariant the parser's documentation promises does not hold for
/// an input it accepted (a wrong number instead of an error).
inline void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "synergy fuzz harness: broken promise: %s\n", what);
  std::abort();
}

}  // namespace synergy_fuzz
