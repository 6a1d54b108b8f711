#!/usr/bin/python3
"""Reference CLIP forward pass in PyTorch, for the values that the Java tests compare against.

This is an independent, small re-implementation of the forward pass of Hugging Face
`CLIPModel` (`modeling_clip.py`): pre-norm transformer layers, a causal mask in the text
tower, pooling at the end-of-text token, `quick_gelu` or exact `gelu`, and projections
without bias. It reads and writes the Hugging Face checkpoint layout (`config.json` with
`model.safetensors` or `pytorch_model.bin`) without the `transformers` or `safetensors`
packages, so it runs on Debian's python3-torch (1.13), python3-numpy and nothing else.

Subcommands:

    make-checkpoint  write a CLIP checkpoint with seeded random weights
    make-input-ids   write a JSON file of token id sequences for `embed`
    embed            run both towers and write the projected features as JSON
    selftest         check the file formats and the forward pass against torch's own blocks

Regenerate every committed file from the repository root with:

    /usr/bin/python3 tools/clip_reference.py make-checkpoint --shape tiny --seed 7 --init-std 0.1 \\
        --format both --out src/test/resources/checkpoints/tiny-quickgelu
    /usr/bin/python3 tools/clip_reference.py make-checkpoint --shape tiny --seed 11 --init-std 0.1 \\
        --hidden-act gelu --format safetensors --out src/test/resources/checkpoints/tiny-gelu
    /usr/bin/python3 tools/clip_reference.py make-input-ids --vocab-size 600 --length 77 \\
        --eos-positions 5 9 76 --seed 3 --out src/test/resources/reference/tiny-input-ids.json
    /usr/bin/python3 tools/clip_reference.py embed \\
        --checkpoint src/test/resources/checkpoints/tiny-quickgelu \\
        --input-ids src/test/resources/reference/tiny-input-ids.json --images 2 \\
        --out src/test/resources/reference/tiny-quickgelu-embeddings.json
    /usr/bin/python3 tools/clip_reference.py embed \\
        --checkpoint src/test/resources/checkpoints/tiny-gelu \\
        --input-ids src/test/resources/reference/tiny-input-ids.json --images 2 \\
        --out src/test/resources/reference/tiny-gelu-embeddings.json
    /usr/bin/python3 tools/clip_reference.py make-checkpoint --shape tiny-p14-336 --seed 13 --init-std 0.1 \\
        --hidden-act quick_gelu --format safetensors --out src/test/resources/checkpoints/tiny-p14-336
    /usr/bin/python3 tools/clip_reference.py embed \\
        --checkpoint src/test/resources/checkpoints/tiny-p14-336 \\
        --input-ids src/test/resources/reference/tiny-input-ids.json --images 2 \\
        --out src/test/resources/reference/tiny-p14-336-embeddings.json

Use /usr/bin/python3: another python3 earlier on PATH may lack torch.
"""

import argparse
import collections
import json
import math
import os
import struct
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

SAFETENSORS_FILE = "model.safetensors"
PYTORCH_BIN_FILE = "pytorch_model.bin"
CONFIG_FILE = "config.json"

LOGIT_SCALE_INIT = 2.6592
TEXT_MAX_POSITIONS = 77
INIT_STD = 0.02

# Tower sizes of OpenAI's published CLIP models, plus `tiny` for committed test fixtures.
SHAPES = {
    "tiny": {
        "vision": {"hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
                   "num_attention_heads": 4, "image_size": 224, "patch_size": 32},
        "text": {"hidden_size": 48, "intermediate_size": 96, "num_hidden_layers": 2,
                 "num_attention_heads": 4, "vocab_size": 600},
        "projection_dim": 32,
    },
    # The geometry of ViT-L/14-336 (patch 14, 336 pixels, 577 positions) at the tiny widths.
    "tiny-p14-336": {
        "vision": {"hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
                   "num_attention_heads": 4, "image_size": 336, "patch_size": 14},
        "text": {"hidden_size": 48, "intermediate_size": 96, "num_hidden_layers": 2,
                 "num_attention_heads": 4, "vocab_size": 600},
        "projection_dim": 32,
    },
    "vit-b-32": {
        "vision": {"hidden_size": 768, "intermediate_size": 3072, "num_hidden_layers": 12,
                   "num_attention_heads": 12, "image_size": 224, "patch_size": 32},
        "text": {"hidden_size": 512, "intermediate_size": 2048, "num_hidden_layers": 12,
                 "num_attention_heads": 8, "vocab_size": 49408},
        "projection_dim": 512,
    },
    "vit-b-16": {
        "vision": {"hidden_size": 768, "intermediate_size": 3072, "num_hidden_layers": 12,
                   "num_attention_heads": 12, "image_size": 224, "patch_size": 16},
        "text": {"hidden_size": 512, "intermediate_size": 2048, "num_hidden_layers": 12,
                 "num_attention_heads": 8, "vocab_size": 49408},
        "projection_dim": 512,
    },
    "vit-l-14": {
        "vision": {"hidden_size": 1024, "intermediate_size": 4096, "num_hidden_layers": 24,
                   "num_attention_heads": 16, "image_size": 224, "patch_size": 14},
        "text": {"hidden_size": 768, "intermediate_size": 3072, "num_hidden_layers": 12,
                 "num_attention_heads": 12, "vocab_size": 49408},
        "projection_dim": 768,
    },
    "vit-l-14-336": {
        "vision": {"hidden_size": 1024, "intermediate_size": 4096, "num_hidden_layers": 24,
                   "num_attention_heads": 16, "image_size": 336, "patch_size": 14},
        "text": {"hidden_size": 768, "intermediate_size": 3072, "num_hidden_layers": 12,
                 "num_attention_heads": 12, "vocab_size": 49408},
        "projection_dim": 768,
    },
}

PIXEL_FORMULA = (
    "pixel_values[b][c][y][x] = float32(sin(0.05*(x+1)*(c+1) + 0.03*(y+1)*(b+1)) * 2), "
    "computed in float64, shape [images, 3, image_size, image_size], indices from 0"
)


# ---------------------------------------------------------------------------
# Configuration


def build_config(shape, hidden_act, layers=None):
    """Build a Hugging Face CLIPConfig dictionary for one of SHAPES."""
    sizes = SHAPES[shape]
    text = dict(sizes["text"])
    vision = dict(sizes["vision"])
    if layers is not None:
        text["num_hidden_layers"] = layers
        vision["num_hidden_layers"] = layers

    # The two highest ids are begin- and end-of-text, as in OpenAI's BPE vocabulary (49406 and
    # 49407). Padding reuses end-of-text, as the sequences from make-input-ids do.
    eos_token_id = text["vocab_size"] - 1
    text_config = {
        "model_type": "clip_text_model",
        "vocab_size": text["vocab_size"],
        "hidden_size": text["hidden_size"],
        "intermediate_size": text["intermediate_size"],
        "num_hidden_layers": text["num_hidden_layers"],
        "num_attention_heads": text["num_attention_heads"],
        "max_position_embeddings": TEXT_MAX_POSITIONS,
        "hidden_act": hidden_act,
        "layer_norm_eps": 1e-5,
        "projection_dim": sizes["projection_dim"],
        "bos_token_id": eos_token_id - 1,
        "eos_token_id": eos_token_id,
        "pad_token_id": eos_token_id,
    }
    vision_config = {
        "model_type": "clip_vision_model",
        "hidden_size": vision["hidden_size"],
        "intermediate_size": vision["intermediate_size"],
        "num_hidden_layers": vision["num_hidden_layers"],
        "num_attention_heads": vision["num_attention_heads"],
        "image_size": vision["image_size"],
        "patch_size": vision["patch_size"],
        "num_channels": 3,
        "hidden_act": hidden_act,
        "layer_norm_eps": 1e-5,
        "projection_dim": sizes["projection_dim"],
    }
    return {
        "architectures": ["CLIPModel"],
        "model_type": "clip",
        "projection_dim": sizes["projection_dim"],
        "logit_scale_init_value": LOGIT_SCALE_INIT,
        "torch_dtype": "float32",
        "text_config": text_config,
        "vision_config": vision_config,
    }


# ---------------------------------------------------------------------------
# safetensors, read and written by hand: an 8-byte little-endian header length, a JSON
# header {name: {dtype, shape, data_offsets}} with optional "__metadata__", then the data.

SAFETENSORS_DTYPES = {
    "F64": np.dtype("<f8"),
    "F32": np.dtype("<f4"),
    "F16": np.dtype("<f2"),
    "I64": np.dtype("<i8"),
    "I32": np.dtype("<i4"),
    "I16": np.dtype("<i2"),
    "I8": np.dtype("i1"),
    "U8": np.dtype("u1"),
    "BOOL": np.dtype("?"),
}
TORCH_TO_SAFETENSORS = {
    torch.float64: "F64",
    torch.float32: "F32",
    torch.float16: "F16",
    torch.bfloat16: "BF16",
    torch.int64: "I64",
    torch.int32: "I32",
    torch.int16: "I16",
    torch.int8: "I8",
    torch.uint8: "U8",
    torch.bool: "BOOL",
}


def write_safetensors(path, tensors, metadata=None):
    """Write a name -> tensor mapping as a safetensors file.

    Tensors are laid out in the order of the reference `safetensors` writer: larger element
    size first, then by name. The header is padded with spaces to a multiple of 8 bytes so
    that the data section starts aligned.
    """
    def layout_key(item):
        name, tensor = item
        return (-tensor.element_size(), name)

    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    chunks = []
    offset = 0
    for name, tensor in sorted(tensors.items(), key=layout_key):
        tensor = tensor.detach().contiguous().cpu()
        if tensor.dtype == torch.bfloat16:
            data = tensor.view(torch.int16).numpy().astype("<i2").tobytes()
        else:
            data = tensor.numpy().astype(SAFETENSORS_DTYPES[TORCH_TO_SAFETENSORS[tensor.dtype]]).tobytes()
        header[name] = {
            "dtype": TORCH_TO_SAFETENSORS[tensor.dtype],
            "shape": list(tensor.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        chunks.append(data)
        offset += len(data)

    header_bytes = json.dumps(header, separators=(",", ":")).encode("utf-8")
    header_bytes += b" " * (-len(header_bytes) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(header_bytes)))
        out.write(header_bytes)
        for data in chunks:
            out.write(data)


def read_safetensors(path):
    """Read a safetensors file into an ordered name -> tensor mapping and its metadata.

    Raises ValueError when the header is malformed, a dtype is unknown, or the byte ranges
    do not tile the data section exactly.
    """
    with open(path, "rb") as source:
        raw = source.read()
    if len(raw) < 8:
        raise ValueError(f"{path}: file of {len(raw)} bytes is too short for a safetensors header")
    (header_length,) = struct.unpack("<Q", raw[:8])
    if 8 + header_length > len(raw):
        raise ValueError(f"{path}: header length {header_length} exceeds the file size {len(raw)}")
    header = json.loads(raw[8:8 + header_length].decode("utf-8"))
    data = memoryview(raw)[8 + header_length:]

    metadata = header.pop("__metadata__", None)
    tensors = collections.OrderedDict()
    covered = []
    for name, entry in header.items():
        dtype_code = entry["dtype"]
        shape = [int(dimension) for dimension in entry["shape"]]
        begin, end = entry["data_offsets"]
        count = math.prod(shape)
        if dtype_code == "BF16":
            element_size = 2
        elif dtype_code in SAFETENSORS_DTYPES:
            element_size = SAFETENSORS_DTYPES[dtype_code].itemsize
        else:
            raise ValueError(f"{path}: tensor {name} has unsupported dtype {dtype_code}")
        if not 0 <= begin <= end <= len(data) or end - begin != count * element_size:
            raise ValueError(f"{path}: tensor {name} of shape {shape} and dtype {dtype_code} "
                             f"has invalid data_offsets [{begin}, {end}]")

        chunk = data[begin:end]
        if dtype_code == "BF16":
            array = np.frombuffer(chunk, dtype="<i2").reshape(shape).copy()
            tensor = torch.from_numpy(array).view(torch.bfloat16)
        else:
            array = np.frombuffer(chunk, dtype=SAFETENSORS_DTYPES[dtype_code]).reshape(shape)
            tensor = torch.from_numpy(array.astype(array.dtype.newbyteorder("=")).copy())
        tensors[name] = tensor
        covered.append((begin, end))

    position = 0
    for begin, end in sorted(covered):
        if begin != position:
            raise ValueError(f"{path}: data section has a gap or overlap at byte {position}")
        position = end
    if position != len(data):
        raise ValueError(f"{path}: data section has {len(data) - position} unused trailing bytes")
    return tensors, metadata


# ---------------------------------------------------------------------------
# The model. Module and attribute names follow modeling_clip.py, so that state_dict() names
# are exactly the checkpoint's names.


def activation(name):
    """Return the activation function that a config's `hidden_act` names."""
    if name == "quick_gelu":
        return lambda x: x * torch.sigmoid(1.702 * x)
    if name == "gelu":
        return lambda x: F.gelu(x)  # exact, with erf
    raise ValueError(f"unsupported hidden_act {name!r}: expected quick_gelu or gelu")


class ClipAttention(nn.Module):
    """Multi-head self-attention with separate q, k, v and output projections."""

    def __init__(self, width, heads):
        super().__init__()
        if width % heads != 0:
            raise ValueError(f"hidden_size {width} is not divisible by num_attention_heads {heads}")
        self.heads = heads
        self.head_dim = width // heads
        self.scale = self.head_dim ** -0.5
        self.k_proj = nn.Linear(width, width)
        self.v_proj = nn.Linear(width, width)
        self.q_proj = nn.Linear(width, width)
        self.out_proj = nn.Linear(width, width)

    def split_heads(self, x):
        batch, tokens, _ = x.shape
        return x.view(batch, tokens, self.heads, self.head_dim).transpose(1, 2)  # [batch, heads, tokens, head_dim]

    def forward(self, x, causal):
        batch, tokens, width = x.shape
        query = self.split_heads(self.q_proj(x) * self.scale)
        key = self.split_heads(self.k_proj(x))
        value = self.split_heads(self.v_proj(x))

        scores = query @ key.transpose(-1, -2)  # [batch, heads, tokens, tokens]
        if causal:
            future = torch.ones(tokens, tokens, dtype=torch.bool).triu(1)
            scores = scores.masked_fill(future, float("-inf"))
        weights = scores.softmax(dim=-1)

        context = (weights @ value).transpose(1, 2).reshape(batch, tokens, width)
        return self.out_proj(context)


class ClipMlp(nn.Module):
    """Two linear layers with the configured activation between them."""

    def __init__(self, width, intermediate, hidden_act):
        super().__init__()
        self.activation_fn = activation(hidden_act)
        self.fc1 = nn.Linear(width, intermediate)
        self.fc2 = nn.Linear(intermediate, width)

    def forward(self, x):
        return self.fc2(self.activation_fn(self.fc1(x)))


class ClipEncoderLayer(nn.Module):
    """Pre-norm transformer layer: x + attn(ln1(x)), then x + mlp(ln2(x))."""

    def __init__(self, config):
        super().__init__()
        width = config["hidden_size"]
        self.self_attn = ClipAttention(width, config["num_attention_heads"])
        self.layer_norm1 = nn.LayerNorm(width, eps=config["layer_norm_eps"])
        self.mlp = ClipMlp(width, config["intermediate_size"], config["hidden_act"])
        self.layer_norm2 = nn.LayerNorm(width, eps=config["layer_norm_eps"])

    def forward(self, x, causal):
        x = x + self.self_attn(self.layer_norm1(x), causal)
        return x + self.mlp(self.layer_norm2(x))


class ClipEncoder(nn.Module):
    """Stack of encoder layers."""

    def __init__(self, config):
        super().__init__()
        self.layers = nn.ModuleList(ClipEncoderLayer(config) for _ in range(config["num_hidden_layers"]))

    def forward(self, x, causal):
        for layer in self.layers:
            x = layer(x, causal)
        return x


class ClipTextEmbeddings(nn.Module):
    """Token embedding plus learned absolute position embedding."""

    def __init__(self, config):
        super().__init__()
        self.token_embedding = nn.Embedding(config["vocab_size"], config["hidden_size"])
        self.position_embedding = nn.Embedding(config["max_position_embeddings"], config["hidden_size"])

    def forward(self, input_ids):
        tokens = input_ids.shape[1]
        if tokens > self.position_embedding.num_embeddings:
            raise ValueError(f"sequence length {tokens} exceeds max_position_embeddings "
                             f"{self.position_embedding.num_embeddings}")
        positions = torch.arange(tokens)
        return self.token_embedding(input_ids) + self.position_embedding(positions)  # [batch, tokens, width]


class ClipVisionEmbeddings(nn.Module):
    """Patch embedding by a strided convolution, a class token and position embedding."""

    def __init__(self, config):
        super().__init__()
        width = config["hidden_size"]
        patch = config["patch_size"]
        self.class_embedding = nn.Parameter(torch.empty(width))
        self.patch_embedding = nn.Conv2d(config["num_channels"], width, kernel_size=patch, stride=patch, bias=False)
        self.num_positions = (config["image_size"] // patch) ** 2 + 1
        self.position_embedding = nn.Embedding(self.num_positions, width)

    def forward(self, pixel_values):
        batch = pixel_values.shape[0]
        patches = self.patch_embedding(pixel_values)  # [batch, width, grid, grid]
        patches = patches.flatten(2).transpose(1, 2)  # [batch, grid * grid, width]
        class_token = self.class_embedding.expand(batch, 1, -1)
        embeddings = torch.cat([class_token, patches], dim=1)  # [batch, grid * grid + 1, width]
        if embeddings.shape[1] != self.num_positions:
            raise ValueError(f"pixel_values of shape {list(pixel_values.shape)} give {embeddings.shape[1]} "
                             f"positions but the config has {self.num_positions}")
        return embeddings + self.position_embedding(torch.arange(self.num_positions))


class ClipTextTransformer(nn.Module):
    """Text tower: embeddings, causal encoder, final layer norm."""

    def __init__(self, config):
        super().__init__()
        self.embeddings = ClipTextEmbeddings(config)
        self.encoder = ClipEncoder(config)
        self.final_layer_norm = nn.LayerNorm(config["hidden_size"], eps=config["layer_norm_eps"])

    def forward(self, input_ids, eos_id):
        hidden = self.embeddings(input_ids)
        last_hidden_state = self.final_layer_norm(self.encoder(hidden, causal=True))

        # Pool at the first end-of-text token. Padding after it cannot reach it through the
        # causal mask, so no padding mask is needed.
        is_eos = input_ids == eos_id
        if not bool(is_eos.any(dim=1).all()):
            missing = [row for row in range(input_ids.shape[0]) if not bool(is_eos[row].any())]
            raise ValueError(f"input_ids rows {missing} contain no end-of-text id {eos_id}: "
                             "add one or set --eos-id")
        eos_positions = is_eos.int().argmax(dim=1)
        pooled = last_hidden_state[torch.arange(input_ids.shape[0]), eos_positions]  # [batch, width]
        return last_hidden_state, pooled


class ClipVisionTransformer(nn.Module):
    """Vision tower: embeddings, pre_layrnorm, encoder, post_layernorm on the class token."""

    def __init__(self, config):
        super().__init__()
        self.embeddings = ClipVisionEmbeddings(config)
        # "pre_layrnorm" (sic) is the spelling in modeling_clip.py and in Hugging Face CLIP checkpoints.
        self.pre_layrnorm = nn.LayerNorm(config["hidden_size"], eps=config["layer_norm_eps"])
        self.encoder = ClipEncoder(config)
        self.post_layernorm = nn.LayerNorm(config["hidden_size"], eps=config["layer_norm_eps"])

    def forward(self, pixel_values):
        hidden = self.pre_layrnorm(self.embeddings(pixel_values))
        last_hidden_state = self.encoder(hidden, causal=False)
        pooled = self.post_layernorm(last_hidden_state[:, 0, :])  # [batch, width]
        return last_hidden_state, pooled


class ClipModel(nn.Module):
    """Both towers with their projections and the logit scale."""

    def __init__(self, config):
        super().__init__()
        projection_dim = config["projection_dim"]
        self.text_model = ClipTextTransformer(config["text_config"])
        self.vision_model = ClipVisionTransformer(config["vision_config"])
        self.visual_projection = nn.Linear(config["vision_config"]["hidden_size"], projection_dim, bias=False)
        self.text_projection = nn.Linear(config["text_config"]["hidden_size"], projection_dim, bias=False)
        self.logit_scale = nn.Parameter(torch.tensor(float(config["logit_scale_init_value"])))

    def text_features(self, input_ids, eos_id):
        """Return the projected, unnormalised text features and the last hidden state."""
        last_hidden_state, pooled = self.text_model(input_ids, eos_id)
        return self.text_projection(pooled), last_hidden_state

    def image_features(self, pixel_values):
        """Return the projected, unnormalised image features and the last hidden state."""
        last_hidden_state, pooled = self.vision_model(pixel_values)
        return self.visual_projection(pooled), last_hidden_state


# ---------------------------------------------------------------------------
# Checkpoints


def is_layer_norm(name):
    return any(part in name for part in ("layer_norm", "layernorm", "layrnorm"))


def seeded_state_dict(config, seed, init_std=INIT_STD):
    """Build the model's state dict with weights drawn from a seeded generator.

    numpy's legacy RandomState is used because its stream is frozen across numpy releases,
    so a seed maps to the same bytes on any machine. Draws follow parameter registration
    order, in float64, cast to float32.
    """
    model = ClipModel(config)
    generator = np.random.RandomState(seed)
    state = model.state_dict()
    for name, tensor in state.items():
        if name == "logit_scale":
            tensor.fill_(config["logit_scale_init_value"])
            continue
        noise = init_std * generator.standard_normal(tuple(tensor.shape))
        if is_layer_norm(name) and name.endswith(".weight"):
            noise += 1.0
        tensor.copy_(torch.from_numpy(noise.astype(np.float32)))
    return state


def with_position_ids(state, config):
    """Return a copy of state that also has the int64 `position_ids` buffers of older checkpoints.

    Each buffer follows its tower's position_embedding.weight, which is where module order puts
    it in checkpoints saved while the buffer was still persistent.
    """
    text_positions = config["text_config"]["max_position_embeddings"]
    vision = config["vision_config"]
    vision_positions = (vision["image_size"] // vision["patch_size"]) ** 2 + 1
    buffers = {
        "text_model.embeddings.position_embedding.weight":
            ("text_model.embeddings.position_ids", torch.arange(text_positions).unsqueeze(0)),
        "vision_model.embeddings.position_embedding.weight":
            ("vision_model.embeddings.position_ids", torch.arange(vision_positions).unsqueeze(0)),
    }
    result = collections.OrderedDict()
    for name, tensor in state.items():
        result[name] = tensor
        if name in buffers:
            buffer_name, buffer = buffers[name]
            result[buffer_name] = buffer
    # state_dict() carries per-module version metadata, which torch.save pickles with it.
    result._metadata = getattr(state, "_metadata", None)
    return result


def make_checkpoint(shape, seed, out_dir, file_format, layers=None, hidden_act="quick_gelu", init_std=INIT_STD):
    """Write config.json and the requested weight files into out_dir."""
    config = build_config(shape, hidden_act, layers)
    state = seeded_state_dict(config, seed, init_std)
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, CONFIG_FILE), "w", encoding="utf-8") as out:
        json.dump(config, out, indent=2)
        out.write("\n")
    if file_format in ("safetensors", "both"):
        write_safetensors(os.path.join(out_dir, SAFETENSORS_FILE), state, metadata={"format": "pt"})
    if file_format in ("bin", "both"):
        torch.save(with_position_ids(state, config), os.path.join(out_dir, PYTORCH_BIN_FILE))
    return config


def load_checkpoint(checkpoint_dir):
    """Load config.json and the state dict, preferring model.safetensors over pytorch_model.bin."""
    config_path = os.path.join(checkpoint_dir, CONFIG_FILE)
    if not os.path.isfile(config_path):
        raise FileNotFoundError(f"{checkpoint_dir} contains no {CONFIG_FILE}: pass a Hugging Face CLIP checkpoint directory")
    with open(config_path, encoding="utf-8") as source:
        config = json.load(source)
    safetensors_path = os.path.join(checkpoint_dir, SAFETENSORS_FILE)
    bin_path = os.path.join(checkpoint_dir, PYTORCH_BIN_FILE)
    if os.path.exists(safetensors_path):
        state, _ = read_safetensors(safetensors_path)
    elif os.path.exists(bin_path):
        # weights_only restricts unpickling to tensors and plain containers.
        state = torch.load(bin_path, map_location="cpu", weights_only=True)
    else:
        raise FileNotFoundError(f"{checkpoint_dir} contains neither {SAFETENSORS_FILE} nor {PYTORCH_BIN_FILE}")
    return config, state


def build_model(config, state):
    """Build a float32 ClipModel and load every tensor of state into it.

    The only names allowed to go unused are the `position_ids` buffers, and every parameter
    must be present, as load_state_dict(strict=True) enforces.
    """
    model = ClipModel(config)
    weights = {name: tensor for name, tensor in state.items() if not name.endswith(".position_ids")}
    weights = {name: tensor.to(torch.float32) for name, tensor in weights.items()}
    model.load_state_dict(weights, strict=True)
    return model.eval()


# ---------------------------------------------------------------------------
# Inputs and the embed command


def pixel_values(images, size):
    """Return the deterministic test images that PIXEL_FORMULA describes, as float32 [images, 3, size, size]."""
    b = np.arange(images, dtype=np.float64).reshape(images, 1, 1, 1)
    c = np.arange(3, dtype=np.float64).reshape(1, 3, 1, 1)
    y = np.arange(size, dtype=np.float64).reshape(1, 1, size, 1)
    x = np.arange(size, dtype=np.float64).reshape(1, 1, 1, size)
    values = np.sin(0.05 * (x + 1) * (c + 1) + 0.03 * (y + 1) * (b + 1)) * 2
    return torch.from_numpy(values.astype(np.float32))


def read_input_ids(path, vocab_size):
    """Read a JSON list of equal-length lists of token ids and check them against the vocabulary."""
    with open(path, encoding="utf-8") as source:
        rows = json.load(source)
    if not isinstance(rows, list) or not rows or not all(isinstance(row, list) and row for row in rows):
        raise ValueError(f"{path}: expected a non-empty JSON list of non-empty lists of token ids")
    if len({len(row) for row in rows}) != 1:
        raise ValueError(f"{path}: sequences have different lengths {sorted({len(row) for row in rows})}")
    ids = torch.tensor(rows, dtype=torch.int64)
    if int(ids.min()) < 0 or int(ids.max()) >= vocab_size:
        raise ValueError(f"{path}: token ids must be in [0, {vocab_size}), found [{int(ids.min())}, {int(ids.max())}]")
    return ids


def round_significant(values, digits=7):
    """Round every number of a nested list to the given number of significant digits."""
    if isinstance(values, list):
        return [round_significant(value, digits) for value in values]
    return float(f"{values:.{digits}g}")


def format_result(result):
    """Serialise the embed result as JSON with one matrix row per line, for readable diffs."""
    lines = ["{"]
    items = list(result.items())
    for index, (key, value) in enumerate(items):
        separator = "," if index < len(items) - 1 else ""
        if isinstance(value, list) and value and isinstance(value[0], list):
            rows = [json.dumps(row) for row in value]
            body = ",\n    ".join(rows)
            lines.append(f"  {json.dumps(key)}: [\n    {body}\n  ]{separator}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value)}{separator}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def embed(checkpoint_dir, input_ids_path, images, eos_id=None):
    """Run both towers and return the result dictionary that the embed command writes."""
    config, state = load_checkpoint(checkpoint_dir)
    model = build_model(config, state)
    vocab_size = config["text_config"]["vocab_size"]
    if eos_id is None:
        eos_id = vocab_size - 1
    input_ids = read_input_ids(input_ids_path, vocab_size)
    pixels = pixel_values(images, config["vision_config"]["image_size"])

    with torch.no_grad():
        text_embeds, text_hidden = model.text_features(input_ids, eos_id)
        image_embeds, vision_hidden = model.image_features(pixels)

    return {
        "checkpoint": checkpoint_dir,
        "input_ids": input_ids.tolist(),
        "text_embeds": round_significant(text_embeds.tolist()),
        "image_embeds": round_significant(image_embeds.tolist()),
        "text_last_hidden_state_shape": list(text_hidden.shape),
        "vision_last_hidden_state_shape": list(vision_hidden.shape),
        "pixel_formula": PIXEL_FORMULA,
    }


def make_input_ids(vocab_size, length, eos_positions, seed):
    """Build sequences of begin-of-text, random tokens, end-of-text at each given position, then end-of-text padding."""
    eos_id = vocab_size - 1
    bos_id = vocab_size - 2
    generator = np.random.RandomState(seed)
    rows = []
    for eos_position in eos_positions:
        if not 1 <= eos_position < length:
            raise ValueError(f"end-of-text position {eos_position} must be in [1, {length})")
        tokens = generator.randint(0, bos_id, size=eos_position - 1).tolist()
        rows.append([bos_id] + tokens + [eos_id] * (length - eos_position))
    return rows


# ---------------------------------------------------------------------------
# Self-test


def selftest():
    """Check the file formats and the forward pass against independent torch code.

    Raises AssertionError on the first check that fails.
    """
    torch.manual_seed(0)
    checks = []

    # safetensors round trip, including a 0-d tensor, int64 and a header that needs padding.
    with tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "roundtrip.safetensors")
        tensors = {"a.weight": torch.randn(3, 5), "scalar": torch.tensor(2.5),
                   "ids": torch.arange(7).unsqueeze(0), "half": torch.randn(4).half(),
                   "brain": torch.randn(2, 2).to(torch.bfloat16)}
        write_safetensors(path, tensors, metadata={"format": "pt"})
        loaded, metadata = read_safetensors(path)
        assert metadata == {"format": "pt"}, metadata
        assert set(loaded) == set(tensors)
        for name, tensor in tensors.items():
            assert loaded[name].dtype == tensor.dtype, (name, loaded[name].dtype)
            assert torch.equal(loaded[name], tensor), name
        with open(path, "rb") as source:
            (header_length,) = struct.unpack("<Q", source.read(8))
        assert header_length % 8 == 0, header_length
    checks.append("safetensors round trip (F32, F16, BF16, I64, 0-d)")

    # Attention against torch's own multi-head attention with the same weights.
    width, heads, tokens = 24, 4, 6
    attention = ClipAttention(width, heads)
    for parameter in attention.parameters():
        nn.init.normal_(parameter, std=0.3)
    reference = nn.MultiheadAttention(width, heads, batch_first=True)
    with torch.no_grad():
        reference.in_proj_weight.copy_(torch.cat([attention.q_proj.weight, attention.k_proj.weight, attention.v_proj.weight]))
        reference.in_proj_bias.copy_(torch.cat([attention.q_proj.bias, attention.k_proj.bias, attention.v_proj.bias]))
        reference.out_proj.weight.copy_(attention.out_proj.weight)
        reference.out_proj.bias.copy_(attention.out_proj.bias)
        x = torch.randn(2, tokens, width)
        future = torch.ones(tokens, tokens, dtype=torch.bool).triu(1)
        for causal in (False, True):
            expected, _ = reference(x, x, x, attn_mask=future if causal else None, need_weights=False)
            actual = attention(x, causal)
            assert torch.allclose(actual, expected, atol=1e-5), (causal, (actual - expected).abs().max())
    checks.append("attention equals torch.nn.MultiheadAttention, with and without causal mask")

    # Activations.
    x = torch.linspace(-4, 4, 101)
    assert torch.allclose(activation("quick_gelu")(x), x / (1 + torch.exp(-1.702 * x)))
    erf_gelu = x * 0.5 * (1 + torch.erf(x / math.sqrt(2)))
    assert torch.allclose(activation("gelu")(x), erf_gelu, atol=1e-6)
    checks.append("quick_gelu and erf gelu formulas")

    # Whole model: formats agree, seeding is deterministic, padding is invisible, activations matter.
    with tempfile.TemporaryDirectory() as scratch:
        first = os.path.join(scratch, "first")
        second = os.path.join(scratch, "second")
        gelu = os.path.join(scratch, "gelu")
        bin_only = os.path.join(scratch, "bin-only")
        make_checkpoint("tiny", 7, first, "both")
        make_checkpoint("tiny", 7, second, "both")
        make_checkpoint("tiny", 7, gelu, "safetensors", hidden_act="gelu")
        make_checkpoint("tiny", 7, bin_only, "bin")
        for name in (CONFIG_FILE, SAFETENSORS_FILE, PYTORCH_BIN_FILE):
            with open(os.path.join(first, name), "rb") as a, open(os.path.join(second, name), "rb") as b:
                assert a.read() == b.read(), f"{name} differs between two runs with seed 7"
        checks.append("make-checkpoint writes identical bytes for the same seed")

        ids_path = os.path.join(scratch, "ids.json")
        rows = make_input_ids(600, 77, [5, 9, 76], seed=3)
        with open(ids_path, "w", encoding="utf-8") as out:
            json.dump(rows, out)
        from_safetensors = embed(first, ids_path, 2)
        from_bin = embed(bin_only, ids_path, 2)
        assert from_safetensors["text_embeds"] == from_bin["text_embeds"]
        assert from_safetensors["image_embeds"] == from_bin["image_embeds"]
        checks.append("pytorch_model.bin and model.safetensors give identical embeddings")

        from_gelu = embed(gelu, ids_path, 2)
        text_gap = np.abs(np.array(from_gelu["text_embeds"]) - np.array(from_safetensors["text_embeds"])).max()
        image_gap = np.abs(np.array(from_gelu["image_embeds"]) - np.array(from_safetensors["image_embeds"])).max()
        assert text_gap > 1e-4, text_gap
        assert image_gap > 1e-4, image_gap
        checks.append(f"gelu and quick_gelu differ (max gap text {text_gap:.2e}, image {image_gap:.2e})")

        # Tokens after end-of-text must not change the pooled text features.
        changed = [list(row) for row in rows]
        changed[0][6:] = [17] * (77 - 6)
        with open(ids_path, "w", encoding="utf-8") as out:
            json.dump(changed, out)
        from_changed = embed(first, ids_path, 2)
        assert from_changed["text_embeds"][0] == from_safetensors["text_embeds"][0]
        checks.append("tokens after end-of-text do not change the text features")

        # The pooled position is the first end-of-text, which is also argmax(input_ids) when
        # end-of-text is the largest id, the rule transformers applies to configs with eos_token_id 2.
        ids = torch.tensor(rows)
        assert (ids == 599).int().argmax(dim=1).tolist() == ids.argmax(dim=1).tolist() == [5, 9, 76]
        checks.append("first end-of-text position equals argmax(input_ids)")

    for check in checks:
        print(f"ok  {check}")


# ---------------------------------------------------------------------------
# Command line


def positive_int(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text}")
    return value


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    make_parser = commands.add_parser("make-checkpoint", help="write a Hugging Face layout CLIP checkpoint with seeded random weights")
    make_parser.add_argument("--shape", required=True, choices=sorted(SHAPES), help="tower sizes to use")
    make_parser.add_argument("--seed", required=True, type=int, help="seed of numpy's RandomState that draws the weights")
    make_parser.add_argument("--out", required=True, help="directory to write config.json and the weight files into")
    make_parser.add_argument("--init-std", default=INIT_STD, type=float,
                             help="standard deviation of the random weights; larger values make small-model tests more sensitive")
    make_parser.add_argument("--format", default="safetensors", choices=["safetensors", "bin", "both"],
                             help="weight files to write: model.safetensors, pytorch_model.bin (with position_ids buffers) or both")
    make_parser.add_argument("--layers", type=positive_int, help="number of layers in each tower, replacing the shape's count")
    make_parser.add_argument("--hidden-act", default="quick_gelu", choices=["quick_gelu", "gelu"],
                             help="activation in the MLPs of both towers")

    ids_parser = commands.add_parser("make-input-ids", help="write token id sequences for embed")
    ids_parser.add_argument("--vocab-size", required=True, type=positive_int, help="vocabulary size. End-of-text is vocab_size - 1 and begin-of-text vocab_size - 2")
    ids_parser.add_argument("--length", default=TEXT_MAX_POSITIONS, type=positive_int, help="tokens per sequence")
    ids_parser.add_argument("--eos-positions", required=True, type=int, nargs="+", help="index of the first end-of-text token in each sequence")
    ids_parser.add_argument("--seed", required=True, type=int, help="seed of numpy's RandomState that draws the tokens")
    ids_parser.add_argument("--out", required=True, help="JSON file to write")

    embed_parser = commands.add_parser("embed", help="write projected, unnormalised text and image features as JSON")
    embed_parser.add_argument("--checkpoint", required=True, help="directory with config.json and model.safetensors or pytorch_model.bin")
    embed_parser.add_argument("--input-ids", required=True, help="JSON file with a list of equal-length token id lists")
    embed_parser.add_argument("--images", required=True, type=positive_int, help="number of formula images to embed")
    embed_parser.add_argument("--eos-id", type=int, help="end-of-text id to pool at (default: vocab_size - 1)")
    embed_parser.add_argument("--out", required=True, help="JSON file to write")

    commands.add_parser("selftest", help="check file formats and the forward pass against torch's own blocks")
    return parser.parse_args(argv)


def main(argv=None):
    arguments = parse_arguments(argv)
    if arguments.command == "make-checkpoint":
        make_checkpoint(arguments.shape, arguments.seed, arguments.out, arguments.format,
                        arguments.layers, arguments.hidden_act, arguments.init_std)
    elif arguments.command == "make-input-ids":
        rows = make_input_ids(arguments.vocab_size, arguments.length, arguments.eos_positions, arguments.seed)
        with open(arguments.out, "w", encoding="utf-8") as out:
            out.write("[\n  " + ",\n  ".join(json.dumps(row) for row in rows) + "\n]\n")
    elif arguments.command == "embed":
        started = time.perf_counter()
        result = embed(arguments.checkpoint, arguments.input_ids, arguments.images, arguments.eos_id)
        with open(arguments.out, "w", encoding="utf-8") as out:
            out.write(format_result(result))
        print(f"embed took {time.perf_counter() - started:.1f} s", file=sys.stderr)
    elif arguments.command == "selftest":
        selftest()


if __name__ == "__main__":
    main()
