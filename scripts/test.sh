#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine and runs every test of the
# workspace, against a real PostgreSQL as well as SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-system.sh
FIELDLEDGER_TEST_POSTGRES=$(scripts/start-postgres.sh | tail -n 1)
export FIELDLEDGER_TEST_POSTGRES

cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace
scripts/android-check.sh
