#!/usr/bin/env python3
"""Scans log files for resident ID numbers (GB 11643: 17 digits and a check character, with a plausible
birth date): a log must never hold one whole. Prints each finding masked (file, line, 3205**********0020)
and exits 1 if any; 0 with the number of files and lines read otherwise.

    python3 scripts/scan-logs.py FILE_OR_DIR...
"""
import os
import re
import sys

ID = re.compile(r"(?<![0-9A-Za-z])([1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx])(?![0-9A-Za-z])")
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def valid(number: str) -> bool:
    total = sum(int(d) * w for d, w in zip(number[:17], WEIGHTS))
    return CHECK[total % 11] == number[17].upper()


def files(paths):
    for path in paths:
        if os.path.isdir(path):
            for root, _, names in os.walk(path):
                for name in sorted(names):
                    yield os.path.join(root, name)
        elif os.path.exists(path):
            yield path


def main(paths):
    found, read_files, read_lines = [], 0, 0
    for path in files(paths):
        read_files += 1
        with open(path, encoding="utf-8", errors="replace") as log:
            for number, line in enumerate(log, 1):
                read_lines += 1
                for match in ID.finditer(line):
                    if valid(match.group(1)):
                        whole = match.group(1)
                        found.append(f"{path}:{number}: {whole[:4]}{'*' * 10}{whole[-4:]}")
    for finding in found:
        print("an ID number in a log:", finding)
    print(f"scan-logs: {read_files} files, {read_lines} lines, {len(found)} ID numbers")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
