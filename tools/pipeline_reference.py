#!/usr/bin/python3
"""Run the Python reference age predictor on every image fixture and write its ages and probabilities.

Run with Debian's interpreter from the repository root, after PipelineReferenceExport has written the
checkpoint and the prompts' token ids (the commands are in tools/README.md):

    /usr/bin/python3 tools/pipeline_reference.py --checkpoint /tmp/pipeline-export \
        --out src/test/resources/reference/pipeline-vit-b-32.json

Tested with Pillow 9.4.0, torchvision 0.14.1 and torch 1.13.1 (Debian 12 packages).

Each image goes through the reference predictor's steps exactly, OpenAI CLIP's preprocessing on the image
as Pillow opens it:

1. PIL.Image.open, with no Exif rotation;
2. torchvision Resize(224, BICUBIC) and CenterCrop(224), in the mode Pillow opened the file in;
3. convert("RGB"), ToTensor() and Normalize with CLIP's mean and std;
4. the image tower of tools/clip_reference.py, then L2 normalisation;
5. softmax(100 * image_embedding @ text_matrix.T), where the text matrix contains the L2-normalised text
   embeddings of the 99 prompts, pooled at the first end-of-text id (the last id of the vocabulary).

The answer is the age whose prompt has the highest probability (index + 1).
"""

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np
import PIL
import torch
import torchvision
from PIL import Image
from torchvision import transforms

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clip_reference  # noqa: E402  (the tools folder is not a package)

IMAGE_SIZE = 224
CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
LOGIT_SCALE = 100.0
IMAGES = Path("src/test/resources/images")
IMAGE_SUFFIXES = {".jpg", ".png", ".gif", ".bmp", ".tif", ".webp"}


def reference_transform():
    """Return OpenAI CLIP's _transform(224) with torchvision's classes, as the reference predictor builds it."""
    return transforms.Compose([
        transforms.Resize(IMAGE_SIZE, interpolation=transforms.InterpolationMode.BICUBIC),
        transforms.CenterCrop(IMAGE_SIZE),
        lambda image: image.convert("RGB"),
        transforms.ToTensor(),
        transforms.Normalize(CLIP_MEAN, CLIP_STD),
    ])


def fixtures():
    return sorted(path for path in IMAGES.iterdir() if path.suffix in IMAGE_SUFFIXES)


def text_matrix(model, input_ids, eos_id):
    with torch.no_grad():
        text_embeds, _ = model.text_features(input_ids, eos_id)
    return text_embeds / text_embeds.norm(dim=-1, keepdim=True)  # [ages, projection_dim]


def predict(model, transform, texts, path):
    with Image.open(path) as image:
        pixel_values = transform(image).unsqueeze(0)  # [1, 3, 224, 224]
    with torch.no_grad():
        image_embeds, _ = model.image_features(pixel_values)
    image_embeds = image_embeds / image_embeds.norm(dim=-1, keepdim=True)  # [1, projection_dim]
    probabilities = (LOGIT_SCALE * image_embeds @ texts.T).softmax(dim=-1)[0]  # [ages]
    return probabilities


def run(checkpoint_dir, input_ids_path):
    config, state = clip_reference.load_checkpoint(checkpoint_dir)
    model = clip_reference.build_model(config, state)
    vocab_size = config["text_config"]["vocab_size"]
    eos_id = vocab_size - 1
    input_ids = clip_reference.read_input_ids(input_ids_path, vocab_size)
    if not bool((input_ids == eos_id).any(dim=1).all()):
        raise ValueError(f"{input_ids_path}: every prompt needs the end-of-text id {eos_id}; re-run PipelineReferenceExport")

    texts = text_matrix(model, input_ids, eos_id)
    transform = reference_transform()
    results = {}
    for path in fixtures():
        probabilities = predict(model, transform, texts, path)
        top2 = torch.topk(probabilities, 2)
        results[path.name] = {
            "age": int(top2.indices[0]) + 1,
            "top_two_gap": float(f"{float(top2.values[0] - top2.values[1]):.9g}"),
            "probabilities": [float(f"{value:.9g}") for value in probabilities.tolist()],
        }
        print(f"{path.name}: age {results[path.name]['age']}, gap to the second {results[path.name]['top_two_gap']:.3g}")
    return {
        "checkpoint": "SyntheticCheckpoint VIT_B_32, seed 1, written by PipelineReferenceExport",
        "versions": f"Pillow {PIL.__version__}, torchvision {torchvision.__version__}, torch {torch.__version__}",
        "eos_id": eos_id,
        "fixtures": results,
    }


def write(result, out_path):
    """Write one fixture per line so that a change shows as a readable diff."""
    lines = ["{"]
    for key in ("checkpoint", "versions", "eos_id"):
        lines.append(f"  {json.dumps(key)}: {json.dumps(result[key])},")
    lines.append('  "fixtures": {')
    entries = [f"    {json.dumps(name)}: {json.dumps(value)}" for name, value in result["fixtures"].items()]
    lines.append(",\n".join(entries))
    lines.append("  }")
    lines.append("}")
    Path(out_path).write_text("\n".join(lines) + "\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--checkpoint", required=True, help="folder written by PipelineReferenceExport")
    parser.add_argument("--input-ids", help="token ids JSON (default: CHECKPOINT/input-ids.json)")
    parser.add_argument("--out", required=True, help="JSON file to write")
    args = parser.parse_args(argv)
    input_ids = args.input_ids or os.path.join(args.checkpoint, "input-ids.json")
    torch.set_num_threads(2)
    write(run(args.checkpoint, input_ids), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
