#!/usr/bin/env python3
"""Cross-checks HakenDesk's holiday rules against two independent implementations.

Every date from 1980 to 2099 that `hakendesk calendar holidays` prints must be a holiday
in both `jpholiday` and `holidays` (country JP), and vice versa. Exits non-zero on any
difference and prints the differing dates.

usage: scripts/check_holidays.py PATH/TO/hakendesk [FROM TO]
"""
import datetime
import subprocess
import sys

import holidays
import jpholiday


# Dates where a peer is known to be wrong, with the reason. jpholiday applies 国民の休日 to
# 5/4 from 1982, but the amendment that created it (昭和60年法律第103号) took effect on
# 1985-12-27; the first 国民の休日 was 1988-05-04 (1986: Sunday, 1987: 振替休日). The
# `holidays` package agrees with HakenDesk on these dates.
KNOWN_PEER_ERRATA = {
    "jpholiday": {datetime.date(y, 5, 4) for y in (1982, 1983, 1984, 1985)},
}


def ours(binary, first, last):
    out = subprocess.run([binary, "calendar", "holidays", "--from", str(first), "--to", str(last)],
                         check=True, capture_output=True, text=True).stdout
    result = {}
    for line in out.splitlines():
        day, name = line.split(" ", 1)
        result[datetime.date.fromisoformat(day)] = name
    return result


def main():
    binary = sys.argv[1]
    first, last = (int(sys.argv[2]), int(sys.argv[3])) if len(sys.argv) > 3 else (1980, 2099)
    mine = ours(binary, first, last)
    peers = {
        "jpholiday": {d: n for y in range(first, last + 1) for d, n in jpholiday.year_holidays(y)},
        "holidays": {d: n for d, n in holidays.country_holidays("JP", years=range(first, last + 1), language="ja").items()},
    }
    failed = False
    for peer_name, peer in peers.items():
        errata = KNOWN_PEER_ERRATA.get(peer_name, set())
        missing = sorted(set(peer) - set(mine) - errata)
        extra = sorted(set(mine) - set(peer) - errata)
        if errata & (set(peer) ^ set(mine)):
            print(f"{peer_name}: {len(errata)} known errata of the peer skipped (see KNOWN_PEER_ERRATA)")
        for day in missing:
            print(f"{peer_name}: {day} {peer[day]} is a holiday there, not in HakenDesk")
        for day in extra:
            print(f"{peer_name}: {day} {mine[day]} is a holiday in HakenDesk, not there")
        failed |= bool(missing or extra)
        print(f"holidays {first}-{last} vs {peer_name}: {len(mine)} dates, "
              f"{len(missing)} missing, {len(extra)} extra")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
