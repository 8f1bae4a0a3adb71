"""Accounts cannot see each other's objects; API keys are revocable; lists paginate."""

import urllib.parse

import harness

ALPHA_ORG = {"name": "Alpha Ltd", "country": "CN", "province": "Beijing", "city": "Beijing",
             "address": "1 Road", "phone": "+86 10 1234 5678", "department": "IT"}


class AccountsIsolation:
    def setUp(self):
        self.server = self.start_signetd()
        key_a = self.server.create_owner("a@x.com", "alpha")
        key_b = self.server.create_owner("b@y.com", "beta")
        for key in (key_a, key_b):
            self.assertTrue(key.startswith("sk_"), key)
            self.assertNotIn("\n", key)
        self.alice = self.server.client(key_a)
        self.bob = self.server.client(key_b)

    def create_org(self, client, **fields):
        response = client.post("/api/v1/organizations", dict(ALPHA_ORG, **fields))
        self.assertStatus(response, 201)
        self.assertTrue(response.body.get("id"), response.body)
        return response.body

    def list_all(self, client, page_size=None):
        """Follows next_page_token to the end; returns the items in order."""
        items, token, pages = [], None, 0
        while True:
            query = {}
            if page_size:
                query["page_size"] = page_size
            if token:
                query["page_token"] = token
            path = "/api/v1/organizations"
            if query:
                path += "?" + urllib.parse.urlencode(query)
            response = client.get(path)
            self.assertStatus(response, 200)
            self.assertEqual(set(response.body), {"items", "next_page_token"}, response.body)
            if page_size:
                self.assertLessEqual(len(response.body["items"]), page_size)
            items += response.body["items"]
            token = response.body["next_page_token"]
            pages += 1
            self.assertLess(pages, 50, "pagination does not end")
            if token is None:
                return items

    def test_cli_reports_errors(self):
        code, out, err = self.server.admin("create-user", "--email", "a@x.com", "--role", "owner",
                                           "--account", "alpha")
        self.assertNotEqual(code, 0, "a duplicate email must be refused")
        self.assertTrue(err.strip(), "the error is explained on stderr")
        code, _, err = self.server.admin("create-api-key", "--email", "nobody@x.com")
        self.assertNotEqual(code, 0)
        self.assertTrue(err.strip())
        code, _, err = self.server.admin("create-user", "--email", "c@z.com", "--role", "emperor",
                                         "--account", "gamma")
        self.assertNotEqual(code, 0)
        self.assertTrue(err.strip())

    def test_session_shows_the_callers_account(self):
        a = self.alice.get("/api/v1/session")
        b = self.bob.get("/api/v1/session")
        self.assertStatus(a, 200)
        self.assertStatus(b, 200)
        self.assertEqual(a.body["user"]["email"], "a@x.com")
        self.assertEqual(a.body["user"]["role"], "owner")
        self.assertEqual(a.body["account"]["name"], "alpha")
        self.assertEqual(a.body["user"]["account_id"], a.body["account"]["id"])
        self.assertEqual(b.body["account"]["name"], "beta")
        self.assertNotEqual(a.body["account"]["id"], b.body["account"]["id"])

    def test_organization_is_invisible_to_other_accounts(self):
        org = self.create_org(self.alice)
        for field, value in ALPHA_ORG.items():
            self.assertEqual(org[field], value, field)
        for field in ("created_at", "updated_at"):
            self.assertTrue(org.get(field), field)
        org_path = f"/api/v1/organizations/{org['id']}"

        got = self.alice.get(org_path)
        self.assertStatus(got, 200)
        self.assertEqual(got.body, org)

        self.assertProblem(self.bob.get(org_path), 404, "not_found")
        self.assertProblem(self.bob.put(org_path, dict(ALPHA_ORG, name="Hijacked")), 404,
                           "not_found")
        self.assertProblem(self.bob.delete(org_path), 404, "not_found")
        self.assertEqual(self.list_all(self.bob), [])

        # Bob's attempts changed nothing.
        got = self.alice.get(org_path)
        self.assertStatus(got, 200)
        self.assertEqual(got.body["name"], "Alpha Ltd")
        self.assertEqual([o["id"] for o in self.list_all(self.alice)], [org["id"]])

        # Bob's own organization is likewise invisible to Alice.
        bobs = self.create_org(self.bob, name="Beta GmbH", country="DE")
        self.assertProblem(self.alice.get(f"/api/v1/organizations/{bobs['id']}"), 404,
                           "not_found")
        self.assertEqual([o["id"] for o in self.list_all(self.bob)], [bobs["id"]])
        self.assertEqual([o["id"] for o in self.list_all(self.alice)], [org["id"]])

    def test_owner_can_update_and_delete_own_organization(self):
        org = self.create_org(self.alice)
        path = f"/api/v1/organizations/{org['id']}"
        updated = self.alice.put(path, dict(ALPHA_ORG, name="Alpha Holdings", country="us"))
        self.assertStatus(updated, 200)
        self.assertEqual(updated.body["name"], "Alpha Holdings")
        self.assertEqual(updated.body["country"], "US")
        self.assertEqual(self.alice.get(path).body["name"], "Alpha Holdings")
        response = self.alice.delete(path)
        self.assertStatus(response, 204)
        self.assertEqual(response.raw, b"")
        self.assertProblem(self.alice.get(path), 404, "not_found")
        self.assertEqual(self.list_all(self.alice), [])

    def test_api_key_lifecycle(self):
        created = self.alice.post("/api/v1/api-keys", {"name": "ci"})
        self.assertStatus(created, 201)
        key = created.body.get("key", "")
        self.assertTrue(key.startswith("sk_"), created.body)
        self.assertTrue(created.body.get("id"), created.body)
        self.assertEqual(created.body.get("name"), "ci")

        ci = self.server.client(key)
        session = ci.get("/api/v1/session")
        self.assertStatus(session, 200)
        self.assertEqual(session.body["user"]["email"], "a@x.com")
        self.assertStatus(ci.get("/api/v1/organizations"), 200)

        # The key is shown once: listings carry no secret.
        listed = self.alice.get("/api/v1/api-keys")
        self.assertStatus(listed, 200)
        self.assertIn(created.body["id"], [k["id"] for k in listed.body["items"]])
        self.assertNotIn(key, listed.raw.decode())

        # Another account cannot revoke it.
        self.assertProblem(self.bob.delete(f"/api/v1/api-keys/{created.body['id']}"), 404,
                           "not_found")
        self.assertStatus(ci.get("/api/v1/session"), 200)

        revoked = self.alice.delete(f"/api/v1/api-keys/{created.body['id']}")
        self.assertStatus(revoked, 204)
        self.assertProblem(ci.get("/api/v1/session"), 401, "unauthorized")
        self.assertProblem(ci.get("/api/v1/organizations"), 401, "unauthorized")
        # The key that revoked it still works.
        self.assertStatus(self.alice.get("/api/v1/session"), 200)

    def test_pagination_returns_each_item_once(self):
        created = [self.create_org(self.alice, name=f"Org {i}")["id"] for i in range(5)]
        self.create_org(self.bob, name="Not Alice's")

        items = self.list_all(self.alice, page_size=2)
        ids = [o["id"] for o in items]
        self.assertEqual(len(ids), 5, ids)
        self.assertEqual(len(set(ids)), 5, f"duplicates across pages: {ids}")
        self.assertEqual(set(ids), set(created))

        # Page shapes: 2, 2, 1 and the last page has no token.
        first = self.alice.get("/api/v1/organizations?page_size=2").body
        self.assertEqual(len(first["items"]), 2)
        self.assertIsInstance(first["next_page_token"], str)
        everything = self.alice.get("/api/v1/organizations?page_size=200").body
        self.assertEqual(len(everything["items"]), 5)
        self.assertIsNone(everything["next_page_token"])

    def test_bad_page_parameters(self):
        self.assertProblem(self.alice.get("/api/v1/organizations?page_size=0"), 400)
        self.assertProblem(self.alice.get("/api/v1/organizations?page_size=abc"), 400)
        self.assertProblem(self.alice.get("/api/v1/organizations?page_token=%21%21%21"), 400)


harness.make_backend_tests(globals(), AccountsIsolation)

if __name__ == "__main__":
    harness.main()
