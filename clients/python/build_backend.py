"""A PEP 517 build backend from the standard library alone: it builds the wheel (and sdist) of
this pure-Python package, so installing it needs no download (no setuptools, no wheel)."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import tarfile
import zipfile
from typing import Dict, List, Optional

NAME = "pattern_ledger"
DIST = "pattern-ledger"
VERSION = "0.1.0"
HERE = os.path.dirname(os.path.abspath(__file__))
TAG = "py3-none-any"

METADATA = f"""Metadata-Version: 2.1
Name: {DIST}
Version: {VERSION}
Summary: Send pattern occurrences and savings from AI agents to Pattern Ledger's ingestion API
License: MIT
Requires-Python: >=3.9
"""


def _package_files() -> List[str]:
    files = []
    for root, _dirs, names in os.walk(os.path.join(HERE, NAME)):
        for name in sorted(names):
            if name.endswith((".py", ".typed")):
                files.append(os.path.relpath(os.path.join(root, name), HERE))
    return sorted(files)


def _digest(data: bytes) -> str:
    raw = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return f"sha256={raw.decode()}"


def get_requires_for_build_wheel(config_settings: Optional[Dict] = None) -> List[str]:
    return []


def get_requires_for_build_sdist(config_settings: Optional[Dict] = None) -> List[str]:
    return []


def build_wheel(
    wheel_directory: str,
    config_settings: Optional[Dict] = None,
    metadata_directory: Optional[str] = None,
) -> str:
    filename = f"{NAME}-{VERSION}-{TAG}.whl"
    dist_info = f"{NAME}-{VERSION}.dist-info"
    entries = {}
    for path in _package_files():
        with open(os.path.join(HERE, path), "rb") as source:
            entries[path.replace(os.sep, "/")] = source.read()
    entries[f"{dist_info}/METADATA"] = METADATA.encode()
    entries[f"{dist_info}/WHEEL"] = (
        f"Wheel-Version: 1.0\nGenerator: {NAME}-build-backend\nRoot-Is-Purelib: true\nTag: {TAG}\n"
    ).encode()
    record = "".join(f"{path},{_digest(data)},{len(data)}\n" for path, data in entries.items())
    record += f"{dist_info}/RECORD,,\n"
    with zipfile.ZipFile(os.path.join(wheel_directory, filename), "w", zipfile.ZIP_DEFLATED) as wheel:
        for path, data in entries.items():
            wheel.writestr(path, data)
        wheel.writestr(f"{dist_info}/RECORD", record)
    return filename


def build_sdist(sdist_directory: str, config_settings: Optional[Dict] = None) -> str:
    base = f"{NAME}-{VERSION}"
    filename = f"{base}.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz") as sdist:
        for path in _package_files() + ["pyproject.toml", "build_backend.py", "README.md"]:
            sdist.add(os.path.join(HERE, path), arcname=f"{base}/{path}")
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        data = METADATA.encode()
        info.size = len(data)
        sdist.addfile(info, io.BytesIO(data))
    return filename
