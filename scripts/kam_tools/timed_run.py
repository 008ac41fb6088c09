# Copyright 2026 kam_management contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Run a command and print ``<exit code> <wall seconds> <CPU seconds>``, the CPU
time (user + system) being the command's and its children's
(``./kam install-time``)."""

import argparse
import resource
import subprocess
import time


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command")
    args = parser.parse_args(argv)
    if not args.command:
        parser.error("no command to run")
    t0 = time.monotonic()
    rc = subprocess.call(args.command)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"{rc} {time.monotonic() - t0:.0f} {usage.ru_utime + usage.ru_stime:.0f}")


if __name__ == "__main__":
    main()
