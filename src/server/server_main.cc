#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "server/ca_setup.h"
#include "server/commands.h"
#include "server/inventory_bundles.h"
#include "server/listener_tls.h"
#include "server/node_checks.h"
#include "server/process.h"
#include "server/product_catalog_file.h"
#include "server/server_settings.h"
#include "server/validation_setup.h"
#include "signet/accounts/account_service.h"
#include "signet/ca/certificate_authority.h"
#include "signet/ca/crl_writer.h"
#include "signet/ca/ocsp_responder.h"
#include "signet/common/crash_point.h"
#include "signet/common/files.h"
#include "signet/common/log.h"
#include "signet/deploy/deployment_service.h"
#include "signet/jobs/job_runner.h"
#include "signet/monitor/alert_digest.h"
#include "signet/monitor/monitor_service.h"
#include "signet/notify/notifier.h"
#include "signet/ra/acme_service.h"
#include "signet/ra/certificate_downloads.h"
#include "signet/ra/certificate_service.h"
#include "signet/ra/order_service.h"
#include "signet/ra/product_catalog.h"
#include "signet/upstream/upstream_clients.h"
#include "signet/wfe/http_server.h"
#include "signet/wfe/web_front_end.h"

namespace signet::server {

namespace fs = std::filesystem;

namespace {

int Fail(const std::string& message) {
  std::cerr << "signetd: " << message << "\n";
  log::Error("startup failed", {{"error", message}});
  return 1;
}

// Certificates name their shard in their CRL distribution point, so this never changes for an
// existing CA without re-issuing.
constexpr int kCrlShards = 16;

int HardwareThreads() { return std::max(1u, std::thread::hardware_concurrency()); }

// host and port of "host:port" or "[v6]:port".
// The console ships next to the binary (build/console beside build/bin) unless configured.
std::string ConsoleDirectory(const Settings& s) {
  std::string configured = s.Get("console.dir");
  if (configured == "none") return "";
  if (!configured.empty()) return configured;
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  std::filesystem::path dir = exe.parent_path().parent_path() / "console";
  return std::filesystem::exists(dir / "index.html", ec) ? dir.string() : "";
}

bool SplitHostPort(const std::string& listen, std::string* host, int* port) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  *host = listen.substr(0, colon);
  if (host->size() >= 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  try {
    size_t used = 0;
    *port = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1) return false;
  } catch (const std::exception&) {
    return false;
  }
  return *port >= 0 && *port <= 65535 && !host->empty();
}

void WriteInitialAdmin(const std::string& data_dir, const accounts::InitialAdmin& admin,
                       const std::string& public_url) {
  fs::path file = fs::path(data_dir) / "initial-admin.txt";
  Status written =
      WriteFileAtomically(file.string(),
                          "email=" + admin.user.email + "\npassword=" + admin.password +
                              "\napi_key=" + admin.api_key + "\n",
                          0600);
  if (!written.ok()) {
    log::Error("writing the initial administrator's credentials failed",
               {{"file", file.string()}, {"error", written.message()}});
  }
  // Standard output is often a log too (systemd, docker logs): the secrets are printed only to
  // a terminal, where a person reads them once. Elsewhere it says where they are.
  std::cout << "\n  Signet is set up. The initial administrator";
  if (isatty(STDOUT_FILENO) == 1) {
    std::cout << " (shown once, also kept in\n"
              << "  " << file.string() << " with mode 0600):\n\n"
              << "    console:  " << public_url << "/\n"
              << "    email:    " << admin.user.email << "\n"
              << "    password: " << admin.password << "\n"
              << "    api key:  " << admin.api_key << "\n\n"
              << "  Try: curl --cacert " << (fs::path(data_dir) / "ca.pem").string()
              << " -H 'Authorization: Bearer " << admin.api_key << "' " << public_url
              << "/api/v1/session\n\n";
  } else {
    std::cout << "'s email, password and API key are in\n  " << file.string()
              << " (mode 0600; not printed here, because standard output is not a terminal).\n"
              << "  Console: " << public_url << "/\n\n";
  }
  std::cout << std::flush;
}

// The host of a URL (scheme://[user@]host[:port][/...]), lower-cased, without brackets; empty when
// there is none.
std::string UrlHost(const std::string& url) {
  size_t start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  size_t end = url.find_first_of("/?#", start);
  std::string authority = url.substr(start, end == std::string::npos ? end : end - start);
  if (size_t at = authority.rfind('@'); at != std::string::npos) authority.erase(0, at + 1);
  std::string host;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    host = close == std::string::npos ? "" : authority.substr(1, close - 1);
  } else {
    host = authority.substr(0, authority.find(':'));
  }
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return host;
}

// Every later start says where the console is and where the first start put the initial
// administrator's credentials, so whoever starts signetd again is not left guessing.
void PrintRunning(const std::string& data_dir, const std::string& public_url) {
  fs::path file = fs::path(data_dir) / "initial-admin.txt";
  std::cout << "\n  Signet is running. Console: " << public_url << "/\n";
  std::error_code ec;
  if (fs::exists(file, ec)) {
    std::cout << "  The initial administrator's email, password and API key are in\n  "
              << file.string() << " (mode 0600).\n";
  } else {
    std::cout << "  Sign in with your own account; an operator sets a forgotten password with\n"
              << "  signetd admin reset-password --email <address>.\n";
  }
  std::cout << "\n" << std::flush;
}

}  // namespace

std::unique_ptr<ServiceContext> OpenServiceContext(const Settings::Sources& sources,
                                                   int pool_size_hint) {
  auto settings = Settings::Load(SettingDefinitions(), sources);
  if (!settings.ok()) {
    Fail(settings.status().message());
    return nullptr;
  }
  auto ctx = std::make_unique<ServiceContext>();
  ctx->settings = std::move(settings).value();
  log::Level level;
  if (!log::ParseLevel(ctx->settings.Get("log.level"), &level)) {
    Fail("log.level must be debug, info, warn or error");
    return nullptr;
  }
  log::SetLevel(level);
  auto offset = ctx->settings.GetInt("clock.offset_seconds");
  if (!offset.ok()) {
    Fail(offset.status().message());
    return nullptr;
  }
  ctx->clock = std::make_unique<SystemClock>(std::chrono::seconds(*offset));
  ctx->random = std::make_unique<SystemRandom>();
  const std::string& data_dir = ctx->settings.Get("data_dir");
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  if (ec) {
    Fail("cannot create data_dir " + data_dir + ": " + ec.message());
    return nullptr;
  }
  chmod(data_dir.c_str(), 0700);
  auto pool = ctx->settings.GetInt("database.pool_size");
  if (!pool.ok()) {
    Fail(pool.status().message());
    return nullptr;
  }
  sa::StorageOptions options{ctx->settings.Get("database.url"),
                             *pool > 0 ? static_cast<int>(*pool) : pool_size_hint};
  auto storage = sa::OpenStorage(options, *ctx->clock, *ctx->random);
  if (!storage.ok()) {
    Fail(storage.status().message());
    return nullptr;
  }
  ctx->storage = std::move(storage).value();
  Status migrated = ctx->storage->Migrate();
  if (!migrated.ok()) {
    Fail("database migration failed: " + migrated.message());
    return nullptr;
  }
  return ctx;
}

int RunServe(const Settings::Sources& sources) {
  sigset_t stop_signals = BlockStopSignals();

  // Settings are loaded twice (here for thread counts, then by OpenServiceContext); cheap.
  auto preview = Settings::Load(SettingDefinitions(), sources);
  if (!preview.ok()) return Fail(preview.status().message());
  auto io_threads = preview->GetInt("server.io_threads");
  auto blocking_threads = preview->GetInt("server.blocking_threads");
  if (!io_threads.ok()) return Fail(io_threads.status().message());
  if (!blocking_threads.ok()) return Fail(blocking_threads.status().message());
  int io = *io_threads > 0 ? static_cast<int>(*io_threads) : HardwareThreads();
  int blocking = *blocking_threads > 0 ? static_cast<int>(*blocking_threads)
                                       : std::max(4, 2 * HardwareThreads());

  auto ctx = OpenServiceContext(sources, blocking + 2);
  if (!ctx) return 1;
  const Settings& s = ctx->settings;

  std::string host;
  int port = 0;
  if (!SplitHostPort(s.Get("listen"), &host, &port)) {
    return Fail("listen must be host:port, e.g. 127.0.0.1:8443; got '" + s.Get("listen") + "'");
  }

  wfe::HttpServerOptions http;
  http.host = host;
  http.port = static_cast<uint16_t>(port);
  http.io_threads = io;
  http.blocking_threads = blocking;
  auto body = s.GetInt("http.max_body_bytes");
  auto read_timeout = s.GetInt("http.read_timeout_seconds");
  auto body_timeout = s.GetInt("http.body_timeout_seconds");
  auto max_conn = s.GetInt("http.max_connections");
  auto grace = s.GetInt("shutdown.grace_seconds");
  auto job_threads = s.GetInt("jobs.threads");
  auto poll = s.GetInt("jobs.poll_interval_ms");
  auto lease = s.GetInt("jobs.lease_seconds");
  auto session_lifetime = s.GetInt("session.lifetime_seconds");
  for (const Status* st : {&body.status(), &read_timeout.status(), &body_timeout.status(),
                           &max_conn.status(), &grace.status(), &job_threads.status(),
                           &poll.status(), &session_lifetime.status(), &lease.status()}) {
    if (!st->ok()) return Fail(st->message());
  }
  http.max_body_bytes = static_cast<size_t>(*body);
  http.read_timeout = std::chrono::seconds(*read_timeout);
  http.body_timeout = std::chrono::seconds(*body_timeout);
  http.max_connections = static_cast<int>(*max_conn);
  http.shutdown_grace = std::chrono::seconds(*grace);

  accounts::AccountServiceOptions account_options;
  account_options.session_lifetime = std::chrono::seconds(*session_lifetime);
  accounts::AccountService accounts(*ctx->storage, *ctx->clock, *ctx->random, account_options);

  // The front end is made once the port is bound (public_url may name it); the dispatcher
  // answers 503 until then, though Start only begins accepting after it exists.
  std::atomic<wfe::WebFrontEnd*> front_end_ptr{nullptr};
  auto server = wfe::HttpServer::Create(
      http,
      [&front_end_ptr](wfe::HttpRequest& r) {
        wfe::WebFrontEnd* fe = front_end_ptr.load();
        if (fe) return fe->Handle(r);
        wfe::HttpResponse starting;
        starting.status = 503;
        starting.content_type = "application/problem+json";
        starting.body =
            R"({"type":"urn:signet:problem:unavailable","title":"Service Unavailable","status":503,"code":"unavailable","detail":"signetd is starting; retry shortly"})";
        return starting;
      },
      [&front_end_ptr](const wfe::HttpRequest& r, const wfe::HttpResponse& resp, double secs) {
        if (wfe::WebFrontEnd* fe = front_end_ptr.load()) fe->Observe(r, resp, secs);
      });
  if (!server.ok()) return Fail(server.status().message());
  Status bound_ok = (*server)->Bind();
  if (!bound_ok.ok()) return Fail(bound_ok.message());
  uint16_t bound = (*server)->port();
  std::string address =
      (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(bound);
  wfe::WebFrontEndOptions fe_options;
  fe_options.public_url = s.Has("public_url") ? s.Get("public_url") : "https://" + address;
  while (!fe_options.public_url.empty() && fe_options.public_url.back() == '/') {
    fe_options.public_url.pop_back();
  }
  // A node without the database's master key or CA files stops here, naming the file,
  // before anything would make new ones (node_checks.h).
  Status files_present = CheckNodeFilesPresent(s, *ctx->storage);
  if (!files_present.ok()) return Fail(files_present.message());
  auto hierarchy = LoadCaHierarchy(s, fe_options.public_url, *ctx->clock, *ctx->random);
  if (!hierarchy.ok()) return Fail("loading the CA failed: " + hierarchy.status().message());
  fe_options.public_files = CaPublicFiles(**hierarchy);
  fe_options.console_dir = ConsoleDirectory(s);
  const sa::Actor system_actor{"system", "", "system", ""};
  ca::CertificateAuthority certificate_authority(
      **hierarchy, *ctx->storage, *ctx->clock, *ctx->random,
      {fe_options.public_url, kCrlShards,
       [](const std::string& step) { CrashPoint(("ca." + step).c_str()); }});
  ca::OcspResponder ocsp_responder(**hierarchy, *ctx->storage, *ctx->clock);
  fe_options.ocsp = [&ocsp_responder](const std::string& der) {
    return ocsp_responder.Respond(der);
  };
  ca::CrlWriter crl_writer(**hierarchy, *ctx->storage, *ctx->clock,
                           {fe_options.public_url, kCrlShards});
  // Finish issuances a crash interrupted, and make sure every CRL shard exists and is fresh.
  auto resumed = certificate_authority.ResumeUnfinished(system_actor);
  if (!resumed.ok())
    return Fail("resuming interrupted issuances failed: " + resumed.status().message());
  if (*resumed > 0) log::Info("completed interrupted issuances", {{"count", *resumed}});
  Status crls = crl_writer.RefreshAll();
  if (!crls.ok()) return Fail("generating CRLs failed: " + crls.message());

  auto validation =
      BuildValidationStack(s, fe_options.public_url, *ctx->storage, *ctx->clock, *ctx->random);
  if (!validation.ok()) {
    return Fail("setting up domain validation failed: " + validation.status().message());
  }
  ra::DomainValidationService& validations = *(*validation)->service;
  fe_options.validations = &validations;
  Status identity =
      RecordOrVerifyNodeIdentity(s, *(*validation)->vault, **hierarchy, *ctx->storage);
  if (!identity.ok()) return Fail(identity.message());

  auto catalog = LoadProductCatalog(s.Get("products.file"));
  if (!catalog.ok()) return Fail(catalog.status().message());
  auto attachment_limit = s.GetInt("attachments.max_bytes");
  if (!attachment_limit.ok()) return Fail(attachment_limit.status().message());
  std::string webhook_secret;
  if (s.Has("notify.webhook_secret_file")) {
    auto secret = ReadSecretFile(s.Get("notify.webhook_secret_file"), "notify.webhook_secret_file");
    if (!secret.ok()) return Fail(secret.status().message());
    webhook_secret = *secret;
  }
  auto private_webhooks = s.GetBool("notify.allow_private_webhooks");
  if (!private_webhooks.ok()) return Fail(private_webhooks.status().message());
  auto digest_hour = s.GetInt("monitoring.digest_hour_utc");
  if (!digest_hour.ok()) return Fail(digest_hour.status().message());
  if (*digest_hour < 0 || *digest_hour > 23) {
    return Fail("monitoring.digest_hour_utc must be an hour of the day, 0 to 23 (UTC)");
  }
  notify::Notifier notifier(
      *ctx->storage, *(*validation)->mailer, *ctx->clock,
      {s.Has("smtp.url"), s.Get("notify.webhook_url"), webhook_secret, 10000, *private_webhooks,
       (*validation)->vault.get(), s.Get("notify.ca_file"), static_cast<int>(*digest_hour)});
  if (auto sealed = notifier.SealPlaintextSecrets(); !sealed.ok()) {
    return Fail("sealing stored webhook secrets failed: " + sealed.status().message());
  } else if (*sealed > 0) {
    log::Info("sealed webhook secrets stored in plaintext",
              {{"count", static_cast<long>(*sealed)}});
  }
  fe_options.notifier = &notifier;
  if (!s.Has("smtp.url")) log::Warn("smtp.url is not set: no email is sent");
  ra::OrderService orders(
      *ctx->storage, *catalog, *(*validation)->local.names, validations, certificate_authority,
      **hierarchy, *(*validation)->vault, notifier, *ctx->clock, *ctx->random,
      {s.Get("data_dir"), static_cast<size_t>(*attachment_limit), fe_options.public_url});
  validations.SetStatusObserver(
      [&orders](const std::string& validation_id) { orders.OnValidationChanged(validation_id); });
  auto private_upstreams = s.GetBool("upstream.allow_private_addresses");
  if (!private_upstreams.ok()) return Fail(private_upstreams.status().message());
  upstream::UpstreamClients upstream_clients(*ctx->storage, *(*validation)->vault,
                                             *private_upstreams);
  orders.SetUpstreamClients(&upstream_clients);
  ra::CertificateDownloads downloads(*ctx->storage, **hierarchy, *(*validation)->vault,
                                     *ctx->random);
  ra::CertificateServiceOptions certificate_options;
  certificate_options.public_url = fe_options.public_url;
  auto reminder_days = ra::ParseReminderDays(s.Get("reminders.default_days"));
  auto renew_before = s.GetInt("terms.renew_before_days");
  auto supersede = s.GetInt("reissue.supersede_after_hours");
  auto require_letter = s.GetBool("revocation.require_letter");
  auto automatic_renewal = s.GetBool("renewals.automatic");
  auto scheduler_interval = s.GetInt("scheduler.interval_seconds");
  for (const Status* st :
       {&reminder_days.status(), &renew_before.status(), &supersede.status(),
        &require_letter.status(), &scheduler_interval.status(), &automatic_renewal.status()}) {
    if (!st->ok()) return Fail(st->message());
  }
  certificate_options.default_reminder_days = *reminder_days;
  certificate_options.renew_before_days = static_cast<int>(*renew_before);
  certificate_options.supersede_after_hours = static_cast<int>(*supersede);
  certificate_options.require_revocation_letter = *require_letter;
  certificate_options.automatic_renewal = *automatic_renewal;
  ra::CertificateService certificates(*ctx->storage, orders, **hierarchy, crl_writer,
                                      *(*validation)->vault, notifier, *ctx->clock, *ctx->random,
                                      certificate_options);
  auto local_targets = s.GetBool("deployment.allow_local_targets");
  auto deploy_scan = s.GetInt("deployment.scan_interval_seconds");
  auto verify_wait = s.GetInt("deployment.verify_wait_seconds");
  for (const Status* st : {&local_targets.status(), &deploy_scan.status(), &verify_wait.status()}) {
    if (!st->ok()) return Fail(st->message());
  }
  InventoryBundles bundles(downloads);
  deploy::DeploymentOptions deploy_options;
  deploy_options.allow_local_targets = *local_targets;
  deploy_options.verify_wait = std::chrono::seconds(std::max<int64_t>(0, *verify_wait));
  deploy_options.allow_private_webhooks = *private_webhooks;
  deploy::DeploymentService deployments(*ctx->storage, bundles, *(*validation)->vault, notifier,
                                        *ctx->clock, *ctx->random, deploy_options);
  fe_options.deployments = &deployments;
  auto private_monitors = s.GetBool("monitoring.allow_private_addresses");
  auto monitor_scan = s.GetInt("monitoring.scan_interval_seconds");
  for (const Status* st : {&private_monitors.status(), &monitor_scan.status()}) {
    if (!st->ok()) return Fail(st->message());
  }
  monitor::TrustAnchors anchors;
  anchors.system_bundle_file = s.Get("monitoring.trust_bundle");
  anchors.roots_pem = (*hierarchy)->root_pem();
  for (const ca::Issuer& issuer : (*hierarchy)->issuers()) {
    anchors.intermediates_pem += issuer.certificate_pem;
  }
  auto judge = monitor::ChainJudge::Create(anchors);
  if (!judge.ok()) return Fail(judge.status().message());
  monitor::MonitorOptions monitor_options;
  monitor_options.allow_private_addresses = *private_monitors;
  monitor::MonitorService monitors(*ctx->storage, **judge, notifier, *ctx->clock, monitor_options);
  monitor::AlertDigest digests(*ctx->storage, notifier, *ctx->clock);
  fe_options.monitors = &monitors;
  fe_options.products = &*catalog;
  fe_options.orders = &orders;
  fe_options.downloads = &downloads;
  fe_options.certificates = &certificates;

  ra::AcmeServiceOptions acme_options;
  acme_options.profiles = s.GetList("acme.profiles");
  auto orders_per_hour = s.GetInt("acme.rate_limit.new_orders_per_hour");
  auto per_domain = s.GetInt("acme.rate_limit.certificates_per_registered_domain_per_week");
  auto acme_threads = s.GetInt("acme.validation_threads");
  auto require_eab = s.GetBool("acme.require_eab");
  for (const Status* st : {&orders_per_hour.status(), &per_domain.status(), &acme_threads.status(),
                           &require_eab.status()}) {
    if (!st->ok()) return Fail(st->message());
  }
  // Profiles must be DV or OV products of the catalog (OV for accounts bound to an organization).
  // An operator's own catalog (products.file) may lack the default "acme-dv": then every DV product
  // of it is offered, and said so.
  std::vector<std::string> usable;
  for (const std::string& id : acme_options.profiles) {
    const ra::Product* p = catalog->Find(id);
    if (p != nullptr && (p->type == ca::ProductType::kDv || p->type == ca::ProductType::kOv)) {
      usable.push_back(id);
    } else if (s.SourceOf("acme.profiles") != "default") {
      return Fail("acme.profiles: '" + id + "' is not a DV or OV product of the catalog");
    }
  }
  if (usable.empty()) {
    for (const ra::Product& p : catalog->all()) {
      if (p.type == ca::ProductType::kDv) usable.push_back(p.id);
    }
    log::Warn("acme.profiles: the catalog has no acme-dv product; offering its DV products",
              {{"profiles", usable.size()}});
  }
  acme_options.profiles = usable;
  acme_options.new_orders_per_hour = static_cast<int>(*orders_per_hour);
  acme_options.certificates_per_registered_domain_per_week = static_cast<int>(*per_domain);
  acme_options.validation_threads = static_cast<int>(std::max<int64_t>(1, *acme_threads));
  ra::AcmeService acme(*ctx->storage, *(*validation)->local.names, *catalog, orders, validations,
                       certificates, downloads, *(*validation)->vault, *ctx->clock, *ctx->random,
                       acme_options);
  fe_options.acme = &acme;
  if (int resumed = acme.ResumePendingChallenges(); resumed > 0) {
    log::Info("resumed pending ACME challenge checks", {{"count", resumed}});
  }
  fe_options.acme_require_eab = *require_eab;
  fe_options.caa_identities = s.GetList("caa.issuer_domains");

  ListenerTlsFiles tls;
  if (s.Has("tls.cert") || s.Has("tls.key")) {
    if (!s.Has("tls.cert") || !s.Has("tls.key")) {
      return Fail("set both tls.cert and tls.key, or neither");
    }
    tls = {s.Get("tls.cert"), s.Get("tls.key"), ""};
  } else {
    // Colleagues reach Signet by public_url's host: the certificate names it too.
    std::vector<std::string> hosts = {host};
    if (std::string public_host = UrlHost(fe_options.public_url); !public_host.empty()) {
      hosts.push_back(public_host);
    }
    auto issued = EnsureListenerCertificate(s.Get("data_dir"), hosts, **hierarchy,
                                            certificate_authority, *ctx->clock, *ctx->random);
    if (!issued.ok())
      return Fail("issuing the listener certificate failed: " + issued.status().message());
    tls = *issued;
  }
  wfe::WebFrontEnd front_end(fe_options, accounts, *ctx->storage, *ctx->clock, *ctx->random);
  front_end_ptr = &front_end;
  Status started = (*server)->Start(tls.cert_chain, tls.private_key);
  if (!started.ok()) return Fail(started.message());

  auto admin = accounts.EnsureInitialAdmin();
  if (!admin.ok()) return Fail("creating the initial admin failed: " + admin.status().message());
  if (admin->has_value()) {
    WriteInitialAdmin(s.Get("data_dir"), **admin, fe_options.public_url);
  } else {
    PrintRunning(s.Get("data_dir"), fe_options.public_url);
  }

  jobs::JobRunnerOptions job_options;
  char hostname[256] = {0};
  gethostname(hostname, sizeof hostname - 1);
  job_options.worker_id = std::string(hostname) + ":" + std::to_string(getpid());
  job_options.threads = static_cast<int>(*job_threads);
  job_options.poll_interval = std::chrono::milliseconds(*poll);
  job_options.lease = std::chrono::seconds(std::max<int64_t>(1, *lease));
  jobs::JobRunner runner(*ctx->storage, *ctx->clock, job_options);
  sa::Storage* storage = ctx->storage.get();
  const Clock* clock = ctx->clock.get();
  runner.AddPeriodic("purge expired sessions", std::chrono::hours(1), [storage, clock] {
    auto purged = storage->PurgeExpiredSessions(clock->Now());
    if (purged.ok() && *purged > 0)
      log::Info("purged expired sessions", {{"count", static_cast<long>(*purged)}});
  });
  runner.AddPeriodic("purge expired ACME nonces", std::chrono::minutes(10), [storage, clock] {
    auto purged = storage->PurgeExpiredNonces(clock->Now());
    if (purged.ok() && *purged > 0)
      log::Info("purged expired ACME nonces", {{"count", static_cast<long>(*purged)}});
  });
  runner.AddPeriodic("refresh CRLs", std::chrono::hours(1), [&crl_writer] {
    Status refreshed = crl_writer.RefreshAll();
    if (!refreshed.ok()) log::Error("CRL refresh failed", {{"error", refreshed.message()}});
  });
  runner.Register("dcv.check", [&validations](const sa::Job& job) {
    return validations.RunCheckJob(job.payload);
  });
  runner.Register("dcv.email", [&validations](const sa::Job& job) {
    return validations.RunEmailJob(job.payload);
  });
  runner.Register("order.advance",
                  [&orders](const sa::Job& job) { return orders.RunAdvanceJob(job.payload); });
  runner.Register("notify.email",
                  [&notifier](const sa::Job& job) { return notifier.RunEmailJob(job.payload); });
  runner.Register("notify.webhook",
                  [&notifier](const sa::Job& job) { return notifier.RunWebhookJob(job.payload); });
  runner.Register("certificate.supersede", [&certificates](const sa::Job& job) {
    return certificates.RunSupersedeJob(job.payload);
  });
  runner.AddPeriodic(
      "check monitors that are due", std::chrono::seconds(std::max<int64_t>(1, *monitor_scan)),
      [&monitors, &digests] {
        auto checked = monitors.RunDue();
        if (!checked.ok()) {
          log::Error("checking monitors failed", {{"error", checked.status().message()}});
        }
        auto digested = digests.RunDue();
        if (!digested.ok()) {
          log::Error("sending monitor digests failed", {{"error", digested.status().message()}});
        }
      });
  runner.Register("deploy.run",
                  [&deployments](const sa::Job& job) { return deployments.RunDeploymentJob(job); });
  runner.AddPeriodic(
      "deploy new certificates of bound lineages",
      std::chrono::seconds(std::max<int64_t>(1, *deploy_scan)), [&deployments, &runner] {
        auto started = deployments.Reconcile();
        if (!started.ok()) {
          log::Error("looking for certificates to deploy failed",
                     {{"error", started.status().message()}});
        } else if (*started > 0) {
          log::Info("deploying new certificates", {{"count", static_cast<long>(*started)}});
          runner.Wake();
        }
      });
  runner.AddPeriodic(
      "expiry reminders and multi-year terms",
      std::chrono::seconds(std::max<int64_t>(1, *scheduler_interval)), [&certificates, &orders] {
        auto reminded = certificates.RunReminders();
        auto renewed = certificates.RunTermRenewals();
        auto upstream_renewed = orders.RenewUpstreamCertificates();
        if (!upstream_renewed.ok()) {
          log::Error("renewing upstream certificates failed",
                     {{"error", upstream_renewed.status().message()}});
        }
        log::Info("scheduled run",
                  {{"reminders", reminded.ok() ? *reminded : -1},
                   {"term_renewals", renewed.ok() ? *renewed : -1},
                   {"upstream_renewals", upstream_renewed.ok() ? *upstream_renewed : -1}});
      });
  auto resume_interval = s.GetInt("orders.resume_interval_seconds");
  if (!resume_interval.ok()) return Fail(resume_interval.status().message());
  // The first pass, at start, takes every processing order: whatever was moving them died with
  // the previous process. Later passes leave alone what changed in the last minute.
  runner.AddPeriodic(
      "resume processing orders", std::chrono::seconds(std::max<int64_t>(1, *resume_interval)),
      [&orders, first = true]() mutable {
        auto idle = first ? std::chrono::seconds(0) : std::chrono::seconds(60);
        first = false;
        auto resumed = orders.ResumeProcessing(idle);
        if (!resumed.ok()) {
          log::Error("resuming processing orders failed", {{"error", resumed.status().message()}});
        } else if (*resumed > 0) {
          log::Info("resumed processing orders", {{"count", static_cast<long>(*resumed)}});
        }
      });
  runner.Start();

  fs::path addr_file = fs::path(s.Get("data_dir")) / "signetd.addr";
  WriteAddressFile(addr_file.string(), address);
  front_end.SetReady(true);
  log::Info("listening", {{"address", address},
                          {"public_url", fe_options.public_url},
                          {"database", ctx->storage->Backend()},
                          {"trust_anchor", tls.trust_anchor}});

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  log::Info("stopping", {{"signal", signal_number}});
  front_end.SetReady(false);
  (*server)->Shutdown();
  runner.Stop();
  std::error_code ec;
  fs::remove(addr_file, ec);
  log::Info("stopped");
  return 0;
}

}  // namespace signet::server
