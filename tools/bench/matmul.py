#!/usr/bin/python3
"""Measure float32 matrix-multiply throughput of PyTorch on this CPU, in GFLOP/s.

Usage: /usr/bin/python3 tools/bench/matmul.py [--size 2048] [--repeats 20] [--threads N]

Two random SIZE x SIZE matrices are multiplied REPEATS times after two warm-up runs. One product
counts 2 * SIZE^3 floating-point operations. The median and the best run are printed, and written
as JSON with --json.
"""

import argparse
import json
import time

import torch


def measure(size, repeats):
    """Return the sorted durations in seconds of `repeats` products of two size x size matrices."""
    generator = torch.Generator().manual_seed(0)
    left = torch.randn(size, size, generator=generator)
    right = torch.randn(size, size, generator=generator)
    for _ in range(2):
        torch.mm(left, right)
    durations = []
    for _ in range(repeats):
        start = time.perf_counter()
        torch.mm(left, right)
        durations.append(time.perf_counter() - start)
    return sorted(durations)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2048, help="side of the square matrices")
    parser.add_argument("--repeats", type=int, default=20, help="timed products")
    parser.add_argument("--threads", type=int, default=0, help="torch intra-op threads; 0 keeps torch's default")
    parser.add_argument("--json", help="also write the result to this file")
    arguments = parser.parse_args()

    if arguments.threads > 0:
        torch.set_num_threads(arguments.threads)
    durations = measure(arguments.size, arguments.repeats)
    flops = 2.0 * arguments.size ** 3
    result = {
        "library": f"torch {torch.__version__}",
        "size": arguments.size,
        "threads": torch.get_num_threads(),
        "repeats": arguments.repeats,
        "median_gflops": flops / durations[len(durations) // 2] / 1e9,
        "best_gflops": flops / durations[0] / 1e9,
    }
    print(f"torch {torch.__version__} matmul {arguments.size}x{arguments.size} float32, threads {result['threads']}: "
          f"median {result['median_gflops']:.2f} GFLOP/s, best {result['best_gflops']:.2f} GFLOP/s "
          f"({arguments.repeats} runs)")
    if arguments.json:
        with open(arguments.json, "w", encoding="utf-8") as out:
            json.dump(result, out, indent=2)


if __name__ == "__main__":
    main()
