"""Console sign-in: the session cookie, its CSRF token, wrong passwords and sign-out."""

import http.cookies

import harness

EMAIL = "o@x.com"
PASSWORD = "correct horse battery"
ORG = {"name": "Gamma Ltd", "country": "CN", "city": "Beijing"}


class SessionLogin:
    def setUp(self):
        self.server = self.start_signetd()
        self.server.create_user(EMAIL, "owner", "gamma", password=PASSWORD)
        self.anon = self.server.client()

    def login(self, email=EMAIL, password=PASSWORD):
        return self.anon.post("/api/v1/session", {"email": email, "password": password})

    def session_cookie(self, response):
        """The signet_session value from Set-Cookie, checking the cookie's attributes."""
        headers = response.headers.get_all("Set-Cookie") or []
        mine = [h for h in headers if h.strip().startswith("signet_session=")]
        self.assertEqual(len(mine), 1, f"one signet_session cookie expected: {headers}")
        header = mine[0]
        attributes = [part.strip() for part in header.split(";")[1:]]
        lowered = [a.lower() for a in attributes]
        self.assertIn("secure", lowered, header)
        self.assertIn("httponly", lowered, header)
        self.assertIn("samesite=strict", lowered, header)
        cookie = http.cookies.SimpleCookie()
        cookie.load(header)
        value = cookie["signet_session"].value
        self.assertTrue(value, header)
        return value

    def test_sign_in_and_use_the_cookie(self):
        response = self.login()
        self.assertStatus(response, 200)
        csrf = response.body.get("csrf_token")
        self.assertTrue(csrf, response.body)
        self.assertEqual(response.body["user"]["email"], EMAIL)
        cookie = self.session_cookie(response)
        self.assertNotIn(cookie, response.raw.decode(), "the session secret is only in the cookie")

        browser = self.server.client(cookie=cookie)
        me = browser.get("/api/v1/session")
        self.assertStatus(me, 200)
        self.assertEqual(me.body["user"]["email"], EMAIL)
        self.assertEqual(me.body["user"]["role"], "owner")
        self.assertEqual(me.body["account"]["name"], "gamma")
        self.assertEqual(me.body.get("csrf_token"), csrf)
        # Safe methods need no CSRF token.
        self.assertStatus(browser.get("/api/v1/organizations"), 200)

    def test_unsafe_requests_need_the_csrf_token(self):
        response = self.login()
        self.assertStatus(response, 200)
        csrf = response.body["csrf_token"]
        cookie = self.session_cookie(response)

        without = self.server.client(cookie=cookie).post("/api/v1/organizations", ORG)
        self.assertProblem(without, 403, "csrf_token_invalid")
        wrong = self.server.client(cookie=cookie, csrf="x" * len(csrf)).post(
            "/api/v1/organizations", ORG)
        self.assertProblem(wrong, 403, "csrf_token_invalid")
        # Nothing was written by the refused requests.
        listed = self.server.client(cookie=cookie).get("/api/v1/organizations")
        self.assertEqual(listed.body["items"], [])

        browser = self.server.client(cookie=cookie, csrf=csrf)
        created = browser.post("/api/v1/organizations", ORG)
        self.assertStatus(created, 201)
        self.assertEqual(created.body["name"], "Gamma Ltd")
        got = browser.get(f"/api/v1/organizations/{created.body['id']}")
        self.assertStatus(got, 200)

    def test_csrf_token_of_another_session_is_refused(self):
        first = self.login()
        second = self.login()
        self.assertStatus(first, 200)
        self.assertStatus(second, 200)
        self.assertNotEqual(first.body["csrf_token"], second.body["csrf_token"])
        cookie = self.session_cookie(first)
        crossed = self.server.client(cookie=cookie, csrf=second.body["csrf_token"])
        self.assertProblem(crossed.post("/api/v1/organizations", ORG), 403, "csrf_token_invalid")

    def test_wrong_password_or_unknown_email_is_401(self):
        wrong = self.login(password="incorrect horse battery")
        self.assertProblem(wrong, 401)
        self.assertFalse(wrong.headers.get_all("Set-Cookie"), "no cookie on a failed sign-in")
        unknown = self.login(email="nobody@x.com")
        self.assertProblem(unknown, 401)
        # Both failures look the same, so they do not reveal which emails exist.
        self.assertEqual(wrong.body["code"], unknown.body["code"])
        self.assertEqual(wrong.body["detail"], unknown.body["detail"])
        # The right password still works afterwards.
        self.assertStatus(self.login(), 200)

    def test_forged_cookie_is_401(self):
        forged = self.server.client(cookie="not-a-session")
        self.assertProblem(forged.get("/api/v1/session"), 401, "unauthorized")

    def test_sign_out(self):
        response = self.login()
        self.assertStatus(response, 200)
        csrf = response.body["csrf_token"]
        cookie = self.session_cookie(response)
        browser = self.server.client(cookie=cookie, csrf=csrf)

        self.assertProblem(self.server.client(cookie=cookie).delete("/api/v1/session"), 403,
                           "csrf_token_invalid")
        self.assertStatus(browser.get("/api/v1/session"), 200)

        out = browser.delete("/api/v1/session")
        self.assertStatus(out, 204)
        self.assertProblem(browser.get("/api/v1/session"), 401, "unauthorized")
        self.assertProblem(self.server.client(cookie=cookie).get("/api/v1/organizations"), 401,
                           "unauthorized")
        # Signing out ends that session only: the user can sign in again.
        self.assertStatus(self.login(), 200)


harness.make_backend_tests(globals(), SessionLogin)

if __name__ == "__main__":
    harness.main()
