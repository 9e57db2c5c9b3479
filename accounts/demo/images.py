"""Pictures for the demo, drawn in code with Pillow so the repository holds no binary
fixtures and ``seed_demo`` stays fast: gradients, course covers with their titles and
illustrated portraits. Deterministic: the same arguments give the same bytes."""

import hashlib
import io
import textwrap

from PIL import Image, ImageChops, ImageDraw, ImageFont

RGB = tuple[int, int, int]

COVER_SIZE = (960, 540)  # 16:9, the catalog's thumbnail shape
PORTRAIT_SIZE = 512

SKIN_TONES: tuple[RGB, ...] = (
    (255, 219, 172),
    (241, 194, 125),
    (224, 172, 105),
    (198, 134, 66),
    (141, 85, 36),
    (104, 62, 34),
)
HAIR_COLOURS: tuple[RGB, ...] = ((35, 25, 20), (70, 45, 30), (120, 80, 45), (200, 160, 90), (90, 90, 95))
CLOTHES: tuple[RGB, ...] = ((38, 70, 83), (42, 157, 143), (231, 111, 81), (92, 64, 151), (29, 53, 87), (188, 71, 73))
BACKDROPS: tuple[tuple[RGB, RGB], ...] = (
    ((224, 236, 255), (186, 206, 245)),
    ((255, 236, 214), (247, 203, 170)),
    ((222, 245, 232), (178, 222, 200)),
    ((240, 228, 255), (208, 190, 240)),
)


def _pick(seed: str, salt: str, count: int) -> int:
    """A stable choice among ``count`` for ``seed`` (not random: seeding twice draws the same)."""
    return int(hashlib.sha256(f"{salt}:{seed}".encode()).hexdigest(), 16) % count


def _gradient(size: tuple[int, int], start: RGB, end: RGB) -> Image.Image:
    """A diagonal gradient from the top left (``start``) to the bottom right (``end``)."""
    down = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)
    right = Image.linear_gradient("L").rotate(90).resize(size, Image.Resampling.BILINEAR)
    mask = ImageChops.add(down, right, scale=2.0)
    return Image.composite(Image.new("RGB", size, end), Image.new("RGB", size, start), mask)


def _encode(image: Image.Image, kind: str) -> bytes:
    output = io.BytesIO()
    if kind == "JPEG":
        image.save(output, "JPEG", quality=82, optimize=True, progressive=True)
    else:
        image.save(output, kind, optimize=True)
    return output.getvalue()


def gradient_png(size: int, colours: tuple[RGB, RGB]) -> bytes:
    """A square PNG with a diagonal gradient between two colours."""
    return _encode(_gradient((size, size), *colours), "PNG")


def cover_jpeg(*, title: str, label: str, colours: tuple[RGB, RGB]) -> bytes:
    """A course cover: a gradient between ``colours`` with soft circles and a sound-wave
    line, the ``label`` (the category) small and the ``title`` large in white. JPEG."""
    width, height = COVER_SIZE
    image = _gradient(COVER_SIZE, *colours)
    overlay = Image.new("RGBA", COVER_SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    offset = _pick(title, "cover", 240)
    for index, radius in enumerate((300, 210, 130)):
        centre = (width - 140 - offset // 3 + index * 30, 110 + index * 40)
        box = (centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius)
        draw.ellipse(box, fill=(255, 255, 255, 22 + index * 10))
    bars = 16
    for index in range(bars):
        level = 20 + (((index * 7 + offset) % 13) * 9)
        x = width - 40 - (bars - index) * 16
        draw.rounded_rectangle((x, height - 60 - level, x + 8, height - 60), radius=4, fill=(255, 255, 255, 55))
    image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")

    draw = ImageDraw.Draw(image)
    label_font = ImageFont.load_default(size=30)
    title_font = ImageFont.load_default(size=64)
    draw.text((64, 64), label.upper(), font=label_font, fill=(255, 255, 255))
    lines = textwrap.wrap(title, width=22)[:3]
    top = height - 80 - len(lines) * 76
    for number, line in enumerate(lines):
        draw.text(
            (62, top + number * 76),
            line,
            font=title_font,
            fill=(255, 255, 255),
            stroke_width=2,
            stroke_fill=(255, 255, 255),
        )
    return _encode(image, "JPEG")


def portrait_png(*, seed: str, look: tuple[int, int, int] | None = None) -> bytes:
    """An illustrated head-and-shoulders portrait. ``look`` picks (skin tone, hair colour,
    hair style) by index into :data:`SKIN_TONES`, :data:`HAIR_COLOURS` and the four styles
    (fringe, long, bun, close-cropped) so a demo person looks like who they are; without
    it they follow from ``seed`` (e.g. an e-mail address), as do the clothes, the backdrop
    and glasses. PNG, ``PORTRAIT_SIZE`` pixels square."""
    size = PORTRAIT_SIZE
    image = _gradient((size, size), *BACKDROPS[_pick(seed, "backdrop", len(BACKDROPS))])
    draw = ImageDraw.Draw(image)
    if look is None:
        look = (_pick(seed, "skin", len(SKIN_TONES)), _pick(seed, "hair", len(HAIR_COLOURS)), _pick(seed, "style", 4))
    skin, hair, style = SKIN_TONES[look[0]], HAIR_COLOURS[look[1]], look[2] % 4
    clothes = CLOTHES[_pick(seed, "clothes", len(CLOTHES))]
    centre = size // 2

    if style == 1:  # long hair falls behind the shoulders
        draw.rounded_rectangle((centre - 120, 150, centre + 120, 400), radius=90, fill=hair)
    else:  # the back of the head, showing as a rim around the top of the face
        draw.ellipse((centre - 108, 106, centre + 108, 300), fill=hair)
    draw.ellipse((centre - 190, 360, centre + 190, 640), fill=clothes)  # shoulders
    draw.rectangle((centre - 42, 300, centre + 42, 392), fill=skin)  # neck
    draw.pieslice((centre - 46, 340, centre + 46, 420), 0, 180, fill=skin)  # collar opening
    draw.ellipse((centre - 100, 120, centre + 100, 340), fill=skin)  # head
    draw.ellipse((centre - 116, 212, centre - 88, 262), fill=skin)  # ears
    draw.ellipse((centre + 88, 212, centre + 116, 262), fill=skin)
    if style in (0, 1):  # a fringe
        draw.chord((centre - 106, 104, centre + 106, 290), 180, 360, fill=hair)
    elif style == 2:  # a bun on top
        draw.ellipse((centre - 48, 70, centre + 48, 150), fill=hair)
        draw.chord((centre - 104, 110, centre + 104, 270), 180, 360, fill=hair)
    else:  # close-cropped: a low hairline
        draw.chord((centre - 98, 114, centre + 98, 230), 180, 360, fill=hair)
    shade = tuple(max(0, channel - 70) for channel in skin)
    for eye_x in (centre - 40, centre + 40):
        draw.ellipse((eye_x - 9, 226, eye_x + 9, 244), fill=(40, 30, 30))
        draw.arc((eye_x - 20, 204, eye_x + 20, 222), 200, 340, fill=hair, width=5)  # brow
    draw.arc((centre - 38, 256, centre + 38, 300), 20, 160, fill=shade, width=6)  # smile
    if _pick(seed, "glasses", 3) == 0:
        for eye_x in (centre - 40, centre + 40):
            draw.rounded_rectangle((eye_x - 28, 214, eye_x + 28, 256), radius=12, outline=(30, 30, 40), width=5)
        draw.line((centre - 12, 230, centre + 12, 230), fill=(30, 30, 40), width=5)
    return _encode(image, "PNG")
