#!/usr/bin/env bash
# Type-checks the app (mobile feature) and the phone's data crate for
# Android on arm64, without an Android NDK.
#
# The C parts (ring, SQLCipher and its vendored OpenSSL) are compiled by
# zig's clang for aarch64-linux-musl from the PyPI package `ziglang`: musl's
# headers stand in for bionic's, which is enough to type-check the Rust
# code above them. Nothing here is linked, so nothing here is an APK; a
# real build needs the NDK and the dioxus CLI.
#
# Needs python3 (with venv), perl and make. Uses $CARGO_TARGET_DIR or
# ./target, and keeps zig in a virtualenv under it.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET=aarch64-linux-android
ZIG_TARGET=aarch64-linux-musl
# The zig release the check was last run with.
ZIGLANG_VERSION="0.17.1"

target_dir="${CARGO_TARGET_DIR:-target}"
mkdir -p "$target_dir"
tools="$(cd "$target_dir" && pwd)/android-tools"
python="$tools/venv/bin/python"

rustup target add "$TARGET"

if ! "$python" -m ziglang version >/dev/null 2>&1; then
    python3 -m venv "$tools/venv"
    "$python" -m pip install --quiet "ziglang==$ZIGLANG_VERSION"
fi

# cc-rs and openssl-src pass clang an Android --target of their own, which
# would make zig look for bionic's headers; the wrapper drops it.
write_cc() {
    cat >"$tools/$1" <<WRAPPER
#!/usr/bin/env bash
args=()
skip=0
for arg in "\$@"; do
    if [ "\$skip" = 1 ]; then skip=0; continue; fi
    case "\$arg" in
        --target=*) ;;
        -target) skip=1 ;;
        *) args+=("\$arg") ;;
    esac
done
exec "$python" -m ziglang $2 -target $ZIG_TARGET "\${args[@]}"
WRAPPER
    chmod +x "$tools/$1"
}

write_tool() {
    printf '#!/bin/sh\nexec "%s" -m ziglang %s "$@"\n' "$python" "$2" >"$tools/$1"
    chmod +x "$tools/$1"
}

write_cc cc cc
write_cc cxx c++
write_tool ar ar
write_tool ranlib ranlib

export CC_aarch64_linux_android="$tools/cc"
export CXX_aarch64_linux_android="$tools/cxx"
export AR_aarch64_linux_android="$tools/ar"
export RANLIB_aarch64_linux_android="$tools/ranlib"
export CARGO_TARGET_AARCH64_LINUX_ANDROID_LINKER="$tools/cc"

cargo check --target "$TARGET" \
    --no-default-features --features fieldledger/mobile \
    -p fieldledger -p fieldledger-device
