#include "cli/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <vector>

#include "cli/output.h"

#include "cli/output.h"

namespace signet::cli {

namespace {

std::string Why(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

}  // namespace

std::optional<std::string> ReadWholeFile(const std::string& path, std::string* error) {
  if (path == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = Why("cannot open", path);
    return std::nullopt;
  }
  std::string out;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = Why("cannot read", path);
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

bool WritePrivateFile(const std::string& path, const std::string& bytes, std::string* error) {
  std::filesystem::path target(path);
  std::filesystem::path dir = target.parent_path().empty() ? "." : target.parent_path();
  // mkstemp creates the file 0600 whatever the umask; the rename below keeps that mode.
  std::string pattern = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) {
    *error = Why("cannot create a file in", dir.string());
    return false;
  }
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = Why("cannot write", path);
      ::close(fd);
      ::unlink(name.data());
      return false;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    *error = Why("cannot write", path);
    ::unlink(name.data());
    return false;
  }
  if (::rename(name.data(), path.c_str()) != 0) {
    *error = Why("cannot replace", path);
    ::unlink(name.data());
    return false;
  }
  return true;
}

bool MakePrivateDirectories(const std::string& path, std::string* error) {
  std::filesystem::path full(path);
  std::filesystem::path so_far;
  for (const auto& part : full) {
    so_far /= part;
    if (::mkdir(so_far.c_str(), 0700) != 0 && errno != EEXIST) {
      *error = Why("cannot create the directory", so_far.string());
      return false;
    }
  }
  struct stat st {};
  if (::stat(full.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    *error = path + " is not a directory";
    return false;
  }
  return true;
}

std::optional<std::string> ReadSecretFile(const std::string& path, bool first_line,
                                          std::string* error) {
  auto text = ReadWholeFile(path, error);
  if (!text) return std::nullopt;
  if (first_line) *text = text->substr(0, text->find_first_of("\r\n"));
  if (text->find_first_not_of(" \t\r\n") == std::string::npos) {
    *error = (path == "-" ? std::string("standard input") : path) + " is empty";
    return std::nullopt;
  }
  struct stat st {};
  if (path != "-" && ::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    std::cerr << "signet: warning: " << Printable(path)
              << " holds a secret but other users may read it; chmod 600 it\n";
  }
  return text;
}

}  // namespace signet::cli
