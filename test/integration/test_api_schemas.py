"""The REST API's one description, api/schemas/*.json (docs/ARCHITECTURE.md): the component
schemas the real signetd serves in /api/v1/openapi.json are exactly what scripts/gen-api.py makes
of it, the console's generated types are not stale, every route names schemas that exist and
every schema is reachable from a route, and the generator rejects a broken description with an
error naming the file and the schema."""

import json
import os
import shutil
import subprocess
import sys

import harness

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GEN_API = os.path.join(ROOT, "scripts", "gen-api.py")
SCHEMA_DIR = os.path.join(ROOT, "api", "schemas")
CONSOLE_TYPES = os.path.join(ROOT, "console", "src", "api-types.generated.ts")
REF_PREFIX = "#/components/schemas/"


def gen_api(*args):
    """Runs scripts/gen-api.py ARGS: (exit code, stdout, stderr)."""
    proc = subprocess.run([sys.executable, GEN_API, *args], stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
    return proc.returncode, proc.stdout, proc.stderr


def refs(node):
    """Every schema name a $ref (or x-list-of) in node names."""
    found = set()
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str) and node["$ref"].startswith(REF_PREFIX):
            found.add(node["$ref"][len(REF_PREFIX):])
        for value in node.values():
            found |= refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= refs(value)
    return found


class ApiSchemas:
    def described(self):
        code, out, err = gen_api("--json", "-")
        self.assertEqual(code, 0, f"gen-api.py failed on api/schemas:\n{err}")
        return json.loads(out)

    def test_served_schemas_are_the_description(self):
        server = self.start_signetd()
        response = server.client().get("/api/v1/openapi.json")
        self.assertStatus(response, 200)
        served = response.body["components"]["schemas"]
        described = self.described()
        self.assertEqual(sorted(served), sorted(described),
                         "openapi.json serves other schema names than api/schemas describes "
                         "(is signetd built from this checkout?)")
        for name in described:
            self.assertEqual(served[name], described[name],
                             f"schema {name}: served differs from api/schemas")

    def test_routes_name_described_schemas(self):
        server = self.start_signetd()
        doc = server.client().get("/api/v1/openapi.json").body
        schemas = doc["components"]["schemas"]
        used = set()
        for path, operations in doc["paths"].items():
            for method, operation in operations.items():
                named = refs(operation)
                for name in named:
                    self.assertIn(name, schemas, f"{method.upper()} {path} names schema {name}, "
                                                 "which api/schemas does not describe")
                used |= named
        # Every schema is reachable from a route (directly or through other schemas): the
        # description holds nothing dead.
        reachable, todo = set(), list(used)
        while todo:
            name = todo.pop()
            if name in reachable or name not in schemas:
                continue
            reachable.add(name)
            todo.extend(refs(schemas[name]))
        self.assertEqual(sorted(set(schemas) - reachable), [],
                         "schemas no route reaches (directly or through another schema)")

    def test_console_types_are_fresh(self):
        out_dir = self.temp_dir()
        fresh = os.path.join(out_dir, "api-types.generated.ts")
        code, _, err = gen_api("--ts", fresh)
        self.assertEqual(code, 0, err)
        with open(fresh, encoding="utf-8") as f:
            expected = f.read()
        with open(CONSOLE_TYPES, encoding="utf-8") as f:
            committed = f.read()
        self.assertTrue(committed == expected,
                        "console/src/api-types.generated.ts is stale: run /usr/bin/python3 "
                        "scripts/gen-api.py --ts console/src/api-types.generated.ts "
                        "(scripts/build-console.sh does)")

    def test_generated_cpp_holds_the_description(self):
        out_dir = self.temp_dir()
        source = os.path.join(out_dir, "component_schemas.cc")
        code, _, err = gen_api("--cpp", source)
        self.assertEqual(code, 0, err)
        with open(source, encoding="utf-8") as f:
            text = f.read()
        pieces, rest = [], text
        while 'R"json(' in rest:
            rest = rest[rest.index('R"json(') + len('R"json('):]
            end = rest.index(')json"')
            pieces.append(rest[:end])
            rest = rest[end:]
        self.assertTrue(pieces, text[:400])
        for piece in pieces:
            self.assertLessEqual(len(piece), 16000, "a C++ string literal piece is too long")
        self.assertEqual(json.loads("".join(pieces)), self.described())

    def broken_copy(self, edit):
        """A copy of api/schemas changed by edit(dir); returns gen-api's (code, stderr) on it."""
        work = self.temp_dir()
        copy = os.path.join(work, "schemas")
        shutil.copytree(SCHEMA_DIR, copy)
        edit(copy)
        out = os.path.join(work, "out.json")
        code, _, err = gen_api("--schemas", copy, "--json", out)
        self.assertFalse(os.path.exists(out), "written despite errors")
        return code, err

    def rewrite(self, directory, filename, change):
        path = os.path.join(directory, filename)
        with open(path, encoding="utf-8") as f:
            content = json.load(f)
        change(content)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(content, f)

    def test_generator_rejects_a_broken_description(self):
        def unknown_key(d):
            self.rewrite(d, "order.json",
                         lambda c: c["Order"]["properties"]["status"].update({"enm": ["x"]}))

        code, err = self.broken_copy(unknown_key)
        self.assertEqual(code, 1, err)
        self.assertIn("order.json: Order.status: unknown key 'enm'", err)

        def dangling_ref(d):
            self.rewrite(d, "certificate.json", lambda c: c["Certificate"]["properties"].update(
                {"owner": {"$ref": REF_PREFIX + "Nobody"}}))

        code, err = self.broken_copy(dangling_ref)
        self.assertEqual(code, 1, err)
        self.assertIn("certificate.json: Certificate.owner: $ref to 'Nobody'", err)

        def twice(d):
            with open(os.path.join(d, "zz_more.json"), "w", encoding="utf-8") as f:
                json.dump({"Order": {"type": "object"}}, f)

        code, err = self.broken_copy(twice)
        self.assertEqual(code, 1, err)
        self.assertIn("zz_more.json: Order: already defined in", err)
        self.assertIn("order.json", err)

        def not_a_property(d):
            self.rewrite(d, "session.json",
                         lambda c: c["LoginRequest"]["required"].append("passwrd"))

        code, err = self.broken_copy(not_a_property)
        self.assertEqual(code, 1, err)
        self.assertIn("session.json: LoginRequest: required names 'passwrd'", err)


harness.make_backend_tests(globals(), ApiSchemas, backends=["sqlite"])

if __name__ == "__main__":
    harness.main()
