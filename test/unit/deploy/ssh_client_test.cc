// SSH push against a real OpenSSH server (sshd from Debian's openssh-server), started by the test
// on 127.0.0.1 with its own host key and authorized key: the pinned host key, key login, atomic
// placement with modes and the previous files kept, restore, commands and their deadline.
#include "signet/deploy/ssh_client.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "testing/shell.h"

namespace signet::deploy {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

class SshClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists("/usr/sbin/sshd")) GTEST_SKIP() << "openssh-server is not installed";
    if (getuid() != 0) GTEST_SKIP() << "sshd needs root for its privilege separation directory";
    fs::create_directories("/run/sshd");
    dir_ = fs::path(::testing::TempDir()) / ("ssh_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "www");
    std::string d = dir_.string();
    testing::RunShell("ssh-keygen -q -t ed25519 -N '' -f " + d + "/host_key");
    testing::RunShell("ssh-keygen -q -t ed25519 -N '' -f " + d + "/client_key");
    testing::RunShell("ssh-keygen -q -t ed25519 -N '' -f " + d + "/stranger_key");
    fs::copy_file(dir_ / "client_key.pub", dir_ / "authorized_keys");
    std::string listing = testing::RunShell("ssh-keygen -lf " + d + "/host_key.pub");
    host_key_ = listing.substr(listing.find(' ') + 1);
    host_key_ = host_key_.substr(0, host_key_.find(' '));
    port_ = FreePort();
    std::ofstream config(dir_ / "sshd_config");
    config << "Port " << port_ << "\nListenAddress 127.0.0.1\nHostKey " << d
           << "/host_key\nPidFile " << d << "/sshd.pid\nAuthorizedKeysFile " << d
           << "/authorized_keys\nStrictModes no\nUsePAM no\nPermitRootLogin prohibit-password\n"
              "PasswordAuthentication no\nKbdInteractiveAuthentication no\n"
              "Subsystem sftp internal-sftp\nLogLevel ERROR\n";
    config.close();
    sshd_ = fork();
    if (sshd_ == 0) {
      execl("/usr/sbin/sshd", "/usr/sbin/sshd", "-D", "-e", "-f", (dir_ / "sshd_config").c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 200; ++i) {
      if (HostKeyFingerprint("127.0.0.1", port_, std::chrono::seconds(2)).ok()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    target_.host = "127.0.0.1";
    target_.port = port_;
    target_.username = getpwuid(getuid())->pw_name;
    target_.private_key_pem = Read(dir_ / "client_key");
    target_.host_key = host_key_;
    target_.timeout = std::chrono::seconds(10);
  }
  void TearDown() override {
    if (sshd_ > 0) {
      kill(sshd_, SIGTERM);
      waitpid(sshd_, nullptr, 0);
    }
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  fs::path dir_;
  std::string host_key_;
  int port_ = 0;
  pid_t sshd_ = -1;
  SshTarget target_;
};

TEST_F(SshClientTest, TheFingerprintIsWhatSshKeygenPrints) {
  auto fingerprint = HostKeyFingerprint("127.0.0.1", port_, std::chrono::seconds(5));
  ASSERT_TRUE(fingerprint.ok()) << fingerprint.status().ToString();
  EXPECT_EQ(*fingerprint, host_key_);
  EXPECT_EQ(host_key_.rfind("SHA256:", 0), 0u);
}

TEST_F(SshClientTest, FilesArePlacedWithTheirModesAndThePreviousOnesCanComeBack) {
  auto c = SshConnection::Open(target_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  fs::path chain = dir_ / "www" / "fullchain.pem", key = dir_ / "www" / "it's a key.pem";
  std::vector<RemoteFile> first = {{chain.string(), "chain one\n", 0644},
                                   {key.string(), "key one\n", 0600}};
  ASSERT_TRUE((*c)->Place(first, "run-1").ok());
  EXPECT_EQ(Read(chain), "chain one\n");
  EXPECT_EQ(Read(key), "key one\n");
  struct stat st {};
  ASSERT_EQ(stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(stat(chain.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  EXPECT_FALSE(fs::exists(chain.string() + ".signet-new"));

  std::vector<RemoteFile> second = {{chain.string(), "chain two\n", 0644},
                                    {key.string(), "key two\n", 0600}};
  ASSERT_TRUE((*c)->Place(second, "run-2").ok());
  EXPECT_EQ(Read(chain), "chain two\n");
  EXPECT_EQ(Read(chain.string() + ".signet-previous"), "chain one\n");
  // The same run placing again (resumed after a crash) keeps what it is to restore.
  ASSERT_TRUE((*c)->Place(second, "run-2").ok());
  EXPECT_EQ(Read(chain.string() + ".signet-previous"), "chain one\n");
  ASSERT_TRUE((*c)->Restore(second).ok());
  EXPECT_EQ(Read(chain), "chain one\n");
  EXPECT_EQ(Read(key), "key one\n");
  ASSERT_TRUE((*c)->Restore(second).ok()) << "restoring twice changes nothing";
  EXPECT_EQ(Read(key), "key one\n");

  // Another run placing the same content keeps what is there: its rollback changes nothing.
  ASSERT_TRUE((*c)->Place(second, "run-3").ok());
  ASSERT_TRUE((*c)->Place(second, "run-4").ok());
  EXPECT_EQ(Read(chain.string() + ".signet-previous"), "chain two\n");
  ASSERT_TRUE((*c)->Restore(second).ok());
  EXPECT_EQ(Read(chain), "chain two\n");

  // A file that did not exist before is removed by a restore.
  fs::path extra = dir_ / "www" / "new.pem";
  ASSERT_TRUE((*c)->Place({{extra.string(), "x", 0644}}, "run-5").ok());
  ASSERT_TRUE((*c)->Restore({{extra.string(), "x", 0644}}).ok());
  EXPECT_FALSE(fs::exists(extra));
  EXPECT_EQ((*c)->Place({{"relative/path", "x", 0644}}, "run-6").reason(), "invalid_target");
}

TEST_F(SshClientTest, CommandsReportTheirExitAndOutputWithinADeadline) {
  auto c = SshConnection::Open(target_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  auto r = (*c)->Run("echo reloaded; echo warning >&2; exit 3", std::chrono::seconds(10));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->exit_status, 3);
  EXPECT_NE(r->output.find("reloaded"), std::string::npos);
  EXPECT_NE(r->output.find("warning"), std::string::npos);
  auto slow = (*c)->Run("sleep 5", std::chrono::seconds(1));
  EXPECT_EQ(slow.status().reason(), "ssh_timeout");
}

TEST_F(SshClientTest, AnotherHostKeyAnUnknownKeyOrNoServerIsRefused) {
  SshTarget wrong_pin = target_;
  wrong_pin.host_key = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  auto refused = SshConnection::Open(wrong_pin);
  EXPECT_EQ(refused.status().reason(), "host_key_mismatch");
  EXPECT_NE(refused.status().message().find(host_key_), std::string::npos)
      << "the message names what the server presented";

  SshTarget stranger = target_;
  stranger.private_key_pem = Read(dir_ / "stranger_key");
  EXPECT_EQ(SshConnection::Open(stranger).status().reason(), "ssh_auth_failed");

  SshTarget nobody = target_;
  nobody.port = FreePort();
  EXPECT_EQ(SshConnection::Open(nobody).status().reason(), "ssh_unreachable");

  SshTarget unpinned = target_;
  unpinned.host_key = "";
  EXPECT_EQ(SshConnection::Open(unpinned).status().reason(), "invalid_target");
  SshTarget garbage_key = target_;
  garbage_key.private_key_pem = "not a key";
  EXPECT_EQ(SshConnection::Open(garbage_key).status().reason(), "invalid_target");
}

TEST(ShellQuoteTest, OneWordWhateverItHolds) {
  EXPECT_EQ(ShellQuote("plain"), "'plain'");
  EXPECT_EQ(ShellQuote("it's; rm -rf /"), "'it'\\''s; rm -rf /'");
  EXPECT_EQ(testing::RunShell("printf %s " + ShellQuote("a 'b' $HOME `x`")), "a 'b' $HOME `x`");
}

}  // namespace
}  // namespace signet::deploy
