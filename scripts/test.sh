#!/usr/bin/env bash
# Runs every Rostrum test, as on a fresh Debian machine: installs what the
# tests need (Chromium and fonts for the browser and document tests,
# poppler-utils to read PDFs back) when run as root, uses the local
# PostgreSQL when it is reachable, then checks formatting, vets and tests.
#
#   ./scripts/test.sh            # everything
#   ./scripts/test.sh ./handlers/...   # only these packages (still checks gofmt and vet)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(chromium fonts-dejavu-core fonts-noto-core fonts-noto-cjk fonts-droid-fallback fonts-nanum poppler-utils libreoffice-writer-nogui)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "== installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "!! missing Debian packages: ${missing[*]}"
    echo "!! install them as root: apt-get install -y ${missing[*]}"
  fi
fi

# PostgreSQL: start the local cluster if it is installed and down, and run
# the PostgreSQL tests when it answers (they skip otherwise).
pg_up() { command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; }
if ! pg_up && command -v pg_ctlcluster >/dev/null && [[ -d /etc/postgresql ]]; then
  for v in $(ls /etc/postgresql); do
    pg_ctlcluster --skip-systemctl-redirect "$v" main start 2>/dev/null || true
  done
  for _ in $(seq 1 20); do pg_up && break; sleep 0.5; done
fi
if pg_up; then
  export ROSTRUM_TEST_POSTGRES="${ROSTRUM_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}"
  echo "== PostgreSQL reachable: ROSTRUM_TEST_POSTGRES=$ROSTRUM_TEST_POSTGRES"
else
  echo "== PostgreSQL not reachable on 127.0.0.1:5432: its tests are skipped"
fi

echo "== gofmt"
unformatted=$(gofmt -l . | grep -v '^node_modules/' || true)
if [[ -n $unformatted ]]; then
  echo "!! not gofmt-formatted:"; echo "$unformatted"; exit 1
fi

echo "== go vet"
go vet ./...

echo "== go test"
if (($#)); then
  go test -count=1 -timeout 20m "$@"
else
  go test -count=1 -timeout 20m ./...
fi

# The same tests again with every test server on PostgreSQL (a schema
# each), for the packages that store things; the pages do not depend on the
# engine, so the browser tests run once, above.
# handlers, the long pole (each test migrates a schema of its own, and
# waits on the database more than on the cores), runs in two halves side
# by side with the rest: about 4 minutes instead of 6.5.
if ((!$#)) && [[ -n ${ROSTRUM_TEST_POSTGRES:-} ]]; then
  echo "== go test on PostgreSQL (ROSTRUM_TEST_ENGINE=postgres)"
  on_postgres() { ROSTRUM_TEST_ENGINE=postgres ROSTRUM_TEST_BROWSER=0 go test -count=1 -timeout 20m "$@"; }
  on_postgres ./handlers/ -run '^Test[A-K]' & first=$!
  on_postgres ./handlers/ -run '^Test[^A-K]' & second=$!
  failed=0
  on_postgres ./registration/ ./live/ ./summary/ ./outbox/ ./app/ ./demo/ || failed=1
  wait "$first" || failed=1
  wait "$second" || failed=1
  if ((failed)); then
    echo "!! the PostgreSQL pass failed"; exit 1
  fi
fi

# The load tool at small sizes, so it cannot rot: figures are printed,
# never asserted; limits held and messages lost are checked.
if ((!$#)); then
  echo "== rostrum-load ci"
  go run ./cmd/rostrum-load ci
fi

# Every fuzz target for a short fixed time (FUZZTIME=10m ./scripts/fuzz.sh
# runs them longer).
if ((!$#)); then
  ./scripts/fuzz.sh
fi
