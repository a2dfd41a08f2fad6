#pragma once
// Test support: a temporary folder tree for fake sysfs layouts, removed on destruction, and a
// way to run a check without root privileges (root reads any file, so permission errors can
// only be seen from an unprivileged process).

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

namespace synergy_test {

class temp_tree {
 public:
  temp_tree() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "synergy-test-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    root_ = tmpl;
    std::filesystem::permissions(
        root_, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                   std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                   std::filesystem::perms::others_exec);
  }
  temp_tree(const temp_tree&) = delete;
  temp_tree& operator=(const temp_tree&) = delete;
  ~temp_tree() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  const std::filesystem::path& root() const { return root_; }
  /// Writes `text` + '\n' to root/rel, creating folders.
  std::filesystem::path write(const std::string& rel, const std::string& text) const {
    const auto p = root_ / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::trunc) << text << '\n';
    return p;
  }

 private:
  std::filesystem::path root_;
};

/// Runs `check` in a child process as user `nobody` (65534) when this process is root, else
/// directly; returns the check's result (child exit status 0 = true).
inline bool as_unprivileged(const std::function<bool()>& check) {
  if (::geteuid() != 0) return check();
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(3);
    bool ok = false;
    try {
      ok = check();
    } catch (...) {
      ok = false;
    }
    ::_exit(ok ? 0 : 1);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace synergy_test
