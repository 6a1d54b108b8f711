#!/usr/bin/python3
"""Make the image fixtures and the Pillow/torchvision reference values for the Java image tests.

Run with Debian's interpreter from the repository root:

    /usr/bin/python3 tools/pillow_reference.py

Tested with Pillow 9.4.0, torchvision 0.14.1, torch 1.13.1 and numpy 1.24.2
(Debian 12 packages python3-pil, python3-torchvision, python3-torch).

Fixtures are derived from scikit-image's astronaut.png (a public-domain NASA
photograph). The script writes them only when missing, so re-running it on the
committed fixtures only recomputes the references from them.

For each fixture it writes into src/test/resources/images/reference/:

* <fixture>.chw.gz: the 3 x 224 x 224 tensor as uint8 in CHW order, gzip
  compressed, in OpenAI CLIP's order: Resize(224, BICUBIC) and CenterCrop(224)
  on the image in the mode Pillow opened it in (P, RGBA, LA, CMYK...), then
  convert("RGB"), before ToTensor and Normalize;
* a line in reference.tsv with the decoded size, the resized size, the crop
  origin and the SHA-256 of the decoded image after convert("RGB") (HWC, uint8).

JPEG fixtures are decoded with EXIF orientation applied (ImageOps.exif_transpose),
which is what the Java decoder does when applyExifOrientation is true.

One deliberate difference from the reference: Pillow opens 16-bit grey PNGs in
mode I, and its conversion to RGB clamps every value above 255 to 255, which
turns most such photographs white. The service keeps the high byte instead
(value >> 8, mode L), and so do these references. The script prints how far
the reference's own result is from that.

It also writes normalize_table.f32: for each channel c and each value v in
0..255, torchvision's Normalize(ToTensor(v)) as little-endian float32, laid out
[channel][value].
"""

import gzip
import hashlib
import shutil
import sys
from pathlib import Path

import numpy as np
import PIL
import torch
import torchvision
from PIL import Image, ImageOps
from torchvision import transforms

IMAGE_SIZE = 224
CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
ASTRONAUT = Path("/usr/lib/python3/dist-packages/skimage/data/astronaut.png")
IMAGES = Path("src/test/resources/images")
REFERENCE = IMAGES / "reference"
EXIF_ORIENTATION = 0x0112


def astronaut():
    return Image.open(IMAGES / "astronaut.png").convert("RGB")


def scaled(size):
    """Return the astronaut resized to fill `size` (width, height), centre cropped."""
    width, height = size
    source = astronaut()
    side = max(width, height)
    square = source.resize((side, side), Image.Resampling.BICUBIC)
    left = (side - width) // 2
    top = (side - height) // 2
    return square.crop((left, top, left + width, top + height))


def make_landscape(path):
    scaled((640, 427)).save(path, quality=85)


def make_portrait(path):
    scaled((427, 640)).save(path, quality=85)


def make_small(path):
    scaled((100, 150)).save(path)


def make_odd(path):
    scaled((225, 1001)).save(path, quality=80)


def make_large(path):
    scaled((2000, 1500)).save(path, quality=70)


def make_gray_png(path):
    scaled((300, 200)).convert("L").save(path)


def make_gray_jpeg(path):
    scaled((300, 200)).convert("L").save(path, quality=85)


def make_gray16_png(path):
    # Values run from 0 to about 1020, so Pillow's clipping at 255 is visible in both directions.
    luminance = np.asarray(scaled((160, 240)).convert("L"), dtype=np.uint16) * 4
    Image.fromarray(luminance.astype(np.uint16)).save(path)


def make_rgba_png(path):
    rgb = np.asarray(scaled((256, 200)))
    height, width, _ = rgb.shape
    # Alpha falls from 255 on the left to 0 on the right, so fully transparent pixels keep their colour.
    alpha = np.tile(np.linspace(255, 0, width).astype(np.uint8), (height, 1))
    Image.fromarray(np.dstack([rgb, alpha]), "RGBA").save(path)


def make_palette_png(path):
    image = scaled((200, 300)).quantize(colors=64)
    image.save(path, transparency=0)


def make_gif(path):
    first = scaled((180, 240)).quantize(colors=128)
    second = ImageOps.mirror(scaled((180, 240))).quantize(colors=128)
    first.save(path, save_all=True, append_images=[second], duration=100, loop=0)


def make_bmp(path):
    scaled((120, 90)).save(path)


def make_webp_lossless(path):
    scaled((160, 120)).save(path, lossless=True)


def make_webp_lossy(path):
    scaled((240, 180)).save(path, quality=80)


def make_tiff(path):
    scaled((150, 110)).save(path, compression="tiff_deflate")


def make_wide229(path):
    scaled((229, 224)).save(path, quality=85)


def make_la_png(path):
    gray = np.asarray(scaled((300, 200)).convert("L"))
    height, width = gray.shape
    # Alpha falls from 255 at the top to 0 at the bottom, across the resize's vertical pass.
    alpha = np.tile(np.linspace(255, 0, height).astype(np.uint8)[:, None], (1, width))
    Image.fromarray(np.dstack([gray, alpha]), "LA").save(path)


def make_palette_large_png(path):
    # A palette image that shrinks, so nearest-neighbour selection (not averaging) is visible.
    scaled((600, 450)).quantize(colors=200).save(path)


def make_cmyk_jpeg(path):
    # Pillow writes CMYK JPEGs with an Adobe marker and inverted values, as Photoshop does.
    scaled((260, 200)).convert("CMYK").save(path, quality=90)


def make_exif(orientation):
    def make(path):
        exif = Image.Exif()
        exif[EXIF_ORIENTATION] = orientation
        scaled((320, 200)).save(path, quality=90, exif=exif.tobytes())

    return make


FIXTURES = {
    "astronaut.png": None,
    "landscape.jpg": make_landscape,
    "portrait.jpg": make_portrait,
    "small.png": make_small,
    "odd.jpg": make_odd,
    "large.jpg": make_large,
    "gray.png": make_gray_png,
    "gray.jpg": make_gray_jpeg,
    "gray16.png": make_gray16_png,
    "rgba.png": make_rgba_png,
    "palette.png": make_palette_png,
    "animated.gif": make_gif,
    "small.bmp": make_bmp,
    "lossless.webp": make_webp_lossless,
    "lossy.webp": make_webp_lossy,
    "small.tif": make_tiff,
    # 229 x 224 needs no resize, and its crop origin round(2.5) is 2 under Python's round-half-even.
    "wide229.jpg": make_wide229,
    "la.png": make_la_png,
    "palette-large.png": make_palette_large_png,
    "cmyk.jpg": make_cmyk_jpeg,
    **{f"exif{o}.jpg": make_exif(o) for o in range(2, 9)},
}


def open_oriented(path):
    """Open a fixture in Pillow's own mode, with Exif orientation applied to JPEGs as the Java decoder does."""
    image = Image.open(path)
    if image.format == "JPEG":
        image = ImageOps.exif_transpose(image)
    return image


def service_source(image):
    """Return the image the service resizes: Pillow's, except 16-bit grey, which keeps its high byte."""
    if image.mode in ("I", "I;16", "I;16B"):
        high_byte = (np.asarray(image, dtype=np.int64) >> 8).clip(0, 255).astype(np.uint8)
        return Image.fromarray(high_byte, "L")
    return image


def write_fixtures():
    if not (IMAGES / "astronaut.png").exists():
        shutil.copyfile(ASTRONAUT, IMAGES / "astronaut.png")
    for name, make in FIXTURES.items():
        path = IMAGES / name
        if make is not None and not path.exists():
            make(path)


def write_references():
    resize = transforms.Resize(IMAGE_SIZE, interpolation=transforms.InterpolationMode.BICUBIC)
    center_crop = transforms.CenterCrop(IMAGE_SIZE)
    lines = ["# fixture\twidth\theight\tresized_width\tresized_height\tcrop_left\tcrop_top\tdecoded_sha256"]
    for name in FIXTURES:
        opened = open_oriented(IMAGES / name)
        source = service_source(opened)
        resized = resize(source)
        cropped = center_crop(resized).convert("RGB")
        assert cropped.size == (IMAGE_SIZE, IMAGE_SIZE)

        # The same origin formula as torchvision 0.14 center_crop, recorded for readers of the TSV.
        crop_left = int(round((resized.width - IMAGE_SIZE) / 2.0))
        crop_top = int(round((resized.height - IMAGE_SIZE) / 2.0))
        # The orientation fixtures are checked by their decoded pixels, so they get no tensor.
        if not name.startswith("exif"):
            chw = np.ascontiguousarray(np.asarray(cropped, dtype=np.uint8).transpose(2, 0, 1))
            with gzip.GzipFile(REFERENCE / f"{name}.chw.gz", "wb", mtime=0) as out:
                out.write(chw.tobytes())

        rgb = source.convert("RGB")
        decoded_sha256 = hashlib.sha256(np.asarray(rgb, dtype=np.uint8).tobytes()).hexdigest()
        lines.append(
            f"{name}\t{rgb.width}\t{rgb.height}\t{resized.width}\t{resized.height}"
            f"\t{crop_left}\t{crop_top}\t{decoded_sha256}"
        )
        report_differences(name, opened, source, cropped)
    (REFERENCE / "reference.tsv").write_text("\n".join(lines) + "\n")


def report_differences(name, opened, source, cropped):
    """Print how far converting to RGB first, and the reference's own 16-bit handling, are from these tensors."""
    resize = transforms.Resize(IMAGE_SIZE, interpolation=transforms.InterpolationMode.BICUBIC)
    center_crop = transforms.CenterCrop(IMAGE_SIZE)
    expected = np.asarray(cropped, dtype=np.int16)
    rgb_first = np.asarray(center_crop(resize(source.convert("RGB"))), dtype=np.int16)
    message = f"{name}: mode {opened.mode}, max |RGB first - reference order| = {np.abs(rgb_first - expected).max()}"
    if source is not opened:
        reference = np.asarray(center_crop(resize(opened)).convert("RGB"), dtype=np.int16)
        message += f", max |Python reference - high byte| = {np.abs(reference - expected).max()}"
    print(message)


def write_normalize_table():
    values = torch.arange(256, dtype=torch.uint8).reshape(1, 1, 256).expand(3, 1, 256)
    tensor = values.float().div(255)
    normalized = transforms.Normalize(CLIP_MEAN, CLIP_STD)(tensor).reshape(3, 256)
    data = normalized.numpy().astype("<f4").tobytes()
    (REFERENCE / "normalize_table.f32").write_bytes(data)


def main():
    print(f"Pillow {PIL.__version__}, torchvision {torchvision.__version__}, torch {torch.__version__}")
    REFERENCE.mkdir(parents=True, exist_ok=True)
    write_fixtures()
    write_references()
    write_normalize_table()
    return 0


if __name__ == "__main__":
    sys.exit(main())
