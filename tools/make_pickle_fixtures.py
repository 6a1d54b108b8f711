#!/usr/bin/python3
"""Write the PyTorch checkpoints that PytorchCheckpointReaderTest reads.

Run with Debian's interpreter, which has python3-torch installed:

    /usr/bin/python3 tools/make_pickle_fixtures.py

It writes to src/test/resources/pickle/:
- state_dict.bin: an OrderedDict of tensors saved by torch.save, with float32,
  float16, bfloat16, int64 and bool tensors, a transposed (non-contiguous)
  tensor, two views of one storage at different offsets, a 0-d tensor, an
  nn.Parameter and the _metadata attribute that Module.state_dict() sets;
- state_dict.json: for each tensor its dtype, shape and values in row-major
  order, as torch itself reads them back;
- malicious.bin: a checkpoint whose pickle calls os.system when loaded with
  pickle or torch.load(weights_only=False). This script only writes it and
  never loads it;
- truncated.bin: the first half of state_dict.bin.
"""

import collections
import json
import os
import pathlib

import torch

OUT = pathlib.Path(__file__).resolve().parent.parent / "src" / "test" / "resources" / "pickle"


class RunsShellCommand:
    """Object whose unpickling calls os.system: what a safe reader must reject."""

    def __reduce__(self):
        return (os.system, ("echo this checkpoint ran a shell command",))


def make_state_dict():
    torch.manual_seed(7)
    shared = torch.arange(20, dtype=torch.float32) * 0.5
    state = collections.OrderedDict()
    state["linear.weight"] = torch.randn(2, 3)
    state["half"] = torch.tensor([1.0, -2.5, 65504.0, 0.000061035156], dtype=torch.float16)
    state["bfloat"] = torch.tensor([1.0, -3.0, 0.15625], dtype=torch.bfloat16)
    state["position_ids"] = torch.arange(5, dtype=torch.int64).unsqueeze(0)
    state["mask"] = torch.tensor([True, False, True])
    state["transposed"] = torch.arange(12, dtype=torch.float32).reshape(3, 4).t()
    state["view_a"] = shared[2:8].view(2, 3)
    state["view_b"] = shared[10:14]
    state["scalar"] = torch.tensor(4.6052, dtype=torch.float32)
    state["parameter"] = torch.nn.Parameter(torch.tensor([[0.25, -0.75]]))
    # Module.state_dict() sets this attribute, so the pickle ends with a BUILD opcode, as in real checkpoints.
    state._metadata = collections.OrderedDict([("", {"version": 1})])
    return state


def describe(state):
    expected = collections.OrderedDict()
    for name, tensor in state.items():
        tensor = tensor.detach()
        values = tensor.contiguous().reshape(-1)
        if tensor.dtype in (torch.float16, torch.bfloat16):
            values = values.float()
        expected[name] = {
            "dtype": str(tensor.dtype).replace("torch.", ""),
            "shape": list(tensor.shape),
            "values": values.tolist(),
        }
    return expected


def main():
    OUT.mkdir(parents=True, exist_ok=True)

    state = make_state_dict()
    torch.save(state, OUT / "state_dict.bin")
    reloaded = torch.load(OUT / "state_dict.bin")
    (OUT / "state_dict.json").write_text(json.dumps(describe(reloaded), indent=1) + "\n")

    torch.save(collections.OrderedDict(weight=torch.ones(2), payload=RunsShellCommand()), OUT / "malicious.bin")

    data = (OUT / "state_dict.bin").read_bytes()
    (OUT / "truncated.bin").write_bytes(data[: len(data) // 2])


if __name__ == "__main__":
    main()
