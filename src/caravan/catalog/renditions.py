"""WebP renditions of product images at a few widths, for `srcset` (issue 11).

Made once, when the image is added (`catalog.services.add_product_image`; `caravan
make_renditions` fills them in for images stored before), never on a request: a page never
waits for an encoder, and a rendition is a plain file the media server serves like the
original. A rendition is never wider than its original (upscaling adds bytes, not detail), so
a 600 px original gets the 160, 320 and 480 px ones; the page offers the widths that exist and
keeps the original as the fallback `<img src>`, so an image without renditions still shows.
"""

from __future__ import annotations

import io
import logging
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, UnidentifiedImageError

from caravan.kernel.uploads import MAX_IMAGE_PIXELS

logger = logging.getLogger(__name__)

WIDTHS = (160, 320, 480, 640, 960)
RENDITIONS_DIR = "renditions"
WEBP_QUALITY = 80
# Effort 2 of 6: about 40% faster than the default 4 for files 4% larger (measured on the
# demo pictures), which keeps seeding the demo and large uploads quick.
WEBP_METHOD = 2


def rendition_name(name: str, width: int) -> str:
    """Where the `width` px WebP of the stored image `name` lives: beside the other
    renditions, under the original's path, so one original's renditions never collide."""
    return str(PurePosixPath(RENDITIONS_DIR, name).with_suffix("")) + f"-{width}w.webp"


def make_renditions(name: str) -> list[int]:
    """Writes the WebP renditions of the stored image `name` (replacing older ones) and
    returns their widths. An image Pillow cannot read gets none; the original still shows."""
    try:
        with default_storage.open(name, "rb") as handle, Image.open(handle) as source:
            # Uploads are checked against the same bound; a file stored before that was not.
            if source.width * source.height > MAX_IMAGE_PIXELS:
                raise Image.DecompressionBombError(f"{source.width}x{source.height}")
            # Draft mode lets the JPEG decoder scale by 1/2, 1/4 or 1/8 while decoding when
            # even the largest rendition is far smaller: a big photo never decodes in full.
            source.draft("RGB", (max(WIDTHS), max(WIDTHS) * source.height // source.width))
            image = source.convert("RGBA" if _has_alpha(source) else "RGB")
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError) as error:
        logger.warning("No renditions for %s: %s", name, error)
        return []
    made: list[int] = []
    for width in WIDTHS:
        if width > image.width:
            break
        height = max(1, round(image.height * width / image.width))
        buffer = io.BytesIO()
        image.resize((width, height), Image.Resampling.LANCZOS).save(
            buffer, format="WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD
        )
        target = rendition_name(name, width)
        if default_storage.exists(target):
            default_storage.delete(target)
        default_storage.save(target, ContentFile(buffer.getvalue()))
        made.append(width)
    return made


def delete_renditions(name: str) -> None:
    for width in WIDTHS:
        target = rendition_name(name, width)
        if default_storage.exists(target):
            default_storage.delete(target)


def rendition_widths(name: str) -> list[int]:
    """The widths stored for `name` (a stat per width: cheap on the local disk the media
    live on; with an object store, record the widths on the image row instead)."""
    widths: list[int] = []
    for width in WIDTHS:
        if not default_storage.exists(rendition_name(name, width)):
            break
        widths.append(width)
    return widths


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
