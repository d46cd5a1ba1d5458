"""The programs the bench drives (wrk, nginx, Lighthouse, folium's page assets): found, or
installed when the bench may (apt-get as root, npm into the scratch folder), or reported
missing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from benchmark import SCRATCH


def say(message: str) -> None:
    """Progress, on stderr, so that --json output stays clean."""
    print(f"bench: {message}", file=sys.stderr, flush=True)


def command_path(command: str) -> str | None:
    """Where a command is, /usr/sbin included (nginx lives there and root's PATH may lack it)."""
    sbin = f"/usr/sbin/{command}"
    return shutil.which(command) or (sbin if os.access(sbin, os.X_OK) else None)


def apt_install(package: str, command: str, notes: list[str]) -> str | None:
    """The path of `command`, installing Debian's `package` when missing and allowed; else
    None, with a note saying how to install it."""
    if found := command_path(command):
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        notes.append(f"{command} is missing: sudo apt-get install {package}")
        return None
    say(f"installing {package} with apt-get…")
    subprocess.run(["apt-get", "install", "-y", "-qq", package], check=False,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if package == "nginx":
        notes.append("installed nginx with apt-get; Debian may have started its default site on "
                     "port 80 (`systemctl disable --now nginx` stops it; the bench runs its own)")
    if not (found := command_path(command)):
        notes.append(f"apt-get could not install {package}")
    return found


def npm_package(spec: str) -> Path | None:
    """The folder of an npm package (name@version) in the scratch folder, installed there when
    missing; None when npm is missing or cannot install it."""
    folder = SCRATCH / "node_modules" / spec.rsplit("@", 1)[0]
    if not (folder / "package.json").exists() and shutil.which("npm"):
        say(f"installing {spec} into {SCRATCH} with npm…")
        subprocess.run(["npm", "install", "--prefix", str(SCRATCH), "--no-audit", "--no-fund",
                        "--save-exact", "--loglevel=error", spec], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return folder if (folder / "package.json").exists() else None
