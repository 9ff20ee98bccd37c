#!/usr/bin/env bash
# Packs what a GPU device machine needs to run bench/gpu/check.sh, into bench/gpu/carry/ (git-ignored):
# a jlinked Java runtime with a JDK's include/ (the device has no JDK; the JNI build needs jni.h), and the
# project's jars without TensorFlow and without DJL's CPU natives (the device builds a JNI for its own
# torch), as one bundle.tar.xz of about 30 MB: with the working tree, under the device's 64 MiB.
#   bench/gpu/pack.sh        then run on the device, carrying bench/gpu/carry: bash bench/gpu/check.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
carry="$root/bench/gpu/carry"
cd "$root"
mvn -B -q -o -DskipTests install >&2 || mvn -B -q -DskipTests install >&2
rm -rf "$carry.partial" && mkdir -p "$carry.partial/lib"
jdk="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
# uncompressed: xz then packs it to a quarter, where jlink's own zip compression would leave xz nothing
jlink --add-modules java.base,java.logging,java.management,java.xml,java.naming,java.net.http,jdk.unsupported,jdk.crypto.ec \
  --strip-debug --no-header-files --no-man-pages --output "$carry.partial/jre"
cp -r "$jdk/include" "$carry.partial/jre/include" # JAVA_HOME for native/build-djl-jni.sh
# the CLI's and the bench's classpaths, less TensorFlow (verify and the benchmarks never touch it) and the
# CPU natives (the device's own torch is used)
{ tr ':' '\n' < cli/target/classpath.txt; echo; tr ':' '\n' < bench/target/classpath.txt; echo; echo cli/target/gpt2j-cli-0.1.0-SNAPSHOT.jar; } \
  | grep -v -e tensorflow -e '/gpt2j-tf-' -e '/javacpp-' -e '/protobuf-java-' -e '/pytorch-native-cpu/' -e '/pytorch-jni/' \
  | sort -u | while read -r jar; do [[ -n "$jar" ]] && cp "$jar" "$carry.partial/lib/"; done
(cd bench/target/classes && jar_name="$carry.partial/lib/gpt2j-bench-classes.jar" && "$jdk/bin/jar" cf "$jar_name" .)
git rev-parse --short=12 HEAD > "$carry.partial/commit"
tar -C "$carry.partial" -cJf "$carry.partial/bundle.tar.xz" jre lib commit
rm -rf "$carry.partial/jre" "$carry.partial/lib"
rm -rf "$carry" && mv "$carry.partial" "$carry"
du -sh "$carry" >&2
echo "packed $carry (commit $(cat "$carry/commit")); on the device: bash bench/gpu/check.sh, carrying bench/gpu/carry" >&2
