#!/usr/bin/python3
"""Print the Markdown tables of docs/benchmarks.md from a results folder written by tools/bench/run.sh.

Usage: /usr/bin/python3 tools/bench/summarize.py RESULTS_FOLDER
"""

import glob
import json
import os
import re
import sys

SERVICES = ("demo", "vit-b-32-batching", "vit-b-32-no-batching")


def read_json(path):
    with open(path, encoding="utf-8") as source:
        return json.load(source)


def read_number(path):
    """Return the integer in a one-line file, or None when the file is missing or empty."""
    if not os.path.exists(path):
        return None
    text = open(path, encoding="utf-8").read().strip()
    return int(text) if text else None


def concurrency_results(folder, service):
    """Return (concurrency, load generator result, load before the run) for every point, by concurrency."""
    points = []
    for path in glob.glob(os.path.join(folder, f"{service}-c*.json")):
        match = re.search(r"-c(\d+)\.json$", path)
        if not match:
            continue
        concurrency = int(match.group(1))
        load_path = os.path.join(folder, f"{service}-c{concurrency}-load.json")
        load = read_json(load_path) if os.path.exists(load_path) else {}
        points.append((concurrency, read_json(path), load))
    return sorted(points, key=lambda point: point[0])


def djl_matmul(folder, threads):
    """Return the median and best GFLOP/s that MatmulBench.java printed, or None."""
    path = os.path.join(folder, f"matmul-djl-{threads}.txt")
    if not os.path.exists(path):
        return None
    match = re.search(r"threads (\d+): median ([\d.]+) GFLOP/s, best ([\d.]+)", open(path, encoding="utf-8").read())
    return (int(match.group(1)), float(match.group(2)), float(match.group(3))) if match else None


def batch_counts(path):
    """Return (batches, images) from the age_batch_size counters a run saved, or (None, None)."""
    if not os.path.exists(path):
        return None, None
    values = dict(line.split()[:2] for line in open(path, encoding="utf-8") if line.strip())
    if "age_batch_size_count" not in values:
        return None, None
    return float(values["age_batch_size_count"]), float(values["age_batch_size_sum"])


def service_table(folder, service):
    lines = [
        f"#### {service}",
        "",
        "| concurrency | requests | 200 | 429 | 503 | other | throughput (images/s) | p50 ms | p95 ms | p99 ms | max ms | load avg before | other processes (cores) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for concurrency, result, load in concurrency_results(folder, service):
        counts = result["countsByStatus"]
        rejected = {status: counts.get(status, 0) for status in ("429", "503")}
        other = result["requests"] - result["ok"] - rejected["429"] - rejected["503"]
        latency = result["latencyMillis"]
        lines.append(
            f"| {concurrency} | {result['requests']} | {result['ok']} | {rejected['429']} | {rejected['503']} | {other} "
            f"| {result['throughput']:.2f} | {fmt(latency['p50'])} | {fmt(latency['p95'])} | {fmt(latency['p99'])} "
            f"| {fmt(latency['max'])} | {load.get('loadAverage', '')} | {load.get('otherCores', '')} |")
    return lines


def fmt(value, digits=0):
    return "n/a" if value is None else f"{value:.{digits}f}"


def mebibytes(kibibytes):
    return fmt(None if kibibytes is None else kibibytes / 1024)


def main():
    folder = sys.argv[1]
    out = []
    if os.path.exists(os.path.join(folder, "machine.txt")):
        out += ["### Machine", "", "```", open(os.path.join(folder, "machine.txt"), encoding="utf-8").read().strip(), "```", ""]

    flops = read_json(os.path.join(folder, "flops.json"))["total"]
    out += ["### Matrix multiply, 2048 x 2048 float32", "", "| library | threads | median GFLOP/s | best GFLOP/s |",
            "| --- | ---: | ---: | ---: |"]
    for threads in (1, 2):
        path = os.path.join(folder, f"matmul-torch-{threads}.json")
        if os.path.exists(path):
            torch_result = read_json(path)
            out.append(f"| {torch_result['library']} (Python) | {torch_result['threads']} "
                       f"| {torch_result['median_gflops']:.1f} | {torch_result['best_gflops']:.1f} |")
        djl = djl_matmul(folder, threads)
        if djl:
            out.append(f"| libtorch 2.7.1 (DJL 0.36.0) | {djl[0]} | {djl[1]:.1f} | {djl[2]:.1f} |")
    out.append("")

    out += ["### Service under load", ""]
    for service in SERVICES:
        out += service_table(folder, service) + [""]

    on = {c: r for c, r, _ in concurrency_results(folder, "vit-b-32-batching")}
    off = {c: r for c, r, _ in concurrency_results(folder, "vit-b-32-no-batching")}
    out += ["### ViT-B/32: batching on / off", "", "| concurrency | throughput on | throughput off | ratio | p50 on ms | p50 off ms |",
            "| ---: | ---: | ---: | ---: | ---: | ---: |"]
    for concurrency in sorted(set(on) & set(off)):
        ratio = on[concurrency]["throughput"] / off[concurrency]["throughput"] if off[concurrency]["throughput"] else None
        out.append(f"| {concurrency} | {on[concurrency]['throughput']:.2f} | {off[concurrency]['throughput']:.2f} "
                   f"| {fmt(ratio, 2)} | {fmt(on[concurrency]['latencyMillis']['p50'])} "
                   f"| {fmt(off[concurrency]['latencyMillis']['p50'])} |")
    out.append("")

    out += ["### Batches and resident memory (RSS) per point", "",
            "RSS is sampled every 0.5 s with `ps -o rss=`. Images computed counts the warm-up too, from the service's "
            "`age_batch_size` metric.", "",
            "| service | concurrency | batches | images computed | mean batch size | RSS at rest MiB | RSS peak MiB "
            "| RSS after the run MiB |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for service in SERVICES:
        for concurrency, _, _ in concurrency_results(folder, service):
            prefix = os.path.join(folder, f"{service}-c{concurrency}")
            batches, images = batch_counts(prefix + "-batches.txt")
            rest = read_number(prefix + "-rss-rest.txt")
            peak = read_number(prefix + "-rss-peak.txt")
            after = read_number(prefix + "-rss-after.txt")
            mean = images / batches if batches else None
            out.append(f"| {service} | {concurrency} | {fmt(batches)} | {fmt(images)} | {fmt(mean, 2)} "
                       f"| {mebibytes(rest)} | {mebibytes(peak)} | {mebibytes(after)} |")
    out.append("")

    out += ["### Python reference (one image at a time, ViT-B/32)", "",
            "| threads | images | throughput (images/s) | p50 ms | p95 ms | p99 ms | max ms | model load s | text matrix s |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    python = {}
    for path in sorted(glob.glob(os.path.join(folder, "python-t*.json"))):
        result = read_json(path)
        python[result["threads"]] = result
        latency = result["latencyMillis"]
        out.append(f"| {result['threads']} | {result['requests']} | {result['throughput']:.2f} | {fmt(latency['p50'])} "
                   f"| {fmt(latency['p95'])} | {fmt(latency['p99'])} | {fmt(latency['max'])} "
                   f"| {result['modelLoadSeconds']} | {result['textMatrixSeconds']} |")
    out.append("")

    reference = python.get(2) or next(iter(python.values()), None)
    if reference:
        out += [f"### Service / Python reference ({reference['threads']} threads)", "",
                "| service | concurrency | throughput ratio | p50 ratio (service / Python) |", "| --- | ---: | ---: | ---: |"]
        for service in ("vit-b-32-batching", "vit-b-32-no-batching"):
            for concurrency, result, _ in concurrency_results(folder, service):
                p50 = result["latencyMillis"]["p50"]
                out.append(f"| {service} | {concurrency} | {result['throughput'] / reference['throughput']:.2f} "
                           f"| {fmt(None if p50 is None else p50 / reference['latencyMillis']['p50'], 2)} |")
        out.append("")

    djl = djl_matmul(folder, 2)
    out += [f"### Compute against the matmul limit ({flops / 1e9:.3f} GFLOP per image)", "",
            "| run | images/s | GFLOP/s reached | fraction of libtorch matmul median (2 threads) |",
            "| --- | ---: | ---: | ---: |"]
    runs = [(f"{service} c{c}", r["throughput"]) for service in ("vit-b-32-batching", "vit-b-32-no-batching")
            for c, r, _ in concurrency_results(folder, service)]
    runs += [(f"python {threads} threads", result["throughput"]) for threads, result in sorted(python.items())]
    for name, throughput in runs:
        reached = throughput * flops / 1e9
        fraction = reached / djl[1] if djl else None
        out.append(f"| {name} | {throughput:.2f} | {reached:.1f} | {fmt(fraction, 2)} |")
    out.append("")

    out += ["### Ages returned for the same images (parity check)", "", "| image | service (ViT-B/32) | Python reference |",
            "| --- | ---: | ---: |"]
    for path in sorted(glob.glob(os.path.join(folder, "vit-b-32-batching-sample-*.json"))):
        image = path.split("-sample-", 1)[1][:-len(".json")]
        service_age = read_json(path).get("age")
        python_age = next((age for name, age in (reference or {}).get("ages", {}).items() if name.endswith("/" + image)), None)
        out.append(f"| {image} | {service_age} | {python_age} |")
    print("\n".join(out))


if __name__ == "__main__":
    main()
