"""People of an account: invitations by email, one person in several accounts, roles and
disabling, the operator's password reset, and that an owner learns nothing about other
accounts from any of it (issue 14, defect 4)."""

import http.cookies
import re
import ssl

import dcv_servers
import harness

LINK = re.compile(r"https://\S+/invitation#([A-Za-z0-9_-]+)")
RESET = re.compile(r"https://\S+/reset-password#([A-Za-z0-9_-]+)")


def session_cookie(response):
    for header in response.headers.get_all("Set-Cookie") or []:
        cookie = http.cookies.SimpleCookie()
        cookie.load(header)
        if "signet_session" in cookie:
            return cookie["signet_session"].value
    raise AssertionError(f"no session cookie in {response.headers}")


class People:
    def setUp(self):
        self.smtp = dcv_servers.SmtpSink()
        self.addCleanup(self.smtp.stop)
        self.server = self.start_signetd(settings={"smtp.url": self.smtp.url})
        self.owner = self.server.client(self.server.create_owner("owner@mine.example", "mine"))
        self.server.create_user("known@theirs.example", "owner", "theirs-corp",
                                password="the known person's password")
        self.anon = self.server.client()

    def invitation_token(self, address):
        message = self.smtp.wait_for(lambda m: address in m["To"], timeout=30)
        body = message.get_body(preferencelist=("plain",)).get_content()
        match = LINK.search(body)
        self.assertIsNotNone(match, body)
        return match.group(1), body

    def sign_in(self, token, password):
        accepted = self.anon.post("/api/v1/invitation/accept",
                                  {"token": token, "password": password})
        self.assertStatus(accepted, 200)
        cookie = session_cookie(accepted)
        return accepted, self.server.client(cookie=cookie, csrf=accepted.body["csrf_token"])

    def test_an_owner_learns_nothing_about_other_accounts(self):
        known = self.owner.post("/api/v1/users", {"email": "known@theirs.example",
                                                  "role": "member"})
        unknown = self.owner.post("/api/v1/users", {"email": "nobody@new.example",
                                                    "role": "member"})
        self.assertStatus(known, 201)
        self.assertStatus(unknown, 201)
        volatile = {"id", "email", "created_at", "invitation_expires_at"}
        self.assertEqual({k: v for k, v in known.body.items() if k not in volatile},
                         {k: v for k, v in unknown.body.items() if k not in volatile})
        self.assertEqual(known.body["status"], "invited")
        self.assertEqual(set(known.body), set(unknown.body))
        self.assertNotIn("invitation_url", known.body, "only admins see links")
        self.assertNotIn("theirs-corp", known.raw.decode())
        # Ids sort by time, so the id must be made now, not be the person's older one.
        self.assertGreater(known.body["id"], listed_before_id := self.owner.get(
            "/api/v1/session").body["user"]["id"])
        self.assertTrue(listed_before_id)
        # The account's audit log says the same for both.
        events = self.owner.get("/api/v1/audit-events?page_size=200").body["items"]
        actions = sorted(e["action"] for e in events if e["action"].startswith("user."))
        self.assertEqual(actions, ["user.add", "user.invite", "user.invite"], events)
        # The emails are the same text but for the address and the link.
        _, known_text = self.invitation_token("known@theirs.example")
        _, unknown_text = self.invitation_token("nobody@new.example")
        # (Each link's expiry is its own invitation's: the two may be made a second apart.)
        when = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
        self.assertEqual(when.sub("WHEN", LINK.sub("LINK", known_text)),
                         when.sub("WHEN", LINK.sub("LINK", unknown_text)))
        # Both are listed the same way; the other account is not mentioned anywhere.
        listed = self.owner.get("/api/v1/users")
        self.assertStatus(listed, 200)
        statuses = {u["email"]: u["status"] for u in listed.body["items"]}
        self.assertEqual(statuses, {"owner@mine.example": "active",
                                    "known@theirs.example": "invited",
                                    "nobody@new.example": "invited"})
        self.assertNotIn("theirs-corp", listed.raw.decode())
        # Inviting again is about this account only.
        again = self.owner.post("/api/v1/users", {"email": "known@theirs.example",
                                                  "role": "member"})
        self.assertProblem(again, 409, "already_member")
        # Owners never set passwords (that would take over or reveal a login elsewhere).
        with_password = self.owner.post("/api/v1/users", {"email": "x@new.example",
                                                          "role": "member",
                                                          "password": "chosen by the owner"})
        self.assertProblem(with_password, 400, "password_not_allowed")
        self.assertProblem(self.owner.post("/api/v1/users", {"email": "y@new.example",
                                                             "role": "admin"}), 403)

    def test_a_person_with_a_login_accepts_with_it_and_switches_accounts(self):
        self.assertStatus(self.owner.post("/api/v1/users", {"email": "known@theirs.example",
                                                            "role": "member"}), 201)
        token, _ = self.invitation_token("known@theirs.example")
        view = self.anon.post("/api/v1/invitation", {"token": token})
        self.assertStatus(view, 200)
        self.assertEqual(view.body["account"]["name"], "mine")
        self.assertEqual(view.body["role"], "member")
        self.assertTrue(view.body["password_set"])
        # A new password cannot replace the existing one.
        wrong = self.anon.post("/api/v1/invitation/accept",
                               {"token": token, "password": "a password of my choosing"})
        self.assertProblem(wrong, 401)
        accepted, browser = self.sign_in(token, "the known person's password")
        self.assertEqual(accepted.body["account"]["name"], "mine")
        self.assertEqual(accepted.body["user"]["role"], "member")
        self.assertEqual(sorted(a["name"] for a in accepted.body["accounts"]),
                         ["mine", "theirs-corp"])
        # The link works once.
        self.assertProblem(self.anon.post("/api/v1/invitation", {"token": token}), 404,
                           "invitation_invalid")
        # Sign-in goes to the first account; switching moves the session.
        login = self.anon.post("/api/v1/session", {"email": "known@theirs.example",
                                                   "password": "the known person's password"})
        self.assertStatus(login, 200)
        self.assertEqual(login.body["account"]["name"], "theirs-corp")
        self.assertEqual(login.body["user"]["role"], "owner")
        browser = self.server.client(cookie=session_cookie(login),
                                     csrf=login.body["csrf_token"])
        mine_id = next(a["id"] for a in login.body["accounts"] if a["name"] == "mine")
        switched = browser.post("/api/v1/session/account", {"account_id": mine_id})
        self.assertStatus(switched, 200)
        self.assertEqual(browser.get("/api/v1/session").body["account"]["name"], "mine")
        self.assertEqual(browser.get("/api/v1/session").body["user"]["role"], "member")
        # A member of "mine" cannot manage its people.
        self.assertProblem(browser.get("/api/v1/users"), 403)
        # Not a member of some other account: refused.
        stranger = self.server.create_owner("stranger@else.example", "else")
        else_id = self.server.client(stranger).get("/api/v1/session").body["account"]["id"]
        self.assertProblem(browser.post("/api/v1/session/account", {"account_id": else_id}),
                           403)

    def test_a_new_person_chooses_a_password_and_owners_manage_roles_and_access(self):
        invited = self.owner.post("/api/v1/users", {"email": "new@mine.example",
                                                    "role": "member"})
        self.assertStatus(invited, 201)
        user_id = invited.body["id"]
        # A withdrawn invitation cannot be enabled by hand: only acceptance makes it active.
        self.assertStatus(self.owner.patch(f"/api/v1/users/{user_id}",
                                           {"status": "disabled"}), 200)
        self.assertProblem(self.owner.patch(f"/api/v1/users/{user_id}", {"status": "active"}),
                           409, "not_accepted")
        self.assertIsNone(self.owner.get(f"/api/v1/users/{user_id}").body["accepted_at"])
        # Resending re-opens it and replaces the link.
        first, _ = self.invitation_token("new@mine.example")
        self.smtp.clear()
        self.assertStatus(self.owner.post(f"/api/v1/users/{user_id}/invitation", {}), 200)
        token, _ = self.invitation_token("new@mine.example")
        self.assertNotEqual(first, token)
        self.assertProblem(self.anon.post("/api/v1/invitation", {"token": first}), 404,
                           "invitation_invalid")
        self.assertFalse(self.anon.post("/api/v1/invitation",
                                        {"token": token}).body["password_set"])
        self.assertProblem(self.anon.post("/api/v1/invitation/accept",
                                          {"token": token, "password": "short"}), 400,
                           "weak_password")
        _, browser = self.sign_in(token, "my own new password")
        self.assertEqual(browser.get("/api/v1/session").body["user"]["email"],
                         "new@mine.example")
        key = browser.post("/api/v1/api-keys", {"name": "laptop"})
        self.assertStatus(key, 201)
        api = self.server.client(key.body["key"])
        self.assertStatus(api.get("/api/v1/orders"), 200)

        # Disabling stops the person's session and keys in this account at once.
        disabled = self.owner.patch(f"/api/v1/users/{user_id}", {"status": "disabled"})
        self.assertStatus(disabled, 200)
        self.assertEqual(disabled.body["status"], "disabled")
        self.assertProblem(api.get("/api/v1/orders"), 401, "membership_disabled")
        self.assertProblem(browser.get("/api/v1/session"), 401, "membership_disabled")
        refused = self.anon.post("/api/v1/session", {"email": "new@mine.example",
                                                     "password": "my own new password"})
        self.assertProblem(refused, 403)
        # Enabled again, as an owner.
        enabled = self.owner.patch(f"/api/v1/users/{user_id}", {"status": "active",
                                                                "role": "owner"})
        self.assertStatus(enabled, 200)
        self.assertEqual(self.server.client(key.body["key"]).get("/api/v1/session")
                         .body["user"]["role"], "owner")
        # The account never loses its last active owner.
        me = self.owner.get("/api/v1/session").body["user"]["id"]
        self.assertStatus(self.owner.patch(f"/api/v1/users/{user_id}", {"role": "member"}), 200)
        self.assertProblem(self.owner.patch(f"/api/v1/users/{me}", {"status": "disabled"}), 409,
                           "last_owner")
        self.assertProblem(self.owner.patch(f"/api/v1/users/{me}", {"status": "invited"}), 400,
                           "invalid_status")
        # People of other accounts are simply not found.
        theirs = self.sql(self.server, "SELECT m.id FROM memberships m JOIN users u ON "
                                       "u.id = m.user_id WHERE u.email = "
                                       "'known@theirs.example'").strip()
        person = self.sql(self.server, "SELECT id FROM users WHERE email = "
                                       "'known@theirs.example'").strip()
        self.assertProblem(self.owner.get(f"/api/v1/users/{person}"), 404)
        self.assertProblem(self.owner.patch(f"/api/v1/users/{theirs}", {"role": "member"}), 404)
        self.assertProblem(self.owner.get(f"/api/v1/users/{theirs}"), 404)

    def test_links_and_passwords_stay_out_of_logs_and_the_database(self):
        self.assertStatus(self.owner.post("/api/v1/users", {"email": "new@mine.example",
                                                            "role": "member"}), 201)
        token, _ = self.invitation_token("new@mine.example")
        self.sign_in(token, "my own new password")
        dump = self.dump_database(self.server)
        log = self.server.stderr() + self.server.stdout()
        for secret in (token, "my own new password"):
            self.assertNotIn(secret, dump)
            self.assertNotIn(secret, log)

    def test_the_operator_resets_a_password(self):
        code, out, err = self.server.admin("reset-password", "--email", "known@theirs.example")
        self.assertEqual(code, 0, err)
        password = out.strip()
        self.assertGreaterEqual(len(password), 12)
        self.assertProblem(self.anon.post("/api/v1/session", {
            "email": "known@theirs.example", "password": "the known person's password"}), 401)
        self.assertStatus(self.anon.post("/api/v1/session", {
            "email": "known@theirs.example", "password": password}), 200)
        code, out, err = self.server.admin("reset-password", "--email", "known@theirs.example",
                                           "--password-stdin", input="chosen on stdin 1\n")
        self.assertEqual((code, out), (0, ""), err)
        self.assertStatus(self.anon.post("/api/v1/session", {
            "email": "known@theirs.example", "password": "chosen on stdin 1"}), 200)
        code, _, err = self.server.admin("reset-password", "--email", "nobody@x.example")
        self.assertNotEqual(code, 0)
        self.assertIn("nobody@x.example", err)

    def test_a_person_resets_a_forgotten_password_by_email(self):
        old = "the known person's password"
        first = self.anon.post("/api/v1/session", {"email": "known@theirs.example",
                                                   "password": old},
                               headers={"User-Agent": "FirstBrowser/1.0"})
        self.assertStatus(first, 200)
        signed_in = self.server.client(cookie=session_cookie(first), csrf=first.body["csrf_token"])

        # Known and unknown addresses get the same answer; only the known one gets mail.
        known = self.anon.post("/api/v1/password-reset", {"email": "Known@Theirs.example"})
        unknown = self.anon.post("/api/v1/password-reset", {"email": "nobody@nowhere.example"})
        self.assertStatus(known, 202)
        self.assertStatus(unknown, 202)
        self.assertEqual(known.raw, unknown.raw)
        message = self.smtp.wait_for(lambda m: "known@theirs.example" in m["To"], timeout=30)
        body = message.get_body(preferencelist=("plain",)).get_content()
        token = RESET.search(body).group(1)
        # A second request within five minutes sends nothing more (no mailbox flooding).
        self.assertStatus(self.anon.post("/api/v1/password-reset",
                                         {"email": "known@theirs.example"}), 202)
        self.assertStatus(self.anon.post("/api/v1/password-reset",
                                         {"email": "not an address"}), 400)

        check = self.anon.post("/api/v1/password-reset/check", {"token": token})
        self.assertStatus(check, 200)
        self.assertEqual(check.body["email"], "known@theirs.example")
        self.assertProblem(self.anon.post("/api/v1/password-reset/check", {"token": "x" + token}),
                           404, "reset_invalid")
        self.assertProblem(self.anon.post("/api/v1/password-reset/confirm",
                                          {"token": token, "password": "short"}),
                           400, "weak_password")
        done = self.anon.post("/api/v1/password-reset/confirm",
                              {"token": token, "password": "a brand new password"})
        self.assertStatus(done, 200)
        self.assertEqual(done.body, {"email": "known@theirs.example"})
        # Used up; the old password and the open session are gone; the new one works.
        self.assertProblem(self.anon.post("/api/v1/password-reset/confirm",
                                          {"token": token, "password": "another new password"}),
                           404, "reset_invalid")
        self.assertProblem(signed_in.get("/api/v1/session"), 401)
        self.assertProblem(self.anon.post("/api/v1/session", {"email": "known@theirs.example",
                                                              "password": old}), 401)
        self.assertStatus(self.anon.post("/api/v1/session", {
            "email": "known@theirs.example", "password": "a brand new password"}), 200)
        requested = self.sql(self.server, "SELECT count(*) FROM audit_events WHERE"
                                          " action = 'user.password_reset_requested'")
        self.assertEqual(requested.strip(), "1", "one link for two requests")
        dump = self.dump_database(self.server)
        log = self.server.stderr() + self.server.stdout()
        for secret in (token, "a brand new password"):
            self.assertNotIn(secret, dump)
            self.assertNotIn(secret, log)

    def test_a_person_the_operator_added_without_a_password_sets_one_by_email(self):
        self.server.create_user("ops@mine.example", "member", "mine")  # the README's command
        self.assertProblem(self.anon.post("/api/v1/session", {
            "email": "ops@mine.example", "password": "anything at all"}), 401)
        self.assertStatus(self.anon.post("/api/v1/password-reset",
                                         {"email": "ops@mine.example"}), 202)
        message = self.smtp.wait_for(lambda m: "ops@mine.example" in m["To"], timeout=30)
        token = RESET.search(message.get_body(preferencelist=("plain",)).get_content()).group(1)
        self.assertStatus(self.anon.post("/api/v1/password-reset/confirm",
                                         {"token": token, "password": "chosen by ops person"}),
                          200)
        signed_in = self.anon.post("/api/v1/session", {"email": "ops@mine.example",
                                                       "password": "chosen by ops person"})
        self.assertStatus(signed_in, 200)
        self.assertEqual(signed_in.body["account"]["name"], "mine")

    def test_a_reset_link_expires_after_an_hour(self):
        self.assertStatus(self.anon.post("/api/v1/password-reset",
                                         {"email": "known@theirs.example"}), 202)
        message = self.smtp.wait_for(lambda m: "known@theirs.example" in m["To"], timeout=30)
        token = RESET.search(message.get_body(preferencelist=("plain",)).get_content()).group(1)
        self.assertStatus(self.anon.post("/api/v1/password-reset/check", {"token": token}), 200)
        self.server.stop()
        self.server.settings = list(dict(self.server.settings,
                                         **{"clock.offset_seconds": "3700"}).items())
        self.server.start()
        self.anon = self.server.client()
        self.anon.context = ssl._create_unverified_context()  # noqa: SLF001
        self.assertProblem(self.anon.post("/api/v1/password-reset/confirm",
                                          {"token": token, "password": "a brand new password"}),
                           404, "reset_invalid")

    def test_people_see_and_end_their_own_sessions(self):
        password = "the known person's password"

        def sign_in(agent):
            r = self.anon.post("/api/v1/session", {"email": "known@theirs.example",
                                                   "password": password},
                               headers={"User-Agent": agent})
            self.assertStatus(r, 200)
            return self.server.client(cookie=session_cookie(r), csrf=r.body["csrf_token"])

        laptop, phone = sign_in("Laptop/1.0"), sign_in("Phone/2.0")
        listed = laptop.get("/api/v1/sessions")
        self.assertStatus(listed, 200)
        items = listed.body["items"]
        self.assertEqual(len(items), 2)
        self.assertEqual([i["user_agent"] for i in items], ["Phone/2.0", "Laptop/1.0"])
        self.assertEqual([i["current"] for i in items], [False, True])
        self.assertTrue(all(i["remote_address"].startswith("127.") for i in items), items)
        cookies = {laptop.cookie, phone.cookie}
        for i in items:
            self.assertFalse(any(c in i["id"] for c in cookies))
        # Someone else cannot end them; their owner can.
        self.assertProblem(self.owner.delete(f"/api/v1/sessions/{items[0]['id']}"), 404)
        self.assertStatus(laptop.delete(f"/api/v1/sessions/{items[0]['id']}"), 204)
        self.assertProblem(phone.get("/api/v1/session"), 401)
        self.assertStatus(laptop.get("/api/v1/session"), 200)
        self.assertEqual(len(laptop.get("/api/v1/sessions").body["items"]), 1)

    def test_the_first_user_runs_the_service_and_starts_other_teams(self):
        admin = self.server.client(self.server.initial_admin()["api_key"])
        # The initial administrator buys in the operator's own account like an owner...
        order = admin.post("/api/v1/orders", {"product": "dv-single"})
        self.assertStatus(order, 201)
        self.assertEqual(len(admin.get("/api/v1/orders").body["items"]), 1)
        # ...and starts another team by inviting its first owner, which creates the account.
        r = admin.post("/api/v1/users", {"email": "boss@globex.example", "role": "owner",
                                         "account": "globex"})
        self.assertStatus(r, 201)
        token, _ = self.invitation_token("boss@globex.example")
        accepted, boss = self.sign_in(token, "globex boss password")
        self.assertEqual(accepted.body["account"]["name"], "globex")
        self.assertEqual(accepted.body["user"]["role"], "owner")
        self.assertEqual(boss.get("/api/v1/orders").body["items"], [], "a separate account")
        # Only an owner's invitation creates an account; a typo for a member does not.
        self.assertProblem(admin.post("/api/v1/users", {"email": "x@globex.example",
                                                        "role": "member", "account": "glbex"}),
                           404)


class PeopleWithoutEmail:
    def test_owners_cannot_invite_without_smtp_and_admins_get_the_link(self):
        server = self.start_signetd()
        owner = server.client(server.create_owner("owner@mine.example", "mine"))
        refused = owner.post("/api/v1/users", {"email": "new@mine.example", "role": "member"})
        self.assertProblem(refused, 503, "smtp_not_configured")
        emails = [u["email"] for u in owner.get("/api/v1/users").body["items"]]
        self.assertEqual(emails, ["owner@mine.example"], "nothing half made")
        admin = server.client(server.initial_admin()["api_key"])
        invited = admin.post("/api/v1/users", {"email": "new@mine.example", "role": "member",
                                               "account": "mine"})
        self.assertStatus(invited, 201)
        self.assertFalse(invited.body["invitation_emailed"])
        token = invited.body["invitation_url"].split("#", 1)[1]
        accepted = server.client().post("/api/v1/invitation/accept",
                                        {"token": token, "password": "my own new password"})
        self.assertStatus(accepted, 200)
        self.assertEqual(accepted.body["account"]["name"], "mine")
        # Admins may add a person at once with a first password.
        added = admin.post("/api/v1/users", {"email": "direct@mine.example", "role": "owner",
                                             "account": "mine",
                                             "password": "a first password!"})
        self.assertStatus(added, 201)
        self.assertEqual(added.body["status"], "active")
        self.assertStatus(server.client().post("/api/v1/session", {
            "email": "direct@mine.example", "password": "a first password!"}), 200)


harness.make_backend_tests(globals(), People, PeopleWithoutEmail)

if __name__ == "__main__":
    harness.main()
