"""Copy the browser test's desktop screenshots into docs/screenshots/ for the README, as
palette PNGs small enough to commit. Run after `pytest -m browser`:

    .venv/bin/python -m tests.browser.publish_screenshots
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "var" / "screenshots"
TARGET = ROOT / "docs" / "screenshots"
# docs name -> (browser test screenshot, height kept from the top; None keeps the whole page)
PICKS = {
    "home.png": ("01-home.png", 1560),  # hero, categories and the first shelf
    "product.png": ("03-product.png", None),
    "cart.png": ("04-cart.png", None),
    "seller-portal.png": ("08-seller-dashboard.png", None),
}
MAX_BYTES = 400_000


def publish() -> list[tuple[Path, int]]:
    TARGET.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (source, height) in PICKS.items():
        with Image.open(SOURCE / source) as image:
            picture = image.convert("RGB")
        if height is not None and picture.height > height:
            picture = picture.crop((0, 0, picture.width, height))
        path = TARGET / name
        # A 256-colour palette, dithered: plain quantizing bands the pictures' gradients.
        palette = picture.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        picture.quantize(palette=palette, dither=Image.Dither.FLOYDSTEINBERG).save(
            path, optimize=True
        )
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SystemExit(f"{path} is {size} bytes, over {MAX_BYTES}")
        written.append((path, size))
    return written


if __name__ == "__main__":
    for path, size in publish():
        print(f"{path.relative_to(ROOT)}  {size // 1024} KB")
