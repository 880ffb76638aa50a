"""Baseline for oil-probe: drill every cell, then answer with the cells that hold oil."""

import os
import sys


def main():
    if os.environ.get("ALE_WARMUP"):  # the judge's compile phase: nothing to warm up
        return
    n, m, _sigma = sys.stdin.readline().split()
    n = int(n)
    sys.stdin.readline()  # deposit sizes: not used
    oil = []
    for i in range(n):
        for j in range(n):
            print(f"d {i} {j}", flush=True)
            if int(sys.stdin.readline()) > 0:
                oil.append(f"{i} {j}")
    print(f"a {len(oil)} {' '.join(oil)}", flush=True)
    sys.stdin.readline()


main()
