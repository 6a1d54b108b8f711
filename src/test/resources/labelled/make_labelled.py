"""Make the labelled fixtures of the evaluate command from images/astronaut.png.

Run from the repository root with Debian's Python and Pillow 9.4:
    /usr/bin/python3 src/test/resources/labelled/make_labelled.py
The ages are arbitrary labels: the tests compare the command with the service, not with the truth.
"""

from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent
ASTRONAUT = Image.open(ROOT.parent / "images" / "astronaut.png").convert("RGB")

# (left, top, right, bottom) boxes of the 512 x 512 photograph: face, shoulders, flag, whole.
CROPS = {
    "face": (160, 40, 320, 200),
    "head": (120, 0, 360, 240),
    "shoulders": (60, 150, 460, 510),
    "flag": (0, 0, 200, 260),
    "whole": (0, 0, 512, 512),
    "left": (0, 100, 300, 400),
}


def save(crop, size, path):
    image = ASTRONAUT.crop(CROPS[crop]).resize(size, Image.BICUBIC)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.name.endswith(".png"):
        image.save(path, optimize=True)
    else:
        image.save(path, quality=80)


# Names in the UTKFace pattern {age}_{gender}_{race}_{timestamp}, including the aligned set's ".jpg.chip.jpg".
utkface = ROOT / "utkface"
save("face", (48, 48), utkface / "7_0_0_20170110215648859.jpg.chip.jpg")
save("head", (56, 48), utkface / "26_1_0_20170116171048269.jpg")
save("shoulders", (48, 64), utkface / "29_1_1_20170117192341235.jpg")
save("flag", (40, 52), utkface / "34_0_1_20170113134010912.jpg")
save("whole", (64, 64), utkface / "58_1_3_20170119180437581.jpg.chip.jpg")
save("left", (32, 32), utkface / "81_0_0_20170111210000001.png")
save("face", (40, 40), utkface / "astronaut.jpg")
(utkface / "45_1_2_20170104000000000.jpg").write_text("These bytes are text, not a JPEG image.\n")

# The same kind of files with ages from a CSV file, one of them in a subfolder and one listed but absent.
listed = ROOT / "csv"
save("head", (48, 48), listed / "anna.jpg")
save("shoulders", (40, 48), listed / "ben.png")
save("whole", (48, 48), listed / "nested" / "carla.jpg")
save("flag", (32, 40), listed / "extra.jpg")
(listed / "broken.jpg").write_text("Not an image either.\n")
(listed / "ages.csv").write_text(
    "file,age\n"
    "anna.jpg,12\n"
    "ben.png,47.5\n"
    "\"nested/carla.jpg\",63\n"
    "broken.jpg,20\n"
    "gone.jpg,30\n"
)
