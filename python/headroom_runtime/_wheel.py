"""Builds a wheel of headroom_runtime from the files next to this one, with the standard library only,
so `pip install --no-index` can install it into any interpreter without network or build tools.

Usage: python _wheel.py OUT_DIR VERSION   (prints the wheel's path)
Run as a script by the "Install Python Runtime" command and `headroom runtime install`.
"""
import base64
import hashlib
import os
import sys
import zipfile

NAME = "headroom_runtime"
DIST = "headroom_runtime"


def _record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return "%s,sha256=%s,%d" % (path, digest, len(data))


def build(out_dir, version):
    here = os.path.dirname(os.path.abspath(__file__))
    info = "%s-%s.dist-info" % (DIST, version)
    files = []
    for name in sorted(os.listdir(here)):
        if name.endswith(".py"):
            with open(os.path.join(here, name), "rb") as f:
                files.append(("%s/%s" % (NAME, name), f.read()))
    metadata = (
        "Metadata-Version: 2.1\nName: headroom-runtime\nVersion: %s\n"
        "Summary: Headroom's Python runtime: tuning trials and the memory-aware joblib backend\n"
        "Requires-Python: >=3.8\n" % version
    ).encode("utf-8")
    wheel = b"Wheel-Version: 1.0\nGenerator: headroom\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    files += [("%s/METADATA" % info, metadata), ("%s/WHEEL" % info, wheel), ("%s/INSTALLER" % info, b"headroom\n")]
    record = [_record_line(path, data) for path, data in files] + ["%s/RECORD,," % info]
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "%s-%s-py3-none-any.whl" % (DIST, version))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as wheel_zip:
        for name, data in files:
            wheel_zip.writestr(name, data)
        wheel_zip.writestr("%s/RECORD" % info, "\n".join(record) + "\n")
    return path


if __name__ == "__main__":
    print(build(sys.argv[1], sys.argv[2]))
