// Orders, their timeline, the validations they wait for, and attachments: the OrderStore half of
// SociStorage.
#include <nlohmann/json.hpp>

#include "sa/application_codec.h"
#include "sa/soci_query.h"
#include "sa/soci_storage.h"

namespace signet::sa {

namespace {

const char* kOrderColumns =
    "id, account_id, product_id, status, dcv_status, review_status, review_reason, application,"
    " names, sealed_private_key, csr_pem, issuance_id, certificate_serial, created_at,"
    " updated_at, submitted_at, issued_at, continues_certificate_id, lineage_id,"
    " upstream_order_url";

Order ReadOrder(const soci::row& r) {
  Order o;
  o.id = ColumnString(r, 0);
  o.account_id = ColumnString(r, 1);
  o.product_id = ColumnString(r, 2);
  // A state this build cannot name reads as the one that allows nothing (a final, cancelled
  // order; DCV and review not done), never as one that lets work go on.
  o.status = core::ParseOrderStatus(ColumnString(r, 3)).value_or(core::OrderStatus::kCancelled);
  o.dcv_status = core::ParseDcvStatus(ColumnString(r, 4)).value_or(core::DcvStatus::kFailed);
  o.review_status =
      core::ParseReviewStatus(ColumnString(r, 5)).value_or(core::ReviewStatus::kRejected);
  o.review_reason = ColumnString(r, 6);
  o.application = DecodeApplication(ColumnString(r, 7));
  o.names = ColumnString(r, 8);
  o.sealed_private_key = ColumnString(r, 9);
  o.csr_pem = ColumnString(r, 10);
  o.issuance_id = ColumnString(r, 11);
  o.certificate_serial = ColumnString(r, 12);
  o.created_at = FromUnixMicros(ColumnInt(r, 13));
  o.updated_at = FromUnixMicros(ColumnInt(r, 14));
  o.submitted_at = ColumnOptionalTime(r, 15);
  o.issued_at = ColumnOptionalTime(r, 16);
  o.continues_certificate_id = ColumnString(r, 17);
  o.lineage_id = ColumnString(r, 18);
  o.upstream_order_url = ColumnString(r, 19);
  return o;
}

OrderEvent ReadEvent(const soci::row& r) {
  OrderEvent e;
  e.id = ColumnString(r, 0);
  e.order_id = ColumnString(r, 1);
  e.at = FromUnixMicros(ColumnInt(r, 2));
  e.actor = ColumnString(r, 3);
  e.event = ColumnString(r, 4);
  e.detail = ColumnString(r, 5);
  return e;
}

Attachment ReadAttachment(const soci::row& r) {
  Attachment a;
  a.id = ColumnString(r, 0);
  a.order_id = ColumnString(r, 1);
  a.account_id = ColumnString(r, 2);
  a.kind = ColumnString(r, 3);
  a.content_type = ColumnString(r, 4);
  a.sha256_hex = ColumnString(r, 5);
  a.size = ColumnInt(r, 6);
  a.created_at = FromUnixMicros(ColumnInt(r, 7));
  return a;
}

const char* kAttachmentColumns =
    "id, order_id, account_id, kind, content_type, sha256, size, created_at";

std::string OrderDetails(const Order& o) {
  return nlohmann::json{{"product", o.product_id},
                        {"status", core::Name(o.status)},
                        {"dcv", core::Name(o.dcv_status)},
                        {"review", core::Name(o.review_status)}}
      .dump();
}

}  // namespace

Result<Order> SociStorage::CreateOrder(const Order& input, const Actor& actor,
                                       const AcmeOrderRows* acme) {
  Order o = input;
  o.id = ids_.New("ord");
  o.created_at = o.updated_at = clock_.Now();
  Status s = InTransaction("create order", [&](soci::session& sql) {
    Execute(sql,
            "INSERT INTO orders (id, account_id, product_id, status, dcv_status, review_status,"
            " review_reason, application, names, sealed_private_key, csr_pem, issuance_id,"
            " certificate_serial, created_at, updated_at, submitted_at, issued_at,"
            " continues_certificate_id, lineage_id) VALUES (:id, :acct, :product, :status, :dcv,"
            " :review, :reason, :app, :names, :key, :csr, :iss, :serial, :c, :u, NULL, NULL,"
            " :continues, :lineage)",
            {o.id, o.account_id, o.product_id, std::string(core::Name(o.status)),
             std::string(core::Name(o.dcv_status)), std::string(core::Name(o.review_status)),
             o.review_reason, EncodeApplication(o.application), o.names, o.sealed_private_key,
             o.csr_pem, o.issuance_id, o.certificate_serial, MicrosParam(o.created_at),
             MicrosParam(o.created_at),
             o.continues_certificate_id.empty()
                 ? std::nullopt
                 : std::optional<std::string>(o.continues_certificate_id),
             o.lineage_id});
    InsertOrderEvent(sql, {ids_.New("evt"), o.id, o.created_at, actor.user_id, "created",
                           "product " + o.product_id});
    AppendAudit(sql,
                {.account_id = o.account_id,
                 .action = "order.create",
                 .target_type = "order",
                 .target_id = o.id,
                 .details = OrderDetails(o)},
                actor);
    if (acme) InsertAcmeOrderRows(sql, *acme, o.id);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return o;
}

Result<Order> SociStorage::GetOrder(const std::string& account_id, const std::string& id) {
  std::string q = std::string("SELECT ") + kOrderColumns + " FROM orders WHERE id = :id";
  std::vector<std::string> binds{id};
  if (!account_id.empty()) {
    q += " AND account_id = :acct";
    binds.push_back(account_id);
  }
  return SelectOne<Order>("get order", q, binds, &ReadOrder,
                          NotFoundError("no order " + id + " in this account"));
}

Result<Order> SociStorage::GetOrderByIssuance(const std::string& issuance_id) {
  return SelectOne<Order>(
      "get order by issuance",
      std::string("SELECT ") + kOrderColumns + " FROM orders WHERE issuance_id = :i", {issuance_id},
      &ReadOrder, NotFoundError("no order for that issuance"));
}

Result<std::optional<Order>> SociStorage::FindOrderContinuing(const std::string& certificate_id) {
  auto found = SelectOne<Order>(
      "find order continuing a certificate",
      std::string("SELECT ") + kOrderColumns + " FROM orders WHERE continues_certificate_id = :c",
      {certificate_id}, &ReadOrder, NotFoundError("no order continues " + certificate_id));
  if (found.ok()) return std::optional<Order>(*found);
  if (found.status().code() == ErrorCode::kNotFound) return std::optional<Order>();
  return found.status();
}

Result<Page<Order>> SociStorage::ListOrders(const std::string& account_id,
                                            const OrderFilter& filter, const PageRequest& page) {
  std::vector<Order> items;
  int limit = Limit(page);
  Status s = WithSession("list orders", [&](soci::session& sql) {
    std::string q = std::string("SELECT ") + kOrderColumns + " FROM orders WHERE 1 = 1";
    std::vector<std::string> binds;
    if (!account_id.empty()) {
      q += " AND account_id = :acct";
      binds.push_back(account_id);
    }
    if (filter.status) {
      q += " AND status = :status";
      binds.emplace_back(core::Name(*filter.status));
    }
    if (filter.review_status) {
      q += " AND review_status = :review";
      binds.emplace_back(core::Name(*filter.review_status));
    }
    if (!filter.query.empty()) {
      // Before submission the names are only in the application.
      q += " AND (LOWER(names) LIKE :q1 ESCAPE '\\' OR LOWER(id) LIKE :q2 ESCAPE '\\'"
           " OR LOWER(application) LIKE :q3 ESCAPE '\\')";
      for (int i = 0; i < 3; ++i) binds.push_back(ContainsPattern(filter.query));
    }
    q += PageClause(page, "id", true) + " ORDER BY id DESC LIMIT " + std::to_string(limit + 1);
    if (!page.after.empty()) binds.push_back(page.after);
    soci::rowset<soci::row> rs = Query(sql, q, binds);
    for (const soci::row& r : rs) items.push_back(ReadOrder(r));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return TrimPage<Order>(std::move(items), limit, [](const Order& o) { return o.id; });
}

void SociStorage::LinkValidation(soci::session& sql, const std::string& order_id,
                                 const std::string& domain, const std::string& validation_id) {
  Execute(sql, "DELETE FROM order_validations WHERE order_id = :o AND domain = :d",
          {order_id, domain});
  Execute(sql,
          "INSERT INTO order_validations (order_id, domain, validation_id) VALUES (:o, :d, :v)",
          {order_id, domain, validation_id});
}

void SociStorage::InsertOrderEvent(soci::session& sql, const OrderEvent& e) {
  Execute(sql,
          "INSERT INTO order_events (id, order_id, at, actor, event, detail) VALUES (:id, :o,"
          " :at, :actor, :event, :detail)",
          {e.id, e.order_id, MicrosParam(e.at), e.actor, e.event, e.detail});
}

Result<Order> SociStorage::UpdateOrder(
    const Order& input, core::OrderStatus expected_status, const OrderEvent& event,
    const Actor& actor, const std::vector<std::pair<std::string, std::string>>& links,
    const std::vector<NewJob>& jobs) {
  Order o = input;
  o.updated_at = clock_.Now();
  Status s = InTransaction("update order", [&](soci::session& sql) -> Status {
    SIGNET_RETURN_IF_ERROR(UpdateOrderIn(sql, o, expected_status, event, actor, links));
    for (const NewJob& job : jobs) InsertJobIn(sql, job);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return o;
}

Result<Order> SociStorage::MarkOrderIssued(const Order& input, const OrderEvent& event,
                                           const ManagedCertificate& certificate,
                                           const Actor& actor, const std::vector<NewJob>& jobs) {
  Order o = input;
  o.updated_at = clock_.Now();
  ManagedCertificate m = certificate;
  m.created_at = o.updated_at;
  Status s = InTransaction("mark order issued", [&](soci::session& sql) -> Status {
    SIGNET_RETURN_IF_ERROR(UpdateOrderIn(sql, o, core::OrderStatus::kProcessing, event, actor, {}));
    InsertManagedCertificateIn(sql, m, actor);
    for (const NewJob& job : jobs) InsertJobIn(sql, job);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return o;
}

Status SociStorage::UpdateOrderIn(soci::session& sql, const Order& o,
                                  core::OrderStatus expected_status, const OrderEvent& event,
                                  const Actor& actor,
                                  const std::vector<std::pair<std::string, std::string>>& links) {
  long long changed = Execute(
      sql,
      "UPDATE orders SET status = :status, dcv_status = :dcv, review_status = :review,"
      " review_reason = :reason, application = :app, names = :names,"
      " sealed_private_key = :key, csr_pem = :csr, issuance_id = :iss,"
      " certificate_serial = :serial, updated_at = :u, submitted_at = :s, issued_at = :i,"
      " lineage_id = :lineage WHERE id = :id AND account_id = :acct AND status = :expected",
      {std::string(core::Name(o.status)), std::string(core::Name(o.dcv_status)),
       std::string(core::Name(o.review_status)), o.review_reason, EncodeApplication(o.application),
       o.names, o.sealed_private_key, o.csr_pem, o.issuance_id, o.certificate_serial,
       MicrosParam(o.updated_at), MicrosParam(o.submitted_at), MicrosParam(o.issued_at),
       o.lineage_id, o.id, o.account_id, std::string(core::Name(expected_status))});
  if (changed == 0) {
    return ConflictError("the order changed meanwhile (it is no longer " +
                             std::string(core::Name(expected_status)) +
                             "); reload it and try again",
                         "status_changed");
  }
  for (const auto& [domain, validation_id] : links) {
    LinkValidation(sql, o.id, domain, validation_id);
  }
  if (!event.event.empty()) {
    InsertOrderEvent(sql,
                     {ids_.New("evt"), o.id, o.updated_at, event.actor, event.event, event.detail});
  }
  if (o.status != expected_status) {
    AppendAudit(sql,
                {.account_id = o.account_id,
                 .action = "order." +
                           (event.event.empty() ? std::string(core::Name(o.status)) : event.event),
                 .target_type = "order",
                 .target_id = o.id,
                 .details = OrderDetails(o)},
                actor);
  }
  return Status::Ok();
}

Status SociStorage::AppendOrderEvent(const OrderEvent& input) {
  OrderEvent e = input;
  e.id = ids_.New("evt");
  e.at = clock_.Now();
  return WriteSession("append order event", [&](soci::session& sql) {
    InsertOrderEvent(sql, e);
    return Status::Ok();
  });
}

Result<std::vector<OrderEvent>> SociStorage::ListOrderEvents(const std::string& order_id) {
  std::vector<OrderEvent> out;
  Status s = WithSession("list order events", [&](soci::session& sql) {
    soci::rowset<soci::row> rs =
        (sql.prepare << "SELECT id, order_id, at, actor, event, detail FROM order_events"
                        " WHERE order_id = :o ORDER BY id",
         soci::use(order_id));
    for (const soci::row& r : rs) out.push_back(ReadEvent(r));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Status SociStorage::LinkOrderValidation(const std::string& order_id, const std::string& domain,
                                        const std::string& validation_id) {
  return InTransaction("link order validation", [&](soci::session& sql) {
    LinkValidation(sql, order_id, domain, validation_id);
    return Status::Ok();
  });
}

Result<std::vector<std::pair<std::string, std::string>>> SociStorage::ListOrderValidations(
    const std::string& order_id) {
  std::vector<std::pair<std::string, std::string>> out;
  Status s = WithSession("list order validations", [&](soci::session& sql) {
    QueryRows(sql,
              "SELECT domain, validation_id FROM order_validations WHERE order_id = :o"
              " ORDER BY domain",
              {order_id}, [&](const soci::row& r) {
                out.emplace_back(ColumnString(r, 0), ColumnString(r, 1));
              });
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<std::string>> SociStorage::ListOrdersForValidation(
    const std::string& validation_id) {
  std::vector<std::string> out;
  Status s = WithSession("list orders for validation", [&](soci::session& sql) {
    QueryRows(sql, "SELECT order_id FROM order_validations WHERE validation_id = :v",
              {validation_id}, [&](const soci::row& r) { out.push_back(ColumnString(r, 0)); });
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<Attachment> SociStorage::CreateAttachment(const Attachment& input, const Actor& actor) {
  Attachment a = input;
  a.id = ids_.New("att");
  a.created_at = clock_.Now();
  Status s = InTransaction("create attachment", [&](soci::session& sql) {
    long long at = Micros(a.created_at);
    long long size = a.size;
    sql << "INSERT INTO attachments (id, order_id, account_id, kind, content_type, sha256, size,"
           " created_at) VALUES (:id, :o, :acct, :kind, :ct, :sha, :size, :c)",
        soci::use(a.id), soci::use(a.order_id), soci::use(a.account_id), soci::use(a.kind),
        soci::use(a.content_type), soci::use(a.sha256_hex), soci::use(size), soci::use(at);
    AppendAudit(
        sql,
        {.account_id = a.account_id,
         .action = "attachment.create",
         .target_type = "order",
         .target_id = a.order_id,
         .details =
             nlohmann::json{{"kind", a.kind}, {"sha256", a.sha256_hex}, {"size", a.size}}.dump()},
        actor);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return a;
}

Result<std::vector<Attachment>> SociStorage::ListAttachments(const std::string& order_id) {
  std::vector<Attachment> out;
  Status s = WithSession("list attachments", [&](soci::session& sql) {
    soci::rowset<soci::row> rs =
        (sql.prepare << std::string("SELECT ") + kAttachmentColumns +
                            " FROM attachments WHERE order_id = :o ORDER BY id",
         soci::use(order_id));
    for (const soci::row& r : rs) out.push_back(ReadAttachment(r));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<Attachment> SociStorage::GetAttachment(const std::string& order_id, const std::string& id) {
  return SelectOne<Attachment>("get attachment",
                               std::string("SELECT ") + kAttachmentColumns +
                                   " FROM attachments WHERE order_id = :o AND id = :id",
                               {order_id, id}, &ReadAttachment,
                               NotFoundError("no attachment " + id + " on this order"));
}

}  // namespace signet::sa
