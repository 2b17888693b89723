"""Product-card pictures for the demo catalog, drawn with Pillow: a soft gradient in the
category's colours, a simple silhouette of the product in its colour, the brand's initials
and the product type. 600x600 JPEG, a few dozen kilobytes each."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

SIZE = 600
# Silhouettes are drawn at twice the size and scaled down: ImageDraw does not antialias.
SCALE = 2
JPEG_QUALITY = 86
GLASS = (28, 32, 42)
INK = (34, 38, 52)
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
)
RGB = tuple[int, int, int]


class Pen:
    """Draws on three masks at once: the body, a shade for details, and dark glass."""

    def __init__(self) -> None:
        size = SIZE * SCALE
        self.layers = {name: Image.new("L", (size, size), 0) for name in ("body", "shade", "glass")}
        self.draws = {name: ImageDraw.Draw(layer) for name, layer in self.layers.items()}

    def _box(self, box: tuple[float, float, float, float]) -> list[float]:
        return [value * SCALE for value in box]

    def rect(
        self, box: tuple[float, float, float, float], radius: float = 0, *, layer: str = "body"
    ) -> None:
        self.draws[layer].rounded_rectangle(self._box(box), radius=radius * SCALE, fill=255)

    def ellipse(self, box: tuple[float, float, float, float], *, layer: str = "body") -> None:
        self.draws[layer].ellipse(self._box(box), fill=255)

    def ring(
        self, box: tuple[float, float, float, float], width: float, *, layer: str = "body"
    ) -> None:
        self.draws[layer].ellipse(self._box(box), outline=255, width=int(width * SCALE))

    def arc(
        self,
        box: tuple[float, float, float, float],
        start: float,
        end: float,
        width: float,
        *,
        layer: str = "body",
    ) -> None:
        self.draws[layer].arc(self._box(box), start, end, fill=255, width=int(width * SCALE))

    def polygon(self, points: list[tuple[float, float]], *, layer: str = "body") -> None:
        self.draws[layer].polygon([(x * SCALE, y * SCALE) for x, y in points], fill=255)

    def line(self, points: list[tuple[float, float]], width: float, *, layer: str = "body") -> None:
        scaled = [(x * SCALE, y * SCALE) for x, y in points]
        self.draws[layer].line(scaled, fill=255, width=int(width * SCALE), joint="curve")
        radius = width * SCALE / 2
        for x, y in scaled:  # round caps
            self.draws[layer].ellipse([x - radius, y - radius, x + radius, y + radius], fill=255)


def _phone(pen: Pen) -> None:
    pen.rect((215, 120, 385, 470), 30)
    pen.rect((228, 140, 372, 450), 18, layer="glass")
    pen.rect((275, 150, 325, 162), 6, layer="shade")


def _headphones(pen: Pen) -> None:
    pen.arc((175, 130, 425, 400), 180, 360, 26)
    pen.line([(175, 265), (175, 300)], 26)
    pen.line([(425, 265), (425, 300)], 26)
    pen.rect((145, 285, 225, 430), 36)
    pen.rect((375, 285, 455, 430), 36)
    pen.rect((205, 300, 235, 415), 14, layer="shade")
    pen.rect((365, 300, 395, 415), 14, layer="shade")


def _laptop(pen: Pen) -> None:
    pen.rect((160, 150, 440, 360), 14)
    pen.rect((174, 164, 426, 346), 6, layer="glass")
    pen.polygon([(120, 368), (480, 368), (505, 408), (95, 408)])
    pen.rect((95, 400, 505, 414), 6)
    pen.rect((265, 376, 335, 392), 4, layer="shade")


def _watch(pen: Pen) -> None:
    pen.rect((250, 100, 350, 230), 18)
    pen.rect((250, 370, 350, 500), 18)
    pen.rect((215, 185, 385, 415), 56)
    pen.rect((385, 270, 400, 320), 5)
    pen.rect((234, 204, 366, 396), 42, layer="glass")
    for y in (120, 150, 180, 420, 450, 480):
        pen.rect((262, y, 338, y + 8), 4, layer="shade")


def _sneaker(pen: Pen) -> None:
    pen.polygon(
        [
            (118, 392),
            (120, 330),
            (134, 304),
            (196, 292),
            (238, 252),
            (262, 226),
            (300, 228),
            (322, 266),
            (366, 298),
            (432, 320),
            (478, 338),
            (500, 360),
            (506, 392),
        ]
    )
    pen.rect((108, 380, 512, 432), 24)
    pen.rect((112, 402, 508, 432), 20, layer="shade")
    pen.polygon([(196, 368), (318, 318), (352, 326), (232, 378)], layer="shade")
    for step in range(4):
        x, y = 282 + step * 26, 246 + step * 18
        pen.line([(x - 12, y + 16), (x + 12, y - 16)], 7, layer="shade")
    pen.rect((118, 322, 146, 392), 10, layer="shade")


def _jacket(pen: Pen) -> None:
    pen.polygon(
        [
            (232, 118),
            (300, 150),
            (368, 118),
            (448, 156),
            (506, 372),
            (458, 386),
            (428, 260),
            (428, 488),
            (172, 488),
            (172, 260),
            (142, 386),
            (94, 372),
            (152, 156),
        ]
    )
    pen.line([(300, 156), (300, 486)], 5, layer="shade")
    pen.polygon([(232, 118), (300, 150), (270, 196)], layer="shade")
    pen.polygon([(368, 118), (300, 150), (330, 196)], layer="shade")
    pen.rect((196, 360, 262, 372), 4, layer="shade")
    pen.rect((338, 360, 404, 372), 4, layer="shade")


def _backpack(pen: Pen) -> None:
    pen.arc((252, 100, 348, 200), 180, 360, 14)
    pen.rect((185, 150, 415, 485), 64)
    pen.rect((215, 330, 385, 460), 32, layer="shade")
    pen.line([(230, 210), (370, 210)], 6, layer="shade")
    pen.rect((286, 344, 314, 360), 5, layer="glass")


def _pot(pen: Pen) -> None:
    pen.rect((160, 262, 440, 442), 34)
    pen.ellipse((146, 228, 454, 282))
    pen.rect((282, 196, 318, 236), 12)
    pen.rect((112, 286, 170, 314), 12)
    pen.rect((430, 286, 488, 314), 12)
    pen.ellipse((168, 240, 432, 270), layer="shade")
    pen.rect((176, 330, 424, 342), 6, layer="shade")


def _pillow(pen: Pen) -> None:
    pen.rect((140, 170, 460, 320), 70)
    pen.rect((110, 300, 490, 460), 26)
    for y in (332, 372, 412):
        pen.rect((110, y, 490, y + 16), 4, layer="shade")
    pen.line([(190, 210), (410, 210)], 5, layer="shade")


def _lamp(pen: Pen) -> None:
    pen.polygon([(222, 132), (378, 132), (432, 282), (168, 282)])
    pen.rect((291, 280, 309, 446), 6)
    pen.ellipse((212, 432, 388, 480))
    pen.ellipse((196, 268, 404, 300), layer="shade")
    pen.rect((222, 132, 378, 146), 6, layer="shade")


def _jar(pen: Pen) -> None:
    pen.rect((186, 266, 414, 450), 34)
    pen.rect((176, 210, 424, 276), 18)
    pen.rect((214, 322, 386, 404), 14, layer="shade")
    pen.rect((176, 258, 424, 276), 6, layer="shade")


def _bottle(pen: Pen) -> None:
    pen.rect((196, 228, 404, 462), 44)
    pen.rect((274, 186, 326, 234), 8)
    pen.rect((250, 112, 350, 194), 14)
    pen.rect((236, 316, 364, 384), 10, layer="shade")
    pen.rect((214, 246, 236, 440), 10, layer="glass")


def _dumbbell(pen: Pen) -> None:
    pen.rect((168, 288, 432, 312), 10)
    for left, right in ((124, 176), (424, 476)):
        pen.rect((left, 212, right, 388), 16)
    for left, right in ((176, 208), (392, 424)):
        pen.rect((left, 238, right, 362), 12)
    pen.rect((136, 230, 164, 370), 10, layer="shade")
    pen.rect((436, 230, 464, 370), 10, layer="shade")


def _bicycle(pen: Pen) -> None:
    pen.ring((92, 282, 272, 462), 14)
    pen.ring((328, 282, 508, 462), 14)
    rear, crank, seat, head, front = (182, 372), (292, 372), (262, 252), (392, 252), (418, 372)
    for start, end in (
        (rear, crank),
        (crank, seat),
        (seat, rear),
        (seat, head),
        (head, crank),
        (head, front),
    ):
        pen.line([start, end], 12)
    pen.rect((236, 226, 296, 242), 8)
    pen.line([(392, 252), (384, 218), (420, 208)], 10)
    pen.ellipse((274, 354, 310, 390), layer="shade")


def _tent(pen: Pen) -> None:
    pen.polygon([(110, 446), (300, 146), (490, 446)])
    pen.polygon([(300, 222), (238, 446), (362, 446)], layer="glass")
    pen.line([(300, 146), (300, 120)], 8)
    pen.rect((90, 440, 510, 454), 6, layer="shade")


def _bear(pen: Pen) -> None:
    pen.ellipse((196, 146, 262, 212))
    pen.ellipse((338, 146, 404, 212))
    pen.ellipse((192, 300, 408, 484))
    pen.ellipse((208, 166, 392, 344))
    pen.ellipse((212, 164, 246, 198), layer="shade")
    pen.ellipse((354, 164, 388, 198), layer="shade")
    pen.ellipse((258, 262, 342, 328), layer="shade")
    pen.ellipse((240, 368, 360, 470), layer="shade")
    pen.ellipse((256, 226, 276, 246), layer="glass")
    pen.ellipse((324, 226, 344, 246), layer="glass")
    pen.ellipse((286, 270, 314, 292), layer="glass")


def _blocks(pen: Pen) -> None:
    for box in ((160, 336, 292, 464), (308, 336, 440, 464), (234, 202, 366, 330)):
        pen.rect(box, 10)
        left, top, right, _bottom = box
        for stud in range(2):
            x = left + 22 + stud * 56
            pen.rect((x, top - 18, x + 34, top + 4), 6)
        pen.rect((left + 14, top + 14, right - 14, top + 30), 6, layer="shade")


def _earbuds(pen: Pen) -> None:
    pen.rect((196, 300, 404, 452), 64)
    pen.rect((196, 300, 404, 334), 16, layer="shade")
    pen.rect((286, 404, 314, 414), 4, layer="glass")
    for left in (216, 324):
        pen.ellipse((left, 160, left + 64, 224))
        pen.rect((left + 20, 200, left + 44, 292), 12)
        pen.ellipse((left + 16, 176, left + 48, 208), layer="shade")


def _pan(pen: Pen) -> None:
    pen.ellipse((110, 236, 390, 404))
    pen.polygon([(372, 306), (500, 284), (508, 310), (380, 334)])
    pen.rect((470, 282, 512, 312), 12)
    pen.ellipse((132, 254, 368, 386), layer="glass")
    pen.ellipse((150, 270, 350, 370), layer="shade")


def _mat(pen: Pen) -> None:
    pen.rect((110, 300, 420, 440), 20)
    pen.ellipse((350, 240, 500, 440))
    pen.ellipse((384, 282, 466, 398), layer="shade")
    pen.ellipse((408, 314, 442, 366), layer="glass")
    for x in (150, 210, 270, 330):
        pen.rect((x, 300, x + 10, 440), 4, layer="shade")


def _kettlebell(pen: Pen) -> None:
    pen.ring((214, 120, 386, 300), 34)
    pen.ellipse((160, 220, 440, 480))
    pen.rect((200, 452, 400, 484), 10)
    pen.ellipse((236, 300, 364, 420), layer="shade")


def _sleeping_bag(pen: Pen) -> None:
    pen.rect((196, 110, 404, 486), 96)
    pen.ellipse((234, 140, 366, 250), layer="shade")
    pen.line([(376, 240), (376, 460)], 6, layer="glass")
    for y in (290, 350, 410):
        pen.rect((196, y, 404, y + 8), 4, layer="shade")


def _car(pen: Pen) -> None:
    pen.rect((90, 290, 510, 410), 40)
    pen.polygon([(180, 296), (236, 206), (386, 206), (446, 296)])
    pen.polygon([(204, 290), (248, 224), (302, 224), (302, 290)], layer="glass")
    pen.polygon([(318, 290), (318, 224), (374, 224), (420, 290)], layer="glass")
    pen.rect((470, 318, 506, 340), 8, layer="shade")
    for centre in (190, 410):
        pen.ellipse((centre - 58, 352, centre + 58, 468))
        pen.ellipse((centre - 58, 352, centre + 58, 468), layer="glass")
        pen.ellipse((centre - 26, 384, centre + 26, 436), layer="shade")


SHAPES: dict[str, Callable[[Pen], None]] = {
    "earbuds": _earbuds,
    "pan": _pan,
    "mat": _mat,
    "kettlebell": _kettlebell,
    "sleeping-bag": _sleeping_bag,
    "car": _car,
    "phone": _phone,
    "headphones": _headphones,
    "laptop": _laptop,
    "watch": _watch,
    "sneaker": _sneaker,
    "jacket": _jacket,
    "backpack": _backpack,
    "pot": _pot,
    "pillow": _pillow,
    "lamp": _lamp,
    "jar": _jar,
    "bottle": _bottle,
    "dumbbell": _dumbbell,
    "bicycle": _bicycle,
    "tent": _tent,
    "bear": _bear,
    "blocks": _blocks,
}


@dataclass(frozen=True)
class Silhouette:
    body: Image.Image
    shade: Image.Image
    glass: Image.Image
    shadow: Image.Image


@cache
def silhouette(shape: str) -> Silhouette:
    pen = Pen()
    SHAPES[shape](pen)
    small = {
        name: layer.resize((SIZE, SIZE), Image.Resampling.LANCZOS)
        for name, layer in pen.layers.items()
    }
    # The shade and glass only show where the body is.
    body = small["body"]
    shade = Image.composite(small["shade"], Image.new("L", body.size, 0), body)
    glass = Image.composite(small["glass"], Image.new("L", body.size, 0), body)
    shadow = Image.new("L", body.size, 0)
    shadow.paste(body.point(lambda value: value * 40 // 100), (10, 18))
    return Silhouette(body, shade, glass, shadow.filter(ImageFilter.GaussianBlur(14)))


@cache
def _vertical_ramp() -> Image.Image:
    return Image.linear_gradient("L").resize((SIZE, SIZE), Image.Resampling.BICUBIC)


@cache
def _spotlight() -> Image.Image:
    glow = Image.new("L", (SIZE, SIZE), 0)
    ImageDraw.Draw(glow).ellipse((90, 70, 510, 490), fill=120)
    return glow.filter(ImageFilter.GaussianBlur(60))


@cache
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    # Pillow ships a scalable default font when FreeType is available.
    return ImageFont.load_default(size=size)


def _mix(first: RGB, second: RGB, share: float) -> RGB:
    r, g, b = (round(a + (b - a) * share) for a, b in zip(first, second, strict=True))
    return (r, g, b)


def _luminance(colour: RGB) -> float:
    red, green, blue = colour
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def initials(brand: str) -> str:
    words = [word for word in brand.replace("&", " ").split() if word[:1].isalpha()]
    if len(words) >= 2:
        return (words[0][0] + words[1][0]).upper()
    return brand[:1].upper()


def _fit(
    draw: ImageDraw.ImageDraw, text: str, size: int, width: int
) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    while size > 14 and draw.textlength(text, font=font(size)) > width:
        size -= 2
    return font(size)


def render_product_image(
    *,
    shape: str,
    background: tuple[RGB, RGB],
    tint: RGB,
    brand: str,
    label: str,
) -> bytes:
    """A product card picture as JPEG bytes; the same arguments give the same picture."""
    top, bottom = background
    canvas = Image.composite(
        Image.new("RGB", (SIZE, SIZE), bottom),
        Image.new("RGB", (SIZE, SIZE), top),
        _vertical_ramp(),
    )
    canvas.paste((255, 255, 255), (0, 0), _spotlight())
    shapes = silhouette(shape)
    canvas.paste(_mix(bottom, (0, 0, 0), 0.55), (0, 0), shapes.shadow)
    canvas.paste(tint, (0, 0), shapes.body)
    light = _luminance(tint) > 150
    shade = _mix(tint, (0, 0, 0), 0.22) if light else _mix(tint, (255, 255, 255), 0.28)
    canvas.paste(shade, (0, 0), shapes.shade)
    canvas.paste(GLASS, (0, 0), shapes.glass)

    draw = ImageDraw.Draw(canvas)
    accent = _mix(bottom, (0, 0, 0), 0.35)
    draw.ellipse((36, 36, 104, 104), fill=(255, 255, 255))
    draw.text((70, 71), initials(brand), font=font(28), fill=accent, anchor="mm")
    draw.text((120, 70), brand, font=_fit(draw, brand, 34, SIZE - 160), fill=INK, anchor="lm")
    label_font = _fit(draw, label, 26, SIZE - 120)
    width = draw.textlength(label, font=label_font)
    left = (SIZE - width) / 2 - 22
    draw.rounded_rectangle((left, 514, SIZE - left, 566), radius=26, fill=(255, 255, 255))
    draw.text((SIZE / 2, 540), label, font=label_font, fill=accent, anchor="mm")

    buffer = io.BytesIO()
    canvas.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()
