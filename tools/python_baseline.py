#!/usr/bin/python3
"""Time the reference Python pipeline, one image at a time, on a CLIP checkpoint.

This is the baseline that the service's benchmark compares against. It runs the steps of the
Python predictor that the service replaces, in one process, with Debian's PyTorch 1.13, Pillow
and torchvision:

    Image.open -> Resize(224, BICUBIC) -> CenterCrop(224) -> convert("RGB") -> ToTensor
    -> Normalize(CLIP mean, CLIP std) -> image tower -> L2 normalisation
    -> softmax(100 * image_embedding . text_matrix^T) -> the most probable age

The image tower is `tools/clip_reference.py`'s model, an independent implementation of Hugging
Face's CLIPModel, loaded from the same `config.json` and `model.safetensors` as the service.
The text matrix is computed once at start-up from token ids written by
`tools/bench/EncodePrompts.java`, so the prompts are tokenised by the service's own tokenizer.

Usage:

    /usr/bin/python3 tools/python_baseline.py --checkpoint DIR --input-ids IDS.json \\
        --image FILE[,FILE...] --requests R --max-seconds S [--warmup W] [--threads N] [--json OUT]

Each measured latency covers one image from `Image.open` to the age, including decoding and
preprocessing. Images are taken in turn from the list, as the load generator sends them.
Throughput is images per second of wall time over the measured phase. Percentiles are nearest
rank, as in `tools/loadgen/LoadGen.java`.
"""

import argparse
import json
import math
import os
import sys
import time

import torch
from PIL import Image
from torchvision import transforms
from torchvision.transforms import InterpolationMode

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clip_reference  # noqa: E402  (a sibling script, importable once its folder is on the path)

# Per-channel mean and standard deviation of CLIP's training images, from OpenAI's clip package.
CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
LOGIT_SCALE = 100.0
FIRST_AGE = 1


def reference_transform(image_size):
    """Return the preprocessing of OpenAI's clip package, in its order: resize, crop, RGB, tensor, normalise."""
    return transforms.Compose([
        transforms.Resize(image_size, interpolation=InterpolationMode.BICUBIC),
        transforms.CenterCrop(image_size),
        lambda image: image.convert("RGB"),
        transforms.ToTensor(),
        transforms.Normalize(CLIP_MEAN, CLIP_STD),
    ])


def text_matrix(model, input_ids_path, vocab_size):
    """Encode the prompts and return the L2-normalised text embeddings, one row per age."""
    input_ids = clip_reference.read_input_ids(input_ids_path, vocab_size)
    with torch.no_grad():
        text_embeds, _ = model.text_features(input_ids, eos_id=vocab_size - 1)
    return text_embeds / text_embeds.norm(dim=-1, keepdim=True)


def predict_age(model, transform, texts, path):
    """Run the reference pipeline on one image file and return the most probable age."""
    image = Image.open(path)
    pixel_values = transform(image).unsqueeze(0)  # [1, 3, 224, 224]

    with torch.no_grad():
        image_embeds, _ = model.image_features(pixel_values)
        image_embeds = image_embeds / image_embeds.norm(dim=-1, keepdim=True)
        probabilities = (LOGIT_SCALE * image_embeds @ texts.T).softmax(dim=-1)  # [1, ages]

    return FIRST_AGE + int(probabilities.argmax(dim=-1))


def percentile(sorted_values, percent):
    """Return the nearest-rank percentile of sorted values, or None when there are none."""
    if not sorted_values:
        return None
    rank = math.ceil(percent / 100 * len(sorted_values))
    return sorted_values[max(rank, 1) - 1]


def run(model, transform, texts, images, requests, max_seconds):
    """Predict images in turn until `requests` are done or `max_seconds` have passed; return latencies and ages."""
    latencies = []
    ages = {}
    start = time.perf_counter()
    deadline = start + max_seconds
    index = 0
    while index < requests and time.perf_counter() < deadline:
        path = images[index % len(images)]
        sent = time.perf_counter()
        ages[path] = predict_age(model, transform, texts, path)
        latencies.append(time.perf_counter() - sent)
        index += 1
    return latencies, time.perf_counter() - start, ages


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", required=True, help="folder with config.json and model.safetensors")
    parser.add_argument("--input-ids", required=True, help="JSON token ids of the prompts, from EncodePrompts.java")
    parser.add_argument("--image", required=True, help="comma-separated image files, predicted in turn")
    parser.add_argument("--requests", type=int, required=True, help="max number of measured images")
    parser.add_argument("--max-seconds", type=float, required=True, help="max duration of the measured phase")
    parser.add_argument("--warmup", type=int, default=0, help="images predicted before measuring (default 0)")
    parser.add_argument("--threads", type=int, default=0, help="torch intra-op threads; 0 keeps torch's default")
    parser.add_argument("--json", help="also write the results to this file")
    arguments = parser.parse_args(argv)
    if arguments.requests < 1 or arguments.max_seconds <= 0 or arguments.warmup < 0 or arguments.threads < 0:
        parser.error("--requests must be at least 1, --max-seconds above 0, --warmup and --threads at least 0")
    return arguments


def main(argv=None):
    arguments = parse_arguments(argv)
    images = [path.strip() for path in arguments.image.split(",")]
    for path in images:
        if not os.path.isfile(path):
            sys.exit(f"image file not found: {path}")
    if arguments.threads > 0:
        torch.set_num_threads(arguments.threads)

    load_start = time.perf_counter()
    config, state = clip_reference.load_checkpoint(arguments.checkpoint)
    model = clip_reference.build_model(config, state)
    del state
    load_seconds = time.perf_counter() - load_start

    text_start = time.perf_counter()
    texts = text_matrix(model, arguments.input_ids, config["text_config"]["vocab_size"])
    text_seconds = time.perf_counter() - text_start
    transform = reference_transform(config["vision_config"]["image_size"])

    if arguments.warmup > 0:
        run(model, transform, texts, images, arguments.warmup, arguments.max_seconds)
    latencies, elapsed, ages = run(model, transform, texts, images, arguments.requests, arguments.max_seconds)

    millis = sorted(latency * 1000 for latency in latencies)
    result = {
        "checkpoint": arguments.checkpoint,
        "images": images,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        # Debian's torch multiplies matrices with OpenBLAS, whose own threads torch.set_num_threads does not set.
        "openblasThreads": os.environ.get("OPENBLAS_NUM_THREADS", "OpenBLAS default"),
        "modelLoadSeconds": round(load_seconds, 3),
        "textMatrixSeconds": round(text_seconds, 3),
        "warmup": arguments.warmup,
        "requests": len(latencies),
        "elapsedSeconds": round(elapsed, 3),
        "throughput": round(len(latencies) / elapsed, 3),
        "latencyMillis": {name: round(percentile(millis, percent), 3)
                          for name, percent in (("p50", 50), ("p95", 95), ("p99", 99), ("max", 100))},
        "ages": ages,
    }
    print(f"python baseline, torch {torch.__version__}, {result['threads']} threads: "
          f"{len(latencies)} images in {elapsed:.2f} s")
    print(f"throughput: {result['throughput']:.2f} images/s")
    latency = result["latencyMillis"]
    print(f"latency (ms): p50 {latency['p50']:.1f}, p95 {latency['p95']:.1f}, p99 {latency['p99']:.1f}, "
          f"max {latency['max']:.1f}")
    print(f"model load {load_seconds:.2f} s, text matrix {text_seconds:.2f} s, ages {ages}")
    if arguments.json:
        with open(arguments.json, "w", encoding="utf-8") as out:
            json.dump(result, out, indent=2)
            out.write("\n")


if __name__ == "__main__":
    main()
