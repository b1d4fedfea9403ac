-- The trivial endpoint of the same app: the CORS preflight of /v1/sessions (no Redis, no body).
wrk.method = "OPTIONS"
wrk.headers["Origin"] = "http://localhost"
wrk.headers["Access-Control-Request-Method"] = "POST"
