"""The operational endpoints, the OpenAPI document, request ids and problem documents."""

import harness


class ServerBasics:
    def setUp(self):
        self.server = self.start_signetd()
        self.anon = self.server.client()

    def assertRequestId(self, response):
        request_id = response.headers.get("X-Request-Id")
        self.assertTrue(request_id, f"no X-Request-Id on {response!r}")
        return request_id

    def test_healthz_over_verified_tls(self):
        # The client trusts only data_dir/ca.pem and checks the certificate's IP SAN.
        status, headers, body = self.anon.get("/healthz")
        self.assertEqual(status, 200, body)
        self.assertEqual(body, {"status": "ok"})
        self.assertRequestId(self.anon.get("/healthz"))

    def test_healthz_verified_by_dns_name(self):
        client = self.server.client(server_hostname="localhost")
        self.assertStatus(client.get("/healthz"), 200)

    def test_readyz(self):
        response = self.anon.get("/readyz")
        self.assertStatus(response, 200)
        self.assertEqual(response.body.get("status"), "ready", response.body)
        self.assertEqual(response.body.get("database"), self.backend, response.body)
        self.assertRequestId(response)

    def test_metrics_are_prometheus_text(self):
        for _ in range(3):
            self.assertStatus(self.anon.get("/healthz"), 200)
        response = self.anon.get("/metrics")
        self.assertStatus(response, 200)
        self.assertTrue(response.content_type.startswith("text/plain"), response.content_type)
        self.assertRequestId(response)
        text = response.body.decode()
        self.assertIn("# TYPE signet_http_requests_total counter", text)
        self.assertIn("signet_http_requests_total", text)

        # A request is counted once its response is written, so the samples of the /healthz
        # requests above appear at the latest shortly after.
        def healthz_sample():
            body = self.anon.get("/metrics").body.decode()
            return [line for line in body.splitlines()
                    if line.startswith("signet_http_requests_total{")
                    and 'route="/healthz"' in line and 'status="200"' in line]

        lines = harness.wait_until(healthz_sample, 10, message="a /healthz sample in /metrics")
        count = float(lines[0].rsplit(" ", 1)[1])
        self.assertGreaterEqual(count, 3, lines)

    def test_openapi_document(self):
        response = self.anon.get("/api/v1/openapi.json")
        self.assertStatus(response, 200)
        self.assertEqual(response.content_type, "application/json")
        self.assertRequestId(response)
        doc = response.body
        self.assertIsInstance(doc, dict)
        self.assertIn("openapi", doc)
        self.assertIn("paths", doc)
        self.assertIn("/api/v1/organizations", doc["paths"])
        self.assertIn("/api/v1/organizations/{id}", doc["paths"])
        self.assertIn("/api/v1/session", doc["paths"])
        organizations = doc["paths"]["/api/v1/organizations"]
        self.assertIn("get", organizations)
        self.assertIn("post", organizations)

    def test_request_id_is_echoed_or_generated(self):
        response = self.anon.get("/healthz", headers={"X-Request-Id": "it-test-42"})
        self.assertEqual(response.headers.get("X-Request-Id"), "it-test-42")
        # An id that is not a safe token is replaced, never echoed.
        response = self.anon.get("/healthz", headers={"X-Request-Id": "bad id\"<script>"})
        generated = self.assertRequestId(response)
        self.assertNotIn("<", generated)
        first = self.assertRequestId(self.anon.get("/healthz"))
        second = self.assertRequestId(self.anon.get("/healthz"))
        self.assertNotEqual(first, second)

    def test_no_credentials_is_401_problem(self):
        response = self.anon.get("/api/v1/organizations")
        doc = self.assertProblem(response, 401, "unauthorized")
        self.assertEqual(doc["type"], "urn:signet:problem:unauthorized")
        self.assertEqual(doc["title"], "Unauthorized")
        self.assertTrue(doc["detail"])
        request_id = self.assertRequestId(response)
        self.assertEqual(doc.get("request_id"), request_id)

    def test_unknown_or_malformed_api_key_is_401(self):
        for key in ("sk_not_a_real_key_0123456789", "garbage"):
            response = self.server.client(key).get("/api/v1/organizations")
            self.assertProblem(response, 401, "unauthorized")
            self.assertRequestId(response)
        response = self.anon.get("/api/v1/organizations",
                                 headers={"Authorization": "Basic dXNlcjpwYXNz"})
        self.assertProblem(response, 401, "unauthorized")

    def test_unknown_path_is_404_problem(self):
        for path in ("/api/v1/no-such-thing", "/acme/nope", "/api/v1/organizations/x/y"):
            response = self.anon.get(path)
            self.assertProblem(response, 404, "not_found")
            self.assertRequestId(response)
        # Other paths belong to the web console (its own routes), when it is built.
        response = self.anon.get("/nope")
        if response.status == 200:
            self.assertEqual(response.content_type, "text/html")
            self.assertIn(b"<div id=\"app\">", response.body)
        else:
            self.assertProblem(response, 404, "not_found")

    def test_wrong_method_is_405_problem(self):
        response = self.anon.request("DELETE", "/healthz")
        self.assertProblem(response, 405, "method_not_allowed")
        self.assertRequestId(response)
        self.assertIn("GET", response.headers.get("Allow", ""))
        response = self.anon.request("PATCH", "/api/v1/organizations")
        self.assertProblem(response, 405, "method_not_allowed")
        self.assertRequestId(response)


harness.make_backend_tests(globals(), ServerBasics)

if __name__ == "__main__":
    harness.main()
