#!/usr/bin/env python3
"""#12 benchmark: perceptual hashing throughput, `hakendesk photo inspect --hash-only` (libjpeg-turbo
scaled decode + the imagehash arithmetic in Swift) against Python's imagehash.phash on Pillow, on the
same phone photos in the same run, one core each, best of three rounds (docs/benchmarks.md §8).

usage: scripts/bench_photo_hash.py PATH/TO/release/hakendesk [--copies 3]
"""
import os
import subprocess
import sys
import tempfile
import time

import imagehash
from PIL import Image

from photo_hash import photographs


def make(folder, copies):
    """Each photograph as an iPhone's 12-megapixel JPEG (4032×3024) and as a mail app's 1600×1200 copy."""
    sets = {"12 MP (4032×3024)": [], "mailed (1600×1200)": []}
    for name, image in photographs():
        rgb = image.convert("RGB")
        for size, label in (((4032, 3024), "12 MP (4032×3024)"), ((1600, 1200), "mailed (1600×1200)")):
            big = rgb.resize(size, Image.Resampling.BICUBIC)
            for copy in range(copies):
                path = os.path.join(folder, f"{name}-{size[0]}-{copy}.jpg")
                big.save(path, "JPEG", quality=92 - copy * 5, subsampling=2)
                sets[label].append(path)
    return sets


def best(seconds_of, rounds=3):
    return min(seconds_of() for _ in range(rounds))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary = sys.argv[1]
    copies = int(sys.argv[sys.argv.index("--copies") + 1]) if "--copies" in sys.argv else 3
    with tempfile.TemporaryDirectory() as folder:
        sets = make(folder, copies)
        print("| photos | count | imagehash + Pillow photos/s | HakenDesk, full-size decode photos/s | HakenDesk, scaled decode photos/s | scaled ÷ imagehash |")
        print("|---|---:|---:|---:|---:|---:|")
        for label, paths in sets.items():
            def python():
                start = time.perf_counter()
                for path in paths:
                    imagehash.phash(Image.open(path))
                return time.perf_counter() - start

            def ours(*flags):
                # The list five times over in one process, so its start (about 20 ms) is not what is timed.
                def run():
                    start = time.perf_counter()
                    subprocess.run([binary, "photo", "inspect", *flags, *(paths * 5)], check=True, capture_output=True)
                    return (time.perf_counter() - start) / 5
                return run
            reference = best(python)
            full = best(ours("--full"))
            scaled = best(ours("--hash-only"))
            n = len(paths)
            print(f"| {label} | {n} | {n / reference:.1f} | {n / full:.1f} | {n / scaled:.1f} | {reference / scaled:.1f}× |")


if __name__ == "__main__":
    main()
