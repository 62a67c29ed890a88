#!/usr/bin/env python3
"""Writes Tests/HakenAppTests/Photos/: small real photographs (scikit-image's) as a phone mails
them, with EXIF written by piexif, and expected.txt with imagehash.phash of each as Pillow decodes
it (the Swift tests check PhotoInspector against these). Run again only to change the set.

usage: scripts/make_photo_fixtures.py
"""
import os

import imagehash
import piexif
import pillow_heif
import skimage
from PIL import Image

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "HakenAppTests", "Photos")


def photograph(name):
    folder = os.path.join(os.path.dirname(skimage.__file__), "data")
    return Image.open(os.path.join(folder, name + ".png")).convert("RGB")


def exif(taken, offset=None, gps=None, model=b"iPhone 8"):
    data = {"0th": {piexif.ImageIFD.Make: b"Apple", piexif.ImageIFD.Model: model},
            "Exif": {piexif.ExifIFD.DateTimeOriginal: taken}, "GPS": {}}
    if offset:
        data["Exif"][piexif.ExifIFD.OffsetTimeOriginal] = offset
    if gps:
        (lat, lon) = gps
        def dms(value):
            ms = round(value * 3600 * 1000)
            d, rest = divmod(ms, 3600 * 1000)
            m, s = divmod(rest, 60 * 1000)
            return ((d, 1), (m, 1), (s, 1000))
        data["GPS"] = {piexif.GPSIFD.GPSLatitudeRef: b"N", piexif.GPSIFD.GPSLatitude: dms(lat),
                       piexif.GPSIFD.GPSLongitudeRef: b"E", piexif.GPSIFD.GPSLongitude: dms(lon)}
    return piexif.dump(data)


def main():
    pillow_heif.register_heif_opener()
    os.makedirs(OUT, exist_ok=True)
    chelsea = photograph("chelsea").resize((320, 240))
    files = {
        # The day before the 2019-08-21 dispatch, with a position: flagged, GPS for the desk only.
        "taken-0820.jpg": (chelsea, dict(quality=85, exif=exif(b"2019:08:20 14:05:00", b"+09:00", (35.68124, 139.76712)))),
        # The same picture again, smaller and recompressed, EXIF stripped as mail apps do.
        "taken-0820-resent.jpg": (chelsea.resize((300, 225)), dict(quality=60)),
        # During the support (10:30-15:00), Tokyo time.
        "on-time.jpg": (photograph("coffee").resize((320, 240)), dict(quality=85, exif=exif(b"2019:08:21 11:20:00", b"+09:00"))),
        # In the evening, no offset written (taken as Tokyo time).
        "evening.jpg": (photograph("motorcycle_left").resize((320, 240)), dict(quality=85, exif=exif(b"2019:08:21 19:30:00"))),
    }
    lines = []
    for name, (image, options) in files.items():
        path = os.path.join(OUT, name)
        image.save(path, "JPEG", **options)
        lines.append(f"{name} {imagehash.phash(Image.open(path))}")
    # An iPhone HEIC whose clock says UTC: 02:20 +00:00 is 11:20 in Tokyo, during the support.
    heic = os.path.join(OUT, "on-time-utc.heic")
    photograph("astronaut").resize((256, 256)).save(heic, "HEIF", quality=70,
                                                    exif=exif(b"2019:08:21 02:20:00", b"+00:00", model=b"iPhone 15 Pro"))
    lines.append(f"on-time-utc.heic {imagehash.phash(Image.open(heic))}")
    with open(os.path.join(OUT, "expected.txt"), "w") as out:
        out.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
