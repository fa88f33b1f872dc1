#!/usr/bin/env bash
# Makes sure a PostgreSQL server accepts connections on 127.0.0.1:5432 for the storage
# tests (trust auth, user postgres, database `test`). Idempotent: does nothing when one is
# already listening; starts the local cluster when it is installed but stopped; installs
# PostgreSQL from the distribution when it is missing. CI runs it before the test suite.
#
# The tests read UNREST_TEST_POSTGRES (default postgres://postgres@127.0.0.1:5432/test);
# point that at another server to use it instead.
set -euo pipefail

HOST=127.0.0.1
PORT=5432

listening() {
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h "$HOST" -p "$PORT"
    else
        (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null
    fi
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$*"; else sudo -u postgres sh -c "$*"; fi
}

if ! listening; then
    if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
        echo "pg-start: installing PostgreSQL" >&2
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    conf=/etc/postgresql/$version/main
    # Local test server only: no passwords on the loopback interface.
    if ! grep -q '^host all all 127.0.0.1/32 trust' "$conf/pg_hba.conf"; then
        as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\nlocal all all trust' "$conf/pg_hba.conf"
    fi
    echo "pg-start: starting cluster $version/main" >&2
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
fi

for _ in $(seq 1 60); do
    if listening; then break; fi
    sleep 0.5
done
if ! listening; then
    echo "pg-start: PostgreSQL does not accept connections on $HOST:$PORT" >&2
    exit 1
fi

# The test database, once.
if ! psql -h "$HOST" -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1; then
    psql -h "$HOST" -p "$PORT" -U postgres -qc "CREATE DATABASE test" || as_postgres "psql -qc 'CREATE DATABASE test'"
fi
echo "pg-start: PostgreSQL ready on $HOST:$PORT" >&2
