#!/usr/bin/env python3
"""#12, whether a photo was used before and when it was taken: `hakendesk photo inspect` against
Python's imagehash (Pillow, scipy) and piexif on real photographs.

The photos are scikit-image's bundled photographs (astronaut, chelsea, coffee, rocket, …), written
as phone-like JPEGs (4:2:0, 4:2:2, 4:4:4, grey; small and 12-megapixel) and HEICs (pillow-heif),
each with EXIF written by piexif (DateTimeOriginal, OffsetTimeOriginal, GPS, Make/Model) or none.

  - decoded at full size (`--full`), our hash equals `imagehash.phash(Image.open(f))` bit for bit;
  - scaled down while decoding (what intake does), it equals imagehash on the image Pillow decodes
    with `draft()` at the same scale, bit for bit, and stays within a few bits of the full-size hash;
  - HEIC: equal to imagehash on pillow-heif's decoding, bit for bit;
  - EXIF: the time, offset, position and camera piexif wrote are read back; no EXIF is "no".

usage: scripts/photo_hash.py PATH/TO/hakendesk [--keep DIR]
"""
import json
import os
import subprocess
import sys
import tempfile

import imagehash
import numpy
import piexif
import pillow_heif
import skimage
from PIL import Image

from hakentest import Checks

PHOTOS = ["astronaut", "chelsea", "coffee", "rocket", "retina", "motorcycle_left", "hubble_deep_field", "camera",
          "moon", "brick", "grass", "gravel", "coins", "page"]
MIN_SCALED_SIDE = 128  # PerceptualHash.minimumScaledSide


def photographs():
    folder = os.path.join(os.path.dirname(skimage.__file__), "data")
    for name in PHOTOS:
        for suffix in (".png", ".jpg"):
            path = os.path.join(folder, name + suffix)
            if os.path.exists(path):
                image = Image.open(path)
                image.load()
                yield name, image


def exif_bytes(index):
    """EXIF as a phone writes it, varied per photo; every fourth photo has none."""
    if index % 4 == 3:
        return None, None
    taken = f"2026:08:{21 + index % 5:02d} {9 + index % 8:02d}:{(index * 7) % 60:02d}:{(index * 13) % 60:02d}"
    offset = ["+09:00", "+00:00", "-05:00"][index % 3]
    lat, lon = 35.0 + index / 100, 139.0 + index / 50
    def dms(value):
        milliseconds = round(value * 3600 * 1000)
        degrees, rest = divmod(milliseconds, 3600 * 1000)
        minutes, seconds = divmod(rest, 60 * 1000)
        return ((degrees, 1), (minutes, 1), (seconds, 1000))
    zeroth = {piexif.ImageIFD.Make: b"Apple", piexif.ImageIFD.Model: f"iPhone {12 + index % 4}".encode()}
    exif = {piexif.ExifIFD.DateTimeOriginal: taken.encode(), piexif.ExifIFD.OffsetTimeOriginal: offset.encode()}
    gps = {}
    if index % 2 == 0:
        gps = {piexif.GPSIFD.GPSLatitudeRef: b"N", piexif.GPSIFD.GPSLatitude: dms(lat),
               piexif.GPSIFD.GPSLongitudeRef: b"E", piexif.GPSIFD.GPSLongitude: dms(lon)}
    expected = {"takenAt": taken[:10].replace(":", "-") + "T" + taken[11:16],
                "offsetMinutes": str({"+09:00": 540, "+00:00": 0, "-05:00": -300}[offset]),
                "camera": f"Apple iPhone {12 + index % 4}", "exif": "yes"}
    if gps:
        d = lambda v: sum(n / q / f for (n, q), f in zip(dms(v), (1, 60, 3600)))
        expected["position"] = f"{d(lat):.5f}, {d(lon):.5f}"
    return piexif.dump({"0th": zeroth, "Exif": exif, "GPS": gps}), expected


def make_set(folder):
    """Writes the test photos; returns [(path, kind, expected EXIF)]."""
    pillow_heif.register_heif_opener()
    made = []
    index = 0
    for name, image in photographs():
        rgb = image.convert("RGB")
        variants = [
            ("q90-420", rgb, dict(quality=90, subsampling=2)),
            ("q75-444", rgb, dict(quality=75, subsampling=0)),
            ("q85-422", rgb, dict(quality=85, subsampling=1)),
            ("grey", image.convert("L"), dict(quality=88)),
            ("phone-12mp", rgb.resize((4032, 3024), Image.Resampling.BICUBIC), dict(quality=92, subsampling=2)),
            ("mailed-1600", rgb.resize((1600, 1200), Image.Resampling.BICUBIC), dict(quality=80, subsampling=2)),
        ]
        for label, picture, options in variants:
            data, expected = exif_bytes(index)
            path = os.path.join(folder, f"{name}-{label}.jpg")
            if data:
                options = dict(options, exif=data)
            picture.save(path, "JPEG", **options)
            made.append((path, "jpeg", expected or {"exif": "no"}))
            index += 1
        data, expected = exif_bytes(index)
        path = os.path.join(folder, f"{name}.heic")
        heic = rgb.resize((rgb.width // 2 * 2, rgb.height // 2 * 2))
        if data:
            heic.save(path, "HEIF", quality=80, exif=data)
        else:
            heic.save(path, "HEIF", quality=80)
        made.append((path, "heic", expected or {"exif": "no"}))
        index += 1
    return made


def inspect(binary, paths, *flags):
    out = subprocess.run([binary, "photo", "inspect", *flags, *paths], check=True, capture_output=True, text=True).stdout
    return {line["file"]: line for line in map(json.loads, out.splitlines())}


def scale_for(width, height):
    for divisor in (8, 4, 2):
        if (min(width, height) + divisor - 1) // divisor >= MIN_SCALED_SIDE:
            return divisor
    return 1


def reference_scaled(path):
    image = Image.open(path)
    divisor = scale_for(*image.size)
    if divisor > 1:
        image.draft(image.mode, (image.width // divisor, image.height // divisor))
    return str(imagehash.phash(image)), divisor


def distance(a, b):
    return bin(int(a, 16) ^ int(b, 16)).count("1")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary = sys.argv[1]
    keep = sys.argv[sys.argv.index("--keep") + 1] if "--keep" in sys.argv else None
    checks = Checks("photo-hash")
    with tempfile.TemporaryDirectory() as scratch:
        folder = keep or scratch
        os.makedirs(folder, exist_ok=True)
        made = make_set(folder)
        jpegs = [path for path, kind, _ in made if kind == "jpeg"]
        heics = [path for path, kind, _ in made if kind == "heic"]
        print(f"{len(jpegs)} JPEG and {len(heics)} HEIC photos from {len(PHOTOS)} photographs")

        full = inspect(binary, jpegs, "--full")
        mismatched = [p for p in jpegs if full[p]["phash"] != str(imagehash.phash(Image.open(p)))]
        checks.check(f"full-size decode: {len(jpegs) - len(mismatched)}/{len(jpegs)} JPEG hashes equal imagehash.phash bit for bit",
                     not mismatched, str([(os.path.basename(p), full[p]["phash"], str(imagehash.phash(Image.open(p)))) for p in mismatched]))

        facts = inspect(binary, jpegs + heics)
        scaled_mismatch, scaled_count, drift = [], 0, []
        for path in jpegs:
            expected, divisor = reference_scaled(path)
            scaled_count += divisor > 1
            if facts[path]["phash"] != expected:
                scaled_mismatch.append((os.path.basename(path), divisor, facts[path]["phash"], expected))
            drift.append(distance(facts[path]["phash"], full[path]["phash"]))
        checks.check(f"scaled decode ({scaled_count} of {len(jpegs)} scaled 1/2–1/8): equal to imagehash on Pillow's draft() at the same scale",
                     not scaled_mismatch, str(scaled_mismatch))
        checks.check(f"scaled against full-size hash: at most 4 bits apart (max {max(drift)}, mean {numpy.mean(drift):.2f})",
                     max(drift) <= 4)

        heic_distances = []
        for path in heics:
            reference = str(imagehash.phash(Image.open(path)))
            heic_distances.append(distance(facts[path]["phash"] or "0" * 16, reference))
        checks.check(f"HEIC: {heic_distances.count(0)}/{len(heics)} equal to imagehash on pillow-heif's decoding bit for bit",
                     max(heic_distances) == 0, str(heic_distances))

        wrong = []
        for path, kind, expected in made:
            got = facts[path]
            for key, value in expected.items():
                if got.get(key) != value:
                    wrong.append((os.path.basename(path), key, got.get(key), value))
            if expected.get("exif") == "no" and any(key in got for key in ("takenAt", "position", "camera")):
                wrong.append((os.path.basename(path), "no EXIF", got))
            if "position" not in expected and "position" in got:
                wrong.append((os.path.basename(path), "position", got["position"], None))
        with_exif = sum(1 for _, _, e in made if e.get("exif") == "yes")
        checks.check(f"EXIF read back from JPEG and HEIC ({with_exif} with, {len(made) - with_exif} without): time, offset, GPS, camera",
                     not wrong, str(wrong[:10]))

        pairs = []
        for name in PHOTOS:
            same = [p for p in jpegs if os.path.basename(p).startswith(name + "-")]
            pairs += [distance(facts[a]["phash"], facts[b]["phash"]) for a in same for b in same if a < b]
        others = [distance(facts[a]["phash"], facts[b]["phash"]) for a in jpegs for b in jpegs
                  if a < b and os.path.basename(a).split("-")[0] != os.path.basename(b).split("-")[0]]
        print(f"  same photograph re-encoded/resized: max distance {max(pairs)}; different photographs: min {min(others)}")
        checks.check("re-encoded copies stay within the default flag distance (6); different photographs stay beyond it",
                     max(pairs) <= 6 and min(others) > 6, f"same max {max(pairs)}, different min {min(others)}")
    return checks.summary()


if __name__ == "__main__":
    sys.exit(main())
