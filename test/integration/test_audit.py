"""The tamper-evident audit log: verify-audit notices edits and deletions; owners see their own."""

import re

import harness

ORG = {"name": "Audit Ltd", "country": "CN", "city": "Beijing"}


class AuditChain:
    def setUp(self):
        self.server = self.start_signetd()
        self.key_a = self.server.create_owner("a@x.com", "alpha")
        self.key_b = self.server.create_owner("b@y.com", "beta")
        self.alice = self.server.client(self.key_a)
        self.bob = self.server.client(self.key_b)

    def write_some(self):
        """A few audited writes through the API; returns the ids of Alice's organizations."""
        ids = []
        for i in range(3):
            response = self.alice.post("/api/v1/organizations", dict(ORG, name=f"Audit {i}"))
            self.assertStatus(response, 201)
            ids.append(response.body["id"])
        updated = self.alice.put(f"/api/v1/organizations/{ids[0]}", dict(ORG, name="Renamed"))
        self.assertStatus(updated, 200)
        self.assertStatus(self.alice.delete(f"/api/v1/organizations/{ids[1]}"), 204)
        self.assertStatus(self.bob.post("/api/v1/organizations", dict(ORG, name="Bob's")), 201)
        return ids

    def verify(self):
        code, out, err = self.server.admin("verify-audit")
        return code, out + err

    def event_count(self):
        return int(self.sql(self.server, "SELECT count(*) FROM audit_events").strip())

    def assertIntact(self):
        code, output = self.verify()
        self.assertEqual(code, 0, f"verify-audit on an untouched log: {output}")
        return output

    def assertTampered(self, output_mentions=None):
        code, output = self.verify()
        self.assertNotEqual(code, 0, f"verify-audit accepted a tampered log: {output}")
        self.assertNotIn(code, (1, 2), f"tampering is not an operational error: {output}")
        if output_mentions:
            self.assertRegex(output, output_mentions)
        return output

    def test_intact_log_verifies(self):
        self.write_some()
        output = self.assertIntact()
        # verify-audit prints the head hash, for operators to keep elsewhere.
        self.assertRegex(output, r"[0-9a-f]{64}")

    def test_edited_event_is_detected(self):
        self.write_some()
        self.assertIntact()
        self.assertGreaterEqual(self.event_count(), 4)
        self.sql(self.server, "UPDATE audit_events SET actor='mallory' WHERE seq=2")
        self.assertEqual(
            self.sql(self.server, "SELECT actor FROM audit_events WHERE seq=2").strip(),
            "mallory")
        self.assertTampered(re.compile(r"\bevent 2\b"))

    def test_deleted_middle_event_is_detected(self):
        self.write_some()
        self.assertIntact()
        self.assertGreaterEqual(self.event_count(), 4)
        self.sql(self.server, "DELETE FROM audit_events WHERE seq=2")
        self.assertTampered(re.compile(r"\bevent 2\b"))

    def test_deleted_last_event_is_detected(self):
        self.write_some()
        self.assertIntact()
        before = self.event_count()
        self.sql(self.server,
                 "DELETE FROM audit_events WHERE seq=(SELECT max(seq) FROM audit_events)")
        self.assertEqual(self.event_count(), before - 1)
        self.assertTampered()

    def test_owner_lists_only_their_accounts_events(self):
        ids = self.write_some()
        me = self.alice.get("/api/v1/session").body
        account_id = me["account"]["id"]
        user_id = me["user"]["id"]
        bob_account = self.bob.get("/api/v1/session").body["account"]["id"]

        response = self.alice.get("/api/v1/audit-events?page_size=200")
        self.assertStatus(response, 200)
        self.assertEqual(set(response.body), {"items", "next_page_token"})
        events = response.body["items"]
        self.assertTrue(events)
        for event in events:
            for field in ("action", "actor", "at", "source"):
                self.assertIn(field, event, event)
            self.assertEqual(event.get("account_id"), account_id, event)
        self.assertNotIn(bob_account, response.raw.decode())
        # The API writes above are there, attributed to Alice and her address.
        targets = {e.get("target_id") for e in events}
        for org_id in ids:
            self.assertIn(org_id, targets)
        api_events = [e for e in events if e.get("target_id") == ids[0]]
        self.assertTrue(all(e["actor"] == user_id for e in api_events), api_events)
        self.assertTrue(all(e["source"] == "127.0.0.1" for e in api_events), api_events)
        self.assertEqual(len({e["action"] for e in api_events}), 2, "created, then updated")

        # Bob sees his account's events only.
        theirs = self.bob.get("/api/v1/audit-events?page_size=200")
        self.assertStatus(theirs, 200)
        self.assertTrue(theirs.body["items"])
        for event in theirs.body["items"]:
            self.assertEqual(event.get("account_id"), bob_account, event)

    def test_audit_log_pages(self):
        self.write_some()
        seen, token = [], None
        for _ in range(100):
            path = "/api/v1/audit-events?page_size=2" + (f"&page_token={token}" if token else "")
            page = self.alice.get(path)
            self.assertStatus(page, 200)
            seen += [(e["action"], e["at"], e.get("target_id")) for e in page.body["items"]]
            token = page.body["next_page_token"]
            if token is None:
                break
        everything = self.alice.get("/api/v1/audit-events?page_size=200").body["items"]
        self.assertEqual(seen, [(e["action"], e["at"], e.get("target_id")) for e in everything])

    def test_members_cannot_read_the_audit_log(self):
        self.server.create_user("m@x.com", "member", "alpha")
        member = self.server.client(self.server.create_api_key("m@x.com"))
        self.assertStatus(member.get("/api/v1/session"), 200)
        self.assertProblem(member.get("/api/v1/audit-events"), 403, "forbidden")


harness.make_backend_tests(globals(), AuditChain)

if __name__ == "__main__":
    harness.main()
