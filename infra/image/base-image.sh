#!/usr/bin/env bash
# Builds the container base image as a `docker save` tar, without Docker or a registry (mvn -Pimage package runs
# this, then Jib puts the application on top): one layer holding a Java runtime linked with jlink from the JDK that
# runs Maven, the shared libraries it needs (taken from this machine), CA certificates, fontconfig and the DejaVu
# fonts (the report chart draws text), /etc/passwd with the unprivileged user `app`, and writable /tmp and /data.
# Linux only: the runtime and its libraries are this machine's (same CPU architecture in the image).
#   infra/image/base-image.sh <JAVA_HOME> <output.tar>
set -euo pipefail
java_home=$1
out_tar=$2
[ "$(uname -s)" = Linux ] || { echo "base-image: builds on Linux only (the runtime and libraries are this machine's)" >&2; exit 1; }
[ -x "$java_home/bin/jlink" ] || {
  echo "base-image: $java_home has no jlink: run Maven with a full JDK 17+ (JAVA_HOME), not a JRE" >&2; exit 1; }
for tool in ldd ldconfig tar sha256sum; do
  command -v "$tool" >/dev/null || { echo "base-image: $tool is missing" >&2; exit 1; }
done
mkdir -p "$(dirname "$out_tar")"
work="$(cd "$(dirname "$out_tar")" && pwd)/base-image"
root="$work/rootfs"
rm -rf "$work"
mkdir -p "$root"

# Java runtime: the modules the application and its libraries use (`jdeps --print-module-deps --recursive` over
# target/lib and the jar), plus what is only loaded by name: TLS (jdk.crypto.ec), DNS, zip file systems.
modules=java.base,java.compiler,java.datatransfer,java.desktop,java.instrument,java.logging,java.management,\
java.management.rmi,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,\
java.security.sasl,java.sql,java.transaction.xa,java.xml,java.xml.crypto,jdk.crypto.ec,jdk.crypto.cryptoki,\
jdk.httpserver,jdk.jfr,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress=2 --output "$root/opt/java"
# Headless only: the X11 toolkit libraries are not needed (and would pull in libX11).
rm -f "$root"/opt/java/lib/{libawt_xawt.so,libsplashscreen.so,libjawt.so}
# The JDK's trust store (Debian links it to /etc/ssl/certs/java/cacerts): copy the file itself.
cp -L "$java_home/lib/security/cacerts" "$root/opt/java/lib/security/cacerts"

# Shared libraries: what the runtime's binaries link, plus what the JDK and the JDBC drivers load at run time
# (fontconfig is dlopen'ed by the font manager; the SQLite and DuckDB JDBC drivers unpack native libraries that
# link libpthread, libdl and the C++ runtime).
extra_libs="libfontconfig.so.1 libstdc++.so.6 libgcc_s.so.1 libdl.so.2 libpthread.so.0 librt.so.1"
libs() {
  find "$root/opt/java" -type f \( -name '*.so' -o -perm -u+x \) -print0 | xargs -0 -n1 ldd 2>/dev/null \
    | awk '/=> \// {print $3} /^\t\/.*ld-linux/ {print $1}'
  for lib in $extra_libs; do
    path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64|AArch64|64bit/ {print $NF; exit}')
    [ -n "$path" ] || path=$(ldconfig -p | awk -v l="$lib" '$1 == l {print $NF; exit}')
    [ -n "$path" ] || { echo "base-image: $lib not found on this machine (install it: fontconfig, libstdc++6)" >&2; exit 1; }
    echo "$path"
    ldd "$path" | awk '/=> \// {print $3}'
  done
}
for lib in $(libs | grep -v "^$root/" | sort -u); do
  cp --parents -L "$lib" "$root"
done
# The dynamic loader where binaries look for it (e.g. /lib64/ld-linux-x86-64.so.2).
interp=$(ldd "$root/opt/java/bin/java" | awk '/ld-linux/ {print $1}')
[ -e "$root$interp" ] || cp --parents -L "$interp" "$root"

# Fonts for the report chart.
mkdir -p "$root/etc" "$root/usr/share/fonts/truetype"
cp -rL /etc/fonts "$root/etc/fonts"
cp -rL /usr/share/fonts/truetype/dejavu "$root/usr/share/fonts/truetype/dejavu"

# Users, name resolution, writable directories.
printf 'root:x:0:0:root:/root:/sbin/nologin\napp:x:10001:10001:quote-pipeline:/data:/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\napp:x:10001:\n' > "$root/etc/group"
printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"
mkdir -p "$root/tmp" "$root/data" "$root/root"
chmod 1777 "$root/tmp"
chmod 0777 "$root/data"

# One layer, then the docker-save layout Jib reads with from.image = tar://...
tar --numeric-owner --owner=0 --group=0 --sort=name --mtime='2000-01-01 00:00Z' -C "$root" -cf "$work/layer.tar" .
diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
case "$(uname -m)" in x86_64) arch=amd64 ;; aarch64|arm64) arch=arm64 ;; *) arch=$(uname -m) ;; esac
cat > "$work/config.json" <<JSON
{"architecture":"$arch","os":"linux","created":"2000-01-01T00:00:00Z",
 "config":{"Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"]},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]}}
JSON
printf '[{"Config":"config.json","RepoTags":["quote-pipeline-base:local"],"Layers":["layer.tar"]}]\n' > "$work/manifest.json"
tar -C "$work" -cf "$out_tar" manifest.json config.json layer.tar
echo "base-image: $out_tar ($(du -h "$out_tar" | cut -f1), $arch, Java runtime $("$root/opt/java/bin/java" -version 2>&1 | head -1))"
