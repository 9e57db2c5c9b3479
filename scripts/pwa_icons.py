"""Draw the installable app's PNG icons from the logo (static/img/logo.svg) with Pillow.

The logo is two shapes on a 32-unit grid: a rounded square (#1f4e8c, corner radius 7) and
a white mountain path (6,24 14,9 18,16 21,12 26,24). Pillow cannot read SVG, so this draws
the same shapes at 8× the target size and scales down (smooth edges). Run it again after a
change of the logo and commit the files:

    .venv/bin/python scripts/pwa_icons.py

- ``icon-192.png`` and ``icon-512.png`` ("any" purpose: the logo as it is, transparent corners);
- ``icon-maskable-512.png`` (purpose "maskable": a full-bleed square, the mountain inside the
  central 80 % safe zone, so a launcher's circle or squircle mask never cuts it);
- ``apple-touch-icon.png`` (180 px, opaque: iOS fills transparency with black).
"""

from pathlib import Path

from PIL import Image, ImageDraw

BRAND = (31, 78, 140, 255)  # #1f4e8c, the site's --pico-primary
WHITE = (255, 255, 255, 255)
MOUNTAIN = [(6, 24), (14, 9), (18, 16), (21, 12), (26, 24)]
GRID = 32
SUPERSAMPLE = 8
OUT = Path(__file__).resolve().parent.parent / "static" / "img"


def _draw(size: int, *, full_bleed: bool, mountain_scale: float = 1.0) -> Image.Image:
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    unit = big / GRID
    if full_bleed:
        draw.rectangle((0, 0, big, big), fill=BRAND)
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=7 * unit, fill=BRAND)
    centre = GRID / 2
    points = [
        ((centre + (x - centre) * mountain_scale) * unit, (centre + (y - centre) * mountain_scale) * unit)
        for x, y in MOUNTAIN
    ]
    draw.polygon(points, fill=WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    icons = {
        "icon-192.png": _draw(192, full_bleed=False),
        "icon-512.png": _draw(512, full_bleed=False),
        # The mountain spans x 6..26 and y 9..24 of 32: scaled by 0.8 it stays well inside
        # the maskable safe zone (a circle of 40 % of the size around the centre).
        "icon-maskable-512.png": _draw(512, full_bleed=True, mountain_scale=0.8),
        "apple-touch-icon.png": _draw(180, full_bleed=True, mountain_scale=0.9),
    }
    for name, image in icons.items():
        image.save(OUT / name, optimize=True)
        print(f"wrote static/img/{name} ({image.width}×{image.height})")  # noqa: T201 — a script's report


if __name__ == "__main__":
    main()
