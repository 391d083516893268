"""Upload cleaning: every photo and workbook a user sends passes here before anything decodes it.

A compressed file can expand enormously. A 420 KB PNG of 12,000 × 12,000 pixels decodes to
more than half a gigabyte; a 175 KB workbook held 68 MB of shared strings. So the cheap part
is read first — an image's header, a zip's central directory — and anything over its budget
is refused before the expensive part runs. The budgets are settings:

- `LIANLUO_IMAGE_MAX_PIXELS`: the most pixels an image may decode to (JPEGs up to four times
  that are decoded at half size by the JPEG decoder itself, so a 48 MP phone photo passes);
- `LIANLUO_XLSX_MAX_UNCOMPRESSED`: what a workbook may unpack to in all (the sheets are
  streamed, so this bounds the time of the check);
- `LIANLUO_XLSX_MAX_SHARED_PARTS`: what its parts read whole may unpack to — everything but
  the sheets: shared strings, styles, the workbook (this bounds the memory).

Every entry point calls `image_clean` (photos re-encoded without metadata), `evidence_clean`
(a photo or a PDF) or `xlsx_check`."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lianluo.core.errors import DomainError

if TYPE_CHECKING:
    from PIL import Image

# A JPEG over the budget by at most this factor in each dimension is decoded scaled down by it.
JPEG_SCALE = 2


@cache
def _pillow() -> None:
    """Import Pillow (on the first photo, not in every process: a few MB) and set its guards,
    once. Pillow's own guard is process-wide: warn above, refuse at twice this many pixels; set
    above what `image_open` lets through, as a backstop. Text chunks of a PNG are inflated when
    its header is read (64 MB in all by default), and we drop them anyway."""
    from PIL import Image, PngImagePlugin

    Image.MAX_IMAGE_PIXELS = JPEG_SCALE**2 * settings.LIANLUO_IMAGE_MAX_PIXELS
    PngImagePlugin.MAX_TEXT_MEMORY = 4 * 2**20


# A roster workbook has about ten parts; a part over 1 MB that deflated more than this is not
# a spreadsheet anyone typed (measured: sheets 8:1, themes 6:1; deflate's ceiling is ~1030:1).
XLSX_MAX_MEMBERS = 500
XLSX_MAX_RATIO = 200
XLSX_RATIO_FROM = 2**20


class UploadError(StrEnum):
    """Stable codes of refused uploads."""

    NOT_AN_IMAGE = "not_an_image"
    IMAGE_TOO_LARGE = "image_too_large"
    IMAGE_UNREADABLE = "image_unreadable"
    WORKBOOK_TOO_LARGE = "workbook_too_large"
    WORKBOOK_UNREADABLE = "workbook_unreadable"
    NOT_EVIDENCE = "invalid_value"  # the code evidence refusals had before they moved here


MESSAGES: dict[str, Promise] = {
    UploadError.NOT_AN_IMAGE: _("“%(name)s” is not a photo (JPEG, PNG or WebP)."),
    UploadError.IMAGE_TOO_LARGE: _(
        "“%(name)s” has too many pixels: at most %(megapixels)s megapixels."
        " Send a smaller photo (or a screenshot of it)."
    ),
    UploadError.IMAGE_UNREADABLE: _("“%(name)s” could not be read as a photo."),
    UploadError.WORKBOOK_TOO_LARGE: _(
        "The workbook unpacks to more than %(limit)s (%(part)s). Split it into smaller files,"
        " or delete empty rows and formatting beyond the data."
    ),
    UploadError.WORKBOOK_UNREADABLE: _("The file could not be read as an Excel workbook (.xlsx)."),
}


def refusal_message(code: str, params: dict[str, Any]) -> str:
    """The message of a refusal in the current language."""
    return str(MESSAGES[code]) % params


class UploadRefused(DomainError):
    """An upload refused before it was decoded; `params` render the message again in another
    language (the import report is read later, maybe by someone else)."""

    def __init__(self, code: str, **params: Any):
        self.params = params
        super().__init__(code, refusal_message(code, params))


# ---- images -----------------------------------------------------------------------------------


# Pillow format → (format to write, content type, file extension). MPO is a phone's JPEG with a
# second picture (depth map, preview) appended: the first is kept.
IMAGE_FORMATS: dict[str, tuple[str, str, str]] = {
    "JPEG": ("JPEG", "image/jpeg", "jpg"),
    "MPO": ("JPEG", "image/jpeg", "jpg"),
    "PNG": ("PNG", "image/png", "png"),
    "WEBP": ("WEBP", "image/webp", "webp"),
}


@dataclass(frozen=True)
class CleanImage:
    """An uploaded image decoded within budget, oriented, and re-encoded without metadata."""

    content: bytes
    content_type: str
    width: int
    height: int

    @property
    def extension(self) -> str:
        return self.content_type.removeprefix("image/").replace("jpeg", "jpg")


def image_max_pixels() -> int:
    return int(settings.LIANLUO_IMAGE_MAX_PIXELS)


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.2f}".rstrip("0").rstrip(".")


def image_open(data: bytes, *, name: str = "") -> Image.Image:
    """The image with its header read and no pixel decoded yet, set to decode within the pixel
    budget; refused (`UploadRefused`) when it is not a JPEG, PNG or WebP or would decode to
    more pixels than the budget. Cheap: call it for every file of a request before decoding
    any. The caller closes the image."""
    _pillow()
    from PIL import Image, UnidentifiedImageError

    budget = image_max_pixels()
    try:
        # Only these decoders look at the file (an MPO is found by the JPEG one).
        img = Image.open(io.BytesIO(data), formats=["JPEG", "PNG", "WEBP"])
    except Image.DecompressionBombError as exc:  # Pillow's backstop, far over our budget
        raise UploadRefused(
            UploadError.IMAGE_TOO_LARGE, name=name, megapixels=_megapixels(budget)
        ) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise UploadRefused(UploadError.NOT_AN_IMAGE, name=name) from exc
    if img.format not in IMAGE_FORMATS:
        img.close()
        raise UploadRefused(UploadError.NOT_AN_IMAGE, name=name)
    width, height = img.size
    scale_down = img.format in ("JPEG", "MPO") and budget < width * height <= JPEG_SCALE**2 * budget
    if scale_down:
        # DCT scaling: the decoder produces the half-size picture directly, never the full one.
        img.draft(None, (width // JPEG_SCALE, height // JPEG_SCALE))
    if img.width * img.height > budget:
        img.close()
        raise UploadRefused(UploadError.IMAGE_TOO_LARGE, name=name, megapixels=_megapixels(budget))
    return img


def image_clean(data: bytes, *, name: str = "") -> CleanImage:
    """Decode a photo within the pixel budget, apply its EXIF orientation, and re-encode it
    without metadata (no GPS position, no camera serial). JPEG and MPO become JPEG; PNG and
    WebP keep their format. Refusals are `UploadRefused` with the file's name."""
    from PIL import Image, ImageOps

    with image_open(data, name=name) as opened:
        out_format, content_type, _extension = IMAGE_FORMATS[opened.format or "JPEG"]
        try:
            ImageOps.exif_transpose(opened, in_place=True)  # in place: one copy of the pixels
            img: Image.Image = opened
            if out_format == "JPEG" and img.mode not in ("RGB", "L"):
                img = img.convert("RGB")
            buf = io.BytesIO()
            img.save(buf, format=out_format, quality=85)  # no exif=: the metadata is dropped
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
            raise UploadRefused(UploadError.IMAGE_UNREADABLE, name=name) from exc
        return CleanImage(buf.getvalue(), content_type, img.width, img.height)


# ---- workbooks --------------------------------------------------------------------------------


def _is_sheet(member: str) -> bool:
    # Worksheets are streamed row by row; every other part is read whole into memory.
    return member.startswith("xl/worksheets/") and member.endswith(".xml")


def xlsx_check(fileobj: IO[bytes]) -> None:
    """Refuse a workbook from its zip directory before any part is inflated: too many parts, a
    part that deflated suspiciously well, or more unpacked bytes than the settings allow
    (`UploadRefused`: `workbook_too_large`, or `workbook_unreadable` for what is not a zip).

    The sizes come from the central directory; a part that inflates to more than its declared
    size is cut there by `zipfile` and then fails its CRC check, so a lying directory gains
    nothing. Leaves the file at its start."""
    total_limit = int(settings.LIANLUO_XLSX_MAX_UNCOMPRESSED)
    shared_limit = int(settings.LIANLUO_XLSX_MAX_SHARED_PARTS)
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise UploadRefused(UploadError.WORKBOOK_UNREADABLE) from exc
    finally:
        fileobj.seek(0)
    if len(members) > XLSX_MAX_MEMBERS:
        raise UploadRefused(
            UploadError.WORKBOOK_TOO_LARGE,
            limit=_("%(count)d parts") % {"count": XLSX_MAX_MEMBERS},
            part=_("%(count)d parts") % {"count": len(members)},
        )
    total = shared = 0
    for m in members:
        total += m.file_size
        if not _is_sheet(m.filename):
            shared += m.file_size
        if shared > shared_limit:
            raise UploadRefused(
                UploadError.WORKBOOK_TOO_LARGE,
                limit=filesizeformat(shared_limit),
                part=f"{m.filename}: {filesizeformat(m.file_size)}",
            )
    if total > total_limit:
        raise UploadRefused(
            UploadError.WORKBOOK_TOO_LARGE,
            limit=filesizeformat(total_limit),
            part=filesizeformat(total),
        )
    for m in members:
        if m.file_size > XLSX_RATIO_FROM and m.file_size > XLSX_MAX_RATIO * m.compress_size:
            raise UploadRefused(
                UploadError.WORKBOOK_TOO_LARGE,
                limit=filesizeformat(XLSX_MAX_RATIO * m.compress_size),
                part=f"{m.filename}: {filesizeformat(m.file_size)}",
            )


# ---- evidence files (a photo or a PDF) --------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """A checked evidence file (a 七有 item's, a duty entry's): images are re-encoded without
    metadata (no GPS)."""

    content: bytes
    extension: str


def evidence_max_bytes() -> int:
    return int(getattr(settings, "LIANLUO_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))


def evidence_clean(data: bytes, *, name: str = "") -> Evidence:
    """A photo (JPEG, PNG, WebP: checked against the pixel budget, re-encoded without metadata)
    or a PDF (kept as sent: nothing here renders it); anything else is refused."""
    if data[:5] == b"%PDF-":
        return Evidence(data, "pdf")
    try:
        image = image_clean(data, name=name or "evidence")
    except UploadRefused as exc:
        if exc.code == UploadError.IMAGE_TOO_LARGE:
            raise  # the reason itself, at the field
        raise DomainError(
            UploadError.NOT_EVIDENCE,
            _("Evidence must be a photo (JPEG, PNG or WebP) or a PDF."),
            field="evidence",
        ) from exc
    return Evidence(image.content, image.extension)


def evidence_from_upload(upload: Any) -> Evidence:
    """An uploaded evidence file, checked for a form: within `LIANLUO_EVIDENCE_MAX_BYTES`, then
    `evidence_clean`; a refusal is the form's ValidationError (the 七有 checklist's and the duty
    record's forms, the duty API)."""
    from django import forms

    limit = evidence_max_bytes()
    if upload.size > limit:
        raise forms.ValidationError(
            _("“%(name)s” is larger than %(limit)d MB."),
            params={"name": upload.name, "limit": limit // 2**20},
        )
    try:
        return evidence_clean(upload.read(), name=upload.name)
    except DomainError as exc:
        raise forms.ValidationError(str(exc.message)) from exc
