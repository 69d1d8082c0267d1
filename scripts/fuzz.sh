#!/usr/bin/env bash
# Runs every fuzz target for a short fixed time (CI) or longer:
#
#   ./scripts/fuzz.sh              # each target for $FUZZTIME (default 10s)
#   FUZZTIME=10m ./scripts/fuzz.sh # longer, e.g. before a release
#   FUZZTIME=1h ./scripts/fuzz.sh FuzzWriteCSV   # one target
#
# A failing input is saved under the package's testdata/fuzz/<Target>/ and
# replayed by every later `go test`: commit it with the fix.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${FUZZTIME:-10s}"

# package  target
targets=(
  "./registration FuzzInputValidate"
  "./registration FuzzWriteCSV"
  "./faults FuzzWebsocketCommand"
)
# Targets of packages that may not be merged yet are found by name.
for extra in "./summary FuzzRenderMarkdown" "./summary FuzzEscapeReadsAsText" "./summary FuzzMarkdownRepeatedRendersQuickly"; do
  read -r pkg name <<<"$extra"
  if [[ -d $pkg ]] && grep -rqs "func $name(" "$pkg"/*_test.go; then
    targets+=("$extra")
  fi
done

total=0
for t in "${targets[@]}"; do
  read -r pkg name <<<"$t"
  if (($#)) && [[ " $* " != *" $name "* ]]; then continue; fi
  echo "== fuzz $name ($pkg) for $fuzztime"
  run() { go test -run='^$' -fuzz="^${name}\$" -fuzztime="$fuzztime" "$pkg" 2>&1; }
  if ! out=$(run); then
    # Go's fuzzing coordinator sometimes ends a run that found nothing with
    # "context deadline exceeded" when the time runs out under load. A real
    # failure always writes its input ("Failing input written to"); only
    # the former is run again, once.
    if grep -q 'context deadline exceeded' <<<"$out" && ! grep -q 'Failing input written to' <<<"$out"; then
      echo "   the fuzzing run ended on Go's coordinator deadline with no failing input; running it again"
      out=$(run) || { echo "$out"; exit 1; }
    else
      echo "$out"; exit 1
    fi
  fi
  execs=$(grep -o 'execs: [0-9]*' <<<"$out" | tail -1 | grep -o '[0-9]*' || echo 0)
  echo "   $execs inputs"
  total=$((total + execs))
done
echo "== fuzz: $total inputs in all, no failure"
