#!/usr/bin/env bash
# Issue 11's benchmark: the project against the naive seed (bench/naive-seed/), one set of loopback AWS-API servers,
# alternating runs, min/median/max and ratios. docs/benchmarks.md, "Processing: project vs the naive seed".
#   bench/run-all.sh                         # every measure, 3 repeats
#   bench/run-all.sh -Dbench.measures=route,lambda10 -Dbench.repeats=5 -Dbench.route-records=5000
# Options: see dev.quotestream.bench.PipelineBenchmark. Results: target/bench/results-<time>.md (and per-run logs).
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/install-tools >/dev/null
mvn -o -q test-compile
mvn -o -q -f lambda-processor/pom.xml test-compile
mvn -o -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-deps.txt
mvn -o -q -f lambda-processor/pom.xml dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-deps.txt
echo "$PWD/target/test-classes:$PWD/target/classes:$(cat target/bench-deps.txt)" > target/bench-app-classpath.txt
echo "$PWD/lambda-processor/target/test-classes:$PWD/lambda-processor/target/classes:$(cat lambda-processor/target/bench-deps.txt)" \
  > target/bench-lambda-classpath.txt
exec java -Dbench.app-classpath-file=target/bench-app-classpath.txt \
  -Dbench.lambda-classpath-file=target/bench-lambda-classpath.txt "$@" \
  -cp "$(cat target/bench-app-classpath.txt)" dev.quotestream.bench.PipelineBenchmark
