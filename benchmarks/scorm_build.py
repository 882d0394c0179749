"""Time to build every SCORM package of the shipped curriculum, and the size of each.

Not run in CI: `.venv/bin/python benchmarks/scorm_build.py [--repeat N]`.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from course_content.loader import load_curriculum
from scorm_export.package_builder import build_packages
from scorm_export.schemas import schema_dir
from scorm_export.structure import STANDARDS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="builds to time (best is kept)")
    args = parser.parse_args()
    curriculum = load_curriculum()
    schemas = schema_dir()
    timings = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.repeat):
            start = time.perf_counter()
            built = build_packages(curriculum, Path(tmp) / str(run), STANDARDS, "all", schemas)
            timings.append(time.perf_counter() - start)
    print(f"{len(built)} packages, both standards, XSDs {'included' if schemas else 'absent'}")
    print(f"build time: best {min(timings):.2f} s, worst {max(timings):.2f} s ({args.repeat} runs)")
    for package in built:
        print(
            f"  {package.path.name:<44} {len(package.plan.scos):>3} SCO"
            f" {package.size / 1024:>8.1f} KiB"
        )
    modules = [p.size for p in built if not p.plan.whole_curriculum]
    print(f"largest module package: {max(modules) / 1024:.1f} KiB (budget 300 KiB)")


if __name__ == "__main__":
    main()
