#!/usr/bin/python3
"""Count the floating-point operations of one image through a CLIP image tower, from config.json.

Usage: /usr/bin/python3 tools/bench/flops.py CHECKPOINT_FOLDER [--json OUT]

A multiply-add counts as 2 operations. With width d, MLP width m, L layers, patch side p, image
side s, N = (s / p)^2 patches, T = N + 1 tokens (the class token) and projection width e:

    patch embedding      2 * N * (3 * p * p) * d
    per layer
      q, k, v, out       4 * 2 * T * d * d
      scores Q K^T       2 * T * T * d
      weighted sum A V   2 * T * T * d
      MLP fc1 and fc2    2 * 2 * T * d * m
    visual projection    2 * d * e
    similarities         2 * e * prompts (the text matrix)

Layer norms, softmax, the activation, biases and the additions of the residual stream are left
out: they are elementwise, about T * d operations each, under 0.1 % of the total for ViT-B/32.
"""

import argparse
import json
import os


def image_tower_flops(config, prompts=99):
    """Return a dictionary of operation counts for one image, by part, and their total."""
    vision = config["vision_config"]
    width = vision["hidden_size"]
    mlp = vision["intermediate_size"]
    layers = vision["num_hidden_layers"]
    patch = vision["patch_size"]
    patches = (vision["image_size"] // patch) ** 2
    tokens = patches + 1
    projection = config["projection_dim"]

    per_layer = {
        "qkv_out_projections": 4 * 2 * tokens * width * width,
        "attention_scores": 2 * tokens * tokens * width,
        "attention_weighted_sum": 2 * tokens * tokens * width,
        "mlp": 2 * 2 * tokens * width * mlp,
    }
    parts = {
        "patch_embedding": 2 * patches * 3 * patch * patch * width,
        "layers": layers * sum(per_layer.values()),
        "visual_projection": 2 * width * projection,
        "similarities": 2 * projection * prompts,
    }
    return {
        "tokens": tokens,
        "per_layer": per_layer,
        "parts": parts,
        "total": sum(parts.values()),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkpoint", help="folder with config.json")
    parser.add_argument("--json", help="also write the counts to this file")
    arguments = parser.parse_args()

    with open(os.path.join(arguments.checkpoint, "config.json"), encoding="utf-8") as source:
        config = json.load(source)
    counts = image_tower_flops(config)
    for name, value in counts["parts"].items():
        print(f"{name:20s} {value:>16,d}")
    print(f"{'total':20s} {counts['total']:>16,d}  ({counts['total'] / 1e9:.3f} GFLOP per image)")
    if arguments.json:
        with open(arguments.json, "w", encoding="utf-8") as out:
            json.dump(counts, out, indent=2)


if __name__ == "__main__":
    main()
