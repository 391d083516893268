#!/usr/bin/env bash
# Schema-driven fuzzing of API v1: schemathesis over /api/v1/openapi.json, against a real server
# (gunicorn, DEBUG off as in production) on a free 127.0.0.1 port and a scratch database seeded
# with the demo, once per role: anonymous, staff, liaison, deputy, dept. Fails on any 5xx.
#
#   tests/fuzz/run_fuzz.sh                       # SQLite in a temporary directory
#   FUZZ_DATABASE_URL=postgres://u:p@127.0.0.1:5432/lianluo_fuzz tests/fuzz/run_fuzz.sh
#       (that database is dropped and created again: never point it at real data)
#
# Bounds: FUZZ_MAX_EXAMPLES cases per operation and phase (default 15), FUZZ_ROLE_SECONDS per
# role (default 45). Checks: `not_a_server_error` only — see docs/security.md for why the
# schema-conformance checks are left out. Prints `N passed, N failed` (one per role) at the end.
set -euo pipefail
exec </dev/null

cd "$(dirname "$0")/../.."
ROOT=$(pwd)
BIN=$ROOT/.venv/bin
MAX_EXAMPLES=${FUZZ_MAX_EXAMPLES:-15}
ROLE_SECONDS=${FUZZ_ROLE_SECONDS:-45}
ROLES=(${FUZZ_ROLES:-anonymous staff liaison deputy dept})
SEED=${FUZZ_SEED:-2026}

WORK=$(mktemp -d -t lianluo-fuzz.XXXXXX)
REPORTS="$ROOT/test-artifacts/fuzz"
mkdir -p "$REPORTS"
SERVER_PID=""

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 20); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    echo "stopped the server (pid $SERVER_PID)"
  fi
  SERVER_PID=""
}
cleanup() {
  local rc=$?
  stop_server
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PORT=$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# Production-like: DEBUG off (unhandled errors take Django's path, not ninja's debug page), a
# throwaway secret key, no HTTPS redirect (plain HTTP on loopback), data in the scratch dir.
export DEBUG=0 LIANLUO_DEV=0 SECURE_HTTPS=0
export SECRET_KEY="fuzz-$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(40))')"
export ALLOWED_HOSTS=127.0.0.1 SITE_URL="http://127.0.0.1:$PORT" PORT
export LIANLUO_DATA_DIR="$WORK/data" LIANLUO_OUTBOX_MODE=sync
# The intake limit would answer 429 after 20 submissions and hide the intake from the fuzzer.
export LIANLUO_INTAKE_RATE=100000/m
export EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend
unset REDIS_URL CELERY_BROKER_URL
if [ -n "${FUZZ_DATABASE_URL:-}" ]; then
  export DATABASE_URL=$FUZZ_DATABASE_URL
  "$BIN/python" - <<'PY'
import os, psycopg
from urllib.parse import urlsplit
url = urlsplit(os.environ["DATABASE_URL"])
name = url.path.lstrip("/")
assert "fuzz" in name or name.startswith("test_"), f"refusing to drop {name!r}: not a scratch name"
admin = url._replace(path="/postgres").geturl()
with psycopg.connect(admin, autocommit=True) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    conn.execute(f'CREATE DATABASE "{name}"')
print(f"scratch PostgreSQL database {name}")
PY
else
  export DATABASE_URL="sqlite:///$WORK/fuzz.sqlite3"
fi

t0=$SECONDS
"$BIN/python" manage.py migrate --noinput -v0
# The demo seed is a development command: it runs with DEBUG on, the server below without; on
# PostgreSQL it must be forced (the database is this script's scratch one, made above).
DEBUG=1 "$BIN/python" manage.py seed_demo --cases ${FUZZ_SEED_CASES:-10} \
  --force-outside-development >/dev/null
echo "seeded the demo in $((SECONDS - t0))s"

# Bearer tokens of the demo users, issued by the same service as POST /auth/token.
declare -A TOKENS=()
while read -r role token; do TOKENS[$role]=$token; done < <(
  "$BIN/python" manage.py shell -v 0 -c '
from lianluo.core.models import User
from lianluo.core.services import api_token_issue
for name in ["staff", "liaison", "deputy", "dept"]:
    raw, _ = api_token_issue(user=User.objects.get(username=name))
    print("TOKEN", name, raw)
' | awk '$1 == "TOKEN" {print $2, $3}'
)
for role in "${ROLES[@]}"; do
  [ "$role" = anonymous ] || [ -n "${TOKENS[$role]:-}" ] || { echo "no token for $role" >&2; exit 1; }
done

mkdir -p "$LIANLUO_DATA_DIR/static"
# LOG_LEVEL=ERROR: the server's log shows the 5xx tracebacks, not a line per refused request.
LOG_LEVEL=ERROR "$BIN/gunicorn" lianluo.wsgi --bind "127.0.0.1:$PORT" --workers 2 --timeout 60 \
  --access-logfile /dev/null --error-logfile "$REPORTS/server.log" --log-level warning &
SERVER_PID=$!
schema_ok() {
  "$BIN/python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)' \
    "http://127.0.0.1:$PORT/api/v1/openapi.json" 2>/dev/null
}
for _ in $(seq 60); do
  schema_ok && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "the server did not start" >&2; exit 1; }
  sleep 0.5
done
schema_ok || { echo "the server does not serve the schema" >&2; exit 1; }
echo "server pid $SERVER_PID on 127.0.0.1:$PORT"

passed=0
failed=0
for role in "${ROLES[@]}"; do
  args=()
  if [ "$role" != anonymous ]; then
    args+=(--header "Authorization: Bearer ${TOKENS[$role]}")
  fi
  echo
  echo "--- fuzzing as $role (at most $MAX_EXAMPLES examples per operation, ${ROLE_SECONDS}s)"
  t_role=$SECONDS
  set +e
  # Run from the scratch dir: schemathesis keeps a .schemathesis/ folder in its working directory.
  # One worker: schemathesis' threads race in CPython 3.11's ast.parse (gh-106905: "SystemError:
  # AST constructor recursion depth mismatch"), a runtime error of the fuzzer, not of the API.
  timeout --kill-after=10s "$((ROLE_SECONDS + 60))" \
    env -C "$WORK" "$BIN/schemathesis" run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
    --checks not_a_server_error \
    --max-examples "$MAX_EXAMPLES" \
    --max-time "$ROLE_SECONDS" \
    --seed "$SEED" \
    --workers 1 \
    --request-timeout 30 \
    --generation-database none \
    --suppress-health-check all \
    --no-color \
    --report junit --report-junit-path "$REPORTS/$role.xml" \
    "${args[@]}"
  rc=$?
  set -e
  if ((rc == 0)); then
    passed=$((passed + 1))
    echo "--- $role: no server error ($((SECONDS - t_role))s)"
  else
    failed=$((failed + 1))
    echo "!!! $role: schemathesis exit $rc ($((SECONDS - t_role))s); server log: $REPORTS/server.log"
  fi
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "the server died" >&2; failed=$((failed + 1)); break; }
done

stop_server
echo
# The first line for .ci/run's stage() (pytest-like, with the time), the second for the plain
# "N passed, N failed" closing line.
echo "$passed passed, $failed failed in $((SECONDS - t0))s"
echo "fuzz: $passed passed, $failed failed"
((failed == 0))
