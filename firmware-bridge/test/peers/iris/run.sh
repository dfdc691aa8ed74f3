#!/usr/bin/env bash
# Records what IRIS answers for every MULTI string of test/core/multi-table.ts:
#   IRIS's Java MultiString.isValid() and the ntcip crate's MULTI parser (the one IRIS renders with).
# Usage: test/peers/iris/run.sh <iris checkout> <ntcip checkout>   (needs javac/java and cargo; no network)
# Writes test/peers/iris/multi-iris-results.json, which multi-table.test.ts reads.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
iris="$(cd "$1" && pwd)"
ntcip="$(cd "$2" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# IRIS's MultiString and the few classes it needs, plus our stand-in for the system attribute table.
tms="$iris/src/us/mn/state/dot/tms"
mkdir -p "$work/java/out"
javac -d "$work/java/out" "$here/MultiCheck.java" "$here/SystemAttrEnum.java" \
  "$tms/utils/MultiString.java" "$tms/utils/Multi.java" "$tms/utils/MultiAdapter.java" \
  "$tms/utils/MultiBuilder.java" "$tms/utils/PageTimeCounter.java" "$tms/PageTimeHelper.java" \
  "$tms/units/Interval.java"

# The ntcip crate's multi.rs, with its derive and attribute macros (enumflags2, thiserror) left out.
mkdir -p "$work/rs/src/dms"
sed -e '/#\[enumflags2::bitflags\]/d' -e 's/thiserror::Error, //' -e '/^\s*#\[error(/d' -e 's/^use log::{debug, warn};//' \
  "$ntcip/src/dms/multi.rs" > "$work/rs/src/dms/multi.rs"
cp "$here/ntcip-multi-check.rs" "$work/rs/src/main.rs"
printf '[package]\nname = "ntcip-multi-check"\nversion = "0.1.0"\nedition = "2024"\n' > "$work/rs/Cargo.toml"
cargo build --offline --quiet --manifest-path "$work/rs/Cargo.toml"

cd "$here/../../.."
node --conditions=@citybay/source --import tsx test/peers/iris/print-strings.ts > "$work/strings.txt"
java -cp "$work/java/out" MultiCheck < "$work/strings.txt" > "$work/java.txt"
"$work/rs/target/debug/ntcip-multi-check" < "$work/strings.txt" > "$work/ntcip.txt"
IRIS_COMMIT="$(git -C "$iris" rev-parse HEAD)" NTCIP_COMMIT="$(git -C "$ntcip" rev-parse HEAD)" \
  node -e '
    const fs = require("node:fs");
    const [strings, java, ntcip] = process.argv.slice(1).map((f) => fs.readFileSync(f, "utf8").split("\n").slice(0, -1));
    const results = strings.map((multi, i) => ({ multi, java: java[i], ntcip: ntcip[i] }));
    const out = { iris: process.env.IRIS_COMMIT, ntcip: process.env.NTCIP_COMMIT, results };
    fs.writeFileSync("test/peers/iris/multi-iris-results.json", JSON.stringify(out, null, 2) + "\n");
  ' "$work/strings.txt" "$work/java.txt" "$work/ntcip.txt"
echo "wrote test/peers/iris/multi-iris-results.json ($(wc -l < "$work/strings.txt") strings)"
