// The durable job queue half of SociStorage.
#include "sa/soci_storage.h"

namespace signet::sa {

namespace {

const char* kJobColumns =
    "id, kind, payload, state, attempts, max_attempts, run_at, last_error, locked_by,"
    " locked_until, created_at, updated_at";

Job ReadJob(const soci::row& r) {
  Job j;
  j.id = ColumnString(r, 0);
  j.kind = ColumnString(r, 1);
  j.payload = ColumnString(r, 2);
  j.state = ParseJobState(ColumnString(r, 3)).value_or(JobState::kFailed);
  j.attempts = static_cast<int>(ColumnInt(r, 4));
  j.max_attempts = static_cast<int>(ColumnInt(r, 5));
  j.run_at = FromUnixMicros(ColumnInt(r, 6));
  j.last_error = ColumnString(r, 7);
  j.locked_by = ColumnString(r, 8);
  j.locked_until = ColumnOptionalTime(r, 9);
  j.created_at = FromUnixMicros(ColumnInt(r, 10));
  j.updated_at = FromUnixMicros(ColumnInt(r, 11));
  return j;
}

}  // namespace

Job SociStorage::InsertJobIn(soci::session& sql, const NewJob& job) {
  Job j;
  j.id = ids_.New("job");
  j.kind = job.kind;
  j.payload = job.payload;
  j.run_at = job.run_at;
  j.max_attempts = std::max(1, job.max_attempts);
  j.created_at = j.updated_at = clock_.Now();
  long long run = ToUnixMicros(j.run_at), now = ToUnixMicros(j.created_at);
  sql << "INSERT INTO jobs (id, kind, payload, state, attempts, max_attempts, run_at,"
         " last_error, locked_by, locked_until, created_at, updated_at) VALUES (:id, :kind,"
         " :payload, 'queued', 0, :max, :run, '', '', NULL, :c, :u)",
      soci::use(j.id), soci::use(j.kind), soci::use(j.payload), soci::use(j.max_attempts),
      soci::use(run), soci::use(now), soci::use(now);
  return j;
}

Result<Job> SociStorage::EnqueueJob(const std::string& kind, const std::string& payload,
                                    TimePoint run_at, int max_attempts) {
  Job j;
  Status s = WriteSession("enqueue job", [&](soci::session& sql) {
    j = InsertJobIn(sql, {kind, payload, run_at, max_attempts});
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return j;
}

Result<std::vector<Job>> SociStorage::ClaimJobs(const std::string& worker, TimePoint now,
                                                std::chrono::seconds lease, int limit) {
  std::vector<Job> claimed;
  Status s = InTransaction("claim jobs", [&](soci::session& sql) {
    long long t = ToUnixMicros(now);
    long long until = ToUnixMicros(now + lease);
    std::vector<std::string> ids;
    {
      std::string q =
          "SELECT id FROM jobs WHERE (state = 'queued' AND run_at <= :t1)"
          " OR (state = 'running' AND locked_until < :t2) ORDER BY run_at LIMIT " +
          std::to_string(std::clamp(limit, 1, 100));
      // Several nodes may claim at once on PostgreSQL; each skips rows another has locked.
      if (!is_sqlite()) q += " FOR UPDATE SKIP LOCKED";
      soci::rowset<soci::row> rs = (sql.prepare << q, soci::use(t), soci::use(t));
      for (const soci::row& r : rs) ids.push_back(ColumnString(r, 0));
    }
    for (const std::string& id : ids) {
      sql << "UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = :w,"
             " locked_until = :until, updated_at = :t WHERE id = :id",
          soci::use(worker), soci::use(until), soci::use(t), soci::use(id);
      soci::rowset<soci::row> rs =
          (sql.prepare << std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = :id",
           soci::use(id));
      for (const soci::row& r : rs) claimed.push_back(ReadJob(r));
    }
    // A job whose worker vanished more often than allowed stops being retried.
    std::vector<Job> runnable;
    for (Job& j : claimed) {
      if (j.attempts > j.max_attempts) {
        std::string error =
            "abandoned: the worker holding it stopped " + std::to_string(j.attempts - 1) + " times";
        sql << "UPDATE jobs SET state = 'failed', locked_by = '', locked_until = NULL,"
               " last_error = :e, updated_at = :t WHERE id = :id",
            soci::use(error), soci::use(t), soci::use(j.id);
      } else {
        runnable.push_back(std::move(j));
      }
    }
    claimed = std::move(runnable);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return claimed;
}

Status SociStorage::CompleteJob(const std::string& id, const std::string& worker) {
  return WriteSession("complete job", [&](soci::session& sql) -> Status {
    long long t = ToUnixMicros(clock_.Now());
    soci::statement st =
        (sql.prepare << "UPDATE jobs SET state = 'done', locked_by = '', locked_until = NULL,"
                        " updated_at = :t WHERE id = :id AND locked_by = :w AND state = 'running'",
         soci::use(t), soci::use(id), soci::use(worker));
    st.execute(true);
    if (st.get_affected_rows() == 0) {
      return ConflictError("job " + id + " is not held by " + worker, "lease_lost");
    }
    return Status::Ok();
  });
}

Status SociStorage::FailJob(const std::string& id, const std::string& worker,
                            const std::string& error, std::optional<TimePoint> retry_at) {
  return WriteSession("fail job", [&](soci::session& sql) -> Status {
    long long t = ToUnixMicros(clock_.Now());
    std::string state = retry_at ? "queued" : "failed";
    long long run = retry_at ? ToUnixMicros(*retry_at) : t;
    soci::statement st =
        (sql.prepare << "UPDATE jobs SET state = :s, run_at = :run, last_error = :e,"
                        " locked_by = '', locked_until = NULL, updated_at = :t"
                        " WHERE id = :id AND locked_by = :w AND state = 'running'",
         soci::use(state), soci::use(run), soci::use(error), soci::use(t), soci::use(id),
         soci::use(worker));
    st.execute(true);
    if (st.get_affected_rows() == 0) {
      return ConflictError("job " + id + " is not held by " + worker, "lease_lost");
    }
    return Status::Ok();
  });
}

Result<Job> SociStorage::GetJob(const std::string& id) {
  return SelectOne<Job>("get job",
                        std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = :id", {id},
                        &ReadJob, NotFoundError("no job " + id));
}

Result<Page<Job>> SociStorage::ListJobs(std::optional<JobState> state, const PageRequest& page) {
  std::vector<Job> items;
  int limit = std::clamp(page.limit, 1, 500);
  Status s = WithSession("list jobs", [&](soci::session& sql) {
    std::string q = std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id <> ''";
    std::string state_name = state ? JobStateName(*state) : "";
    if (state) q += " AND state = :s";
    if (!page.after.empty()) q += " AND id < :after";
    q += " ORDER BY id DESC LIMIT " + std::to_string(limit + 1);
    soci::details::prepare_temp_type pt = (sql.prepare << q);
    if (state) pt, soci::use(state_name);
    if (!page.after.empty()) pt, soci::use(page.after);
    soci::rowset<soci::row> rs(pt);
    for (const soci::row& r : rs) items.push_back(ReadJob(r));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  Page<Job> out;
  if (static_cast<int>(items.size()) > limit) {
    items.resize(static_cast<size_t>(limit));
    out.next_after = items.back().id;
  }
  out.items = std::move(items);
  return out;
}

}  // namespace signet::sa
