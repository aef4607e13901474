"""A minimal OpenID Connect provider on loopback, for the browser tests of OIDC sign-in.

It implements what Streamlit's `st.login` (Authlib) uses: the discovery document, an authorization
endpoint that signs in `provider.email` at once (no form) and redirects back with a code, a token
endpoint answering an RS256-signed ID token with the nonce it was asked for, and the JWKS.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID = "maillage-test"
CLIENT_SECRET = "not-a-real-secret"


class FakeProvider:
    """`with FakeProvider() as p:` serves on `p.url`; set `p.email` before each sign-in."""

    def __init__(self) -> None:
        self.email = "someone@example.org"
        self._key = RSAKey.generate_key(2048, parameters={"kid": "k1"})
        self._codes: dict[str, dict[str, Any]] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FakeProvider:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    def _metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        }

    def _id_token(self, nonce: str | None, email: str) -> str:
        now = int(time.time())
        claims = {
            "iss": self.url, "sub": email, "aud": CLIENT_ID, "iat": now, "exp": now + 3600,
            "email": email, "email_verified": True, "name": email.split("@")[0],
        }
        if nonce:
            claims["nonce"] = nonce
        header = {"alg": "RS256", "kid": "k1"}
        return jwt.encode(header, claims, self._key)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet
                pass

            def _json(self, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                parsed = urllib.parse.urlparse(self.path)
                query = dict(urllib.parse.parse_qsl(parsed.query))
                if parsed.path == "/.well-known/openid-configuration":
                    self._json(provider._metadata())
                elif parsed.path == "/jwks":
                    self._json({"keys": [provider._key.as_dict(private=False)]})
                elif parsed.path == "/authorize":
                    code = secrets.token_urlsafe(16)
                    provider._codes[code] = {"nonce": query.get("nonce"), "email": provider.email}
                    target = query["redirect_uri"] + "?" + urllib.parse.urlencode(
                        {"code": code, "state": query.get("state", "")}
                    )
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.end_headers()
                else:
                    self.send_error(404)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                if urllib.parse.urlparse(self.path).path != "/token":
                    self.send_error(404)
                    return
                grant = provider._codes.pop(form.get("code", ""), None)
                if grant is None:
                    self.send_error(400, "unknown code")
                    return
                self._json(
                    {
                        "access_token": secrets.token_urlsafe(16), "token_type": "Bearer",
                        "expires_in": 3600, "id_token": provider._id_token(grant["nonce"], grant["email"]),
                    }
                )

        return Handler
