#!/usr/bin/env python3
"""Runs a `docker save` / Jib image tar without Docker: unpacks its layers in order into a root directory, then
runs the image's entrypoint there the way a container runtime would (chroot, working directory, user, environment,
the host's /etc/resolv.conf and /etc/hosts).
Root only (chroot). No isolation beyond the chroot: the process shares this machine's network, so a port it opens
is reachable on loopback. It proves the image's own files are enough to run the application.

  sudo infra/image/run-image.py target/quote-pipeline-image.tar [NAME=VALUE ...]   # extra environment
"""
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile


def unpack(image_tar, root):
    with tarfile.open(image_tar) as image:
        manifest = json.load(image.extractfile("manifest.json"))[0]
        config = json.load(image.extractfile(manifest["Config"]))
        for layer in manifest["Layers"]:
            with tarfile.open(fileobj=image.extractfile(layer), mode="r:*") as files:
                for member in files.getmembers():
                    name = os.path.basename(member.name)
                    if name.startswith(".wh."):  # whiteout: a file deleted by this layer
                        target = os.path.join(root, os.path.dirname(member.name), name[4:])
                        shutil.rmtree(target, ignore_errors=True) if os.path.isdir(target) else None
                        if os.path.lexists(target):
                            os.remove(target)
                        continue
                    files.extract(member, root, set_attrs=True, numeric_owner=True)
    return config["config"]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    root = tempfile.mkdtemp(prefix="image-root-")
    config = unpack(sys.argv[1], root)
    env = dict(e.split("=", 1) for e in config.get("Env", []))
    env.update(dict(a.split("=", 1) for a in sys.argv[2:]))
    command = (config.get("Entrypoint") or []) + (config.get("Cmd") or [])
    user = config.get("User", "0:0")
    uid, _, gid = user.partition(":")
    workdir = config.get("WorkingDir") or "/"
    # What a container runtime provides: name resolution files from the host.
    for name in ("resolv.conf", "hosts"):
        if os.path.exists("/etc/" + name):
            os.makedirs(os.path.join(root, "etc"), exist_ok=True)
            shutil.copyfile("/etc/" + name, os.path.join(root, "etc", name))
    os.makedirs(os.path.join(root, "proc"), exist_ok=True)
    mounted = subprocess.call(["mount", "-t", "proc", "proc", os.path.join(root, "proc")]) == 0
    print(f"run-image: {root}: user {user}, workdir {workdir}, command {command}", file=sys.stderr, flush=True)
    pid = os.fork()
    if pid == 0:
        os.chroot(root)
        os.chdir(workdir)
        os.setgroups([])
        os.setgid(int(gid or uid))
        os.setuid(int(uid))
        path = env.get("PATH", "/usr/bin:/bin")
        executable = command[0] if "/" in command[0] else next(
            os.path.join(d, command[0]) for d in path.split(":") if os.path.exists(os.path.join(d, command[0])))
        os.execve(executable, command, env)
    try:
        _, status = os.waitpid(pid, 0)
    except KeyboardInterrupt:
        _, status = os.waitpid(pid, 0)
    finally:
        if mounted:
            subprocess.call(["umount", os.path.join(root, "proc")])
        shutil.rmtree(root, ignore_errors=True)
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
