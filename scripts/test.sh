#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine and runs every test of the
# workspace, against a real PostgreSQL as well as SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-system.sh
FIELDLEDGER_TEST_POSTGRES=$(scripts/start-postgres.sh | tail -n 1)
export FIELDLEDGER_TEST_POSTGRES

# One build from scratch gains nothing from incremental caches, which
# would take several GiB of disk.
export CARGO_INCREMENTAL=0

cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace
df -h "${CARGO_TARGET_DIR:-target}" | tail -n 1
scripts/android-check.sh
du -sh "${CARGO_TARGET_DIR:-target}"
