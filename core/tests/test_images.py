"""The upload pipeline on its own: what it accepts, what it rejects, and what it writes."""

import io
import struct

import pillow_heif
import pytest
from PIL import ExifTags, Image, ImageCms

from core import images
from core.errors import PayloadTooLarge, ServiceError
from core.tests.images import bomb_png, image_bytes

LIMIT = 50_000_000


def process(data: bytes, max_pixels: int = LIMIT) -> images.ProcessedUpload:
    return images.process_upload(data, max_pixels=max_pixels)


def decoded(encoded: images.EncodedImage) -> Image.Image:
    image = Image.open(io.BytesIO(encoded.content))
    assert image.format == encoded.format
    return image


def close_to(actual, expected, tolerance: int = 8) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


# --- what comes out ----------------------------------------------------------------------


def test_jpeg_is_reencoded_with_its_size_and_the_upload_hash():
    data = image_bytes((120, 80), (200, 120, 80))
    result = process(data)
    assert (result.image.format, result.image.width, result.image.height) == ("JPEG", 120, 80)
    assert result.image.content != data
    assert result.sha256 == images.sha256_of(data)
    assert close_to(decoded(result.image).getpixel((60, 40)), (200, 120, 80))


def test_thumbnail_is_webp_with_a_long_side_of_512():
    result = process(image_bytes((1600, 900)))
    thumbnail = decoded(result.thumbnail)
    assert thumbnail.format == "WEBP"
    assert thumbnail.size == (512, 288)


def test_small_images_keep_their_size_in_the_thumbnail():
    assert decoded(process(image_bytes((100, 60))).thumbnail).size == (100, 60)


def test_exif_orientation_is_applied():
    stored = Image.new("RGB", (40, 20), (255, 0, 0))
    stored.paste((0, 0, 255), (20, 0, 40, 20))  # left red, right blue
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # shown rotated 90° clockwise
    buffer = io.BytesIO()
    stored.save(buffer, format="JPEG", exif=exif, quality=95)
    upright = decoded(process(buffer.getvalue()).image)
    assert upright.size == (20, 40)
    assert close_to(upright.getpixel((10, 5)), (255, 0, 0), 30)
    assert close_to(upright.getpixel((10, 35)), (0, 0, 255), 30)
    assert ExifTags.Base.Orientation not in upright.getexif()


def test_exif_gps_xmp_and_comments_are_removed():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretCam"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (52.0, 31.0, 12.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (13.0, 24.0, 36.0),
    }
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>secret-xmp</rdf:RDF></x:xmpmeta>'
    data = image_bytes(exif=exif, comment=b"secret-comment", xmp=xmp)
    source = Image.open(io.BytesIO(data))
    assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the input really carries GPS
    assert "xmp" in source.info and "comment" in source.info

    result = process(data)
    cleaned = decoded(result.image)
    assert not cleaned.getexif()
    assert not {"exif", "xmp", "comment", "icc_profile"} & set(cleaned.info)
    for secret in (b"Exif", b"SecretCam", b"secret-xmp", b"secret-comment", b"adobe:ns:meta"):
        assert secret not in result.image.content
        assert secret not in result.thumbnail.content


def test_png_text_chunks_and_exif_are_removed():
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "secret-author")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretCam"
    data = image_bytes(mode="RGBA", color=(1, 2, 3, 100), format="PNG", pnginfo=text, exif=exif)
    result = process(data)
    assert result.image.format == "PNG"
    assert b"secret-author" not in result.image.content
    assert b"SecretCam" not in result.image.content
    assert not decoded(result.image).getexif()


def test_cmyk_becomes_rgb():
    data = image_bytes(mode="CMYK", color=(0, 255, 255, 0))  # pure red in CMYK
    image = decoded(process(data).image)
    assert image.mode == "RGB"
    assert close_to(image.getpixel((0, 0)), (255, 0, 0), 20)


def test_palette_with_transparency_keeps_alpha_as_png():
    palette_image = Image.new("P", (20, 10), 1)
    palette_image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    palette_image.paste(0, (0, 0, 10, 10))
    buffer = io.BytesIO()
    palette_image.save(buffer, format="PNG", transparency=0)
    result = process(buffer.getvalue())
    image = decoded(result.image)
    assert (result.image.format, image.mode) == ("PNG", "RGBA")
    assert image.getpixel((2, 2))[3] == 0
    assert image.getpixel((15, 5)) == (255, 0, 0, 255)


def test_palette_without_transparency_becomes_rgb_jpeg():
    palette_image = Image.new("P", (20, 10), 0)
    palette_image.putpalette([0, 128, 255] + [0] * 765)
    buffer = io.BytesIO()
    palette_image.save(buffer, format="PNG")
    result = process(buffer.getvalue())
    assert result.image.format == "JPEG"
    assert close_to(decoded(result.image).getpixel((5, 5)), (0, 128, 255))


def test_grey_with_alpha_keeps_alpha():
    data = image_bytes(mode="LA", color=(90, 128), format="PNG")
    image = decoded(process(data).image)
    assert image.mode == "RGBA"
    assert image.getpixel((3, 3)) == (90, 90, 90, 128)


def test_grey_becomes_rgb():
    image = decoded(process(image_bytes(mode="L", color=77)).image)
    assert image.mode == "RGB"
    assert close_to(image.getpixel((3, 3)), (77, 77, 77), 2)


def test_16_bit_grey_is_scaled_not_clipped():
    data = image_bytes(mode="I;16", color=40000, format="PNG")
    assert Image.open(io.BytesIO(data)).mode.startswith("I")
    image = decoded(process(data).image)
    assert image.mode == "RGB"
    assert close_to(image.getpixel((3, 3)), (156, 156, 156), 2)


def test_opaque_rgba_becomes_jpeg_and_transparent_rgba_stays_png():
    opaque = process(image_bytes(mode="RGBA", color=(10, 20, 30, 255), format="PNG"))
    assert opaque.image.format == "JPEG"
    translucent = process(image_bytes(mode="RGBA", color=(10, 20, 30, 40), format="PNG"))
    assert translucent.image.format == "PNG"
    assert decoded(translucent.image).getpixel((1, 1)) == (10, 20, 30, 40)
    assert decoded(translucent.thumbnail).mode == "RGBA"


def test_webp_is_accepted():
    result = process(image_bytes((30, 20), (0, 200, 0), format="WEBP", lossless=True))
    assert result.source_format == "WEBP"
    assert close_to(decoded(result.image).getpixel((5, 5)), (0, 200, 0))


def test_heic_is_accepted():
    pillow_heif.register_heif_opener()
    data = image_bytes((64, 32), (200, 30, 30), format="HEIF", quality=95)
    result = process(data)
    assert result.source_format == "HEIF"
    assert (result.image.format, result.image.width, result.image.height) == ("JPEG", 64, 32)
    assert close_to(decoded(result.image).getpixel((30, 15)), (200, 30, 30), 20)


@pytest.mark.parametrize("file_format", ["PNG", "WEBP"])
def test_animated_png_and_webp_keep_the_first_frame(file_format):
    frames = [Image.new("RGB", (16, 16), color) for color in ((255, 0, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    options = {"lossless": True} if file_format == "WEBP" else {}
    frames[0].save(
        buffer, format=file_format, save_all=True, append_images=frames[1:], duration=100, **options
    )
    assert Image.open(io.BytesIO(buffer.getvalue())).n_frames == 2
    image = decoded(process(buffer.getvalue()).image)
    assert close_to(image.getpixel((8, 8)), (255, 0, 0))


def _swapped_primaries_profile() -> bytes:
    """A minimal ICC v2 RGB profile whose red and green primaries are sRGB's, swapped."""

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ " + bytes(4) + struct.pack(">3i", *(round(v * 65536) for v in (x, y, z)))

    curve = b"curv" + bytes(4) + struct.pack(">IH", 1, int(2.2 * 256)) + bytes(2)
    tags = [
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.3851, 0.7169, 0.0971)),  # sRGB's green primary
        (b"gXYZ", xyz(0.4361, 0.2225, 0.0139)),  # sRGB's red primary
        (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags:
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = (
        struct.pack(">I4sI4s4s4s", size, b"lcms", 0x02100000, b"mntr", b"RGB ", b"XYZ ")
        + bytes(12)
        + b"acsp"
        + bytes(24)
        + struct.pack(">I", 0)
        + struct.pack(">3i", *(round(v * 65536) for v in (0.9642, 1.0, 0.8249)))
        + bytes(48)
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body


def test_embedded_icc_profile_is_converted_to_srgb_and_dropped():
    profile = _swapped_primaries_profile()
    ImageCms.ImageCmsProfile(io.BytesIO(profile))  # lcms accepts it
    data = image_bytes(color=(255, 0, 0), icc_profile=profile, quality=95)
    result = process(data)
    image = decoded(result.image)
    assert "icc_profile" not in image.info
    red, green, blue = image.getpixel((5, 5))
    assert green > 200 and red < 60 and blue < 60  # "red" in that profile is sRGB green


def test_broken_icc_profile_is_ignored():
    data = image_bytes(color=(30, 60, 90), icc_profile=b"not a profile at all")
    image = decoded(process(data).image)
    assert "icc_profile" not in image.info
    assert close_to(image.getpixel((5, 5)), (30, 60, 90))


# --- what is refused ---------------------------------------------------------------------


def refused(data: bytes, max_pixels: int = LIMIT) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        process(data, max_pixels)
    assert caught.value.status == 400
    return caught.value


def test_text_file_is_refused():
    error = refused(b"hello, this is not a photo\n" * 20)
    assert error.code == "unsupported_type"
    assert "JPEG, PNG, WebP or HEIC" in error.message


def test_gif_is_refused_by_name():
    error = refused(image_bytes(format="GIF"))
    assert error.code == "unsupported_type"
    assert "GIF is not supported" in error.message


@pytest.mark.parametrize("file_format", ["BMP", "TIFF"])
def test_other_image_types_are_refused(file_format):
    assert refused(image_bytes(format=file_format)).code == "unsupported_type"


def test_truncated_jpeg_is_refused():
    data = image_bytes((400, 300), (10, 200, 30))
    assert refused(data[: len(data) // 2]).code == "unreadable_image"


def test_png_with_corrupt_data_is_refused():
    data = bytearray(image_bytes((50, 50), format="PNG"))
    start = data.index(b"IDAT") + 4
    data[start : start + 20] = bytes(20)
    assert refused(bytes(data)).code == "unreadable_image"


def test_too_many_pixels_is_refused_before_decoding():
    error = refused(image_bytes((200, 100)), max_pixels=19_999)
    assert error.code == "too_many_pixels"
    assert "0.019999 megapixels" in error.message


def test_decompression_bomb_is_refused_by_our_limit():
    assert refused(bomb_png(30_000, 30_000)).code == "too_many_pixels"


def test_decompression_bomb_is_refused_by_pillow_too():
    """Even with our limit lifted, Pillow's bomb check turns into the same clear 400."""
    assert refused(bomb_png(30_000, 30_000), max_pixels=10**12).code == "too_many_pixels"


def test_pillow_bomb_warning_is_refused():
    side = int((Image.MAX_IMAGE_PIXELS * 1.2) ** 0.5)
    assert refused(bomb_png(side, side), max_pixels=10**12).code == "too_many_pixels"


def test_read_limited_refuses_large_and_empty_files():
    with pytest.raises(PayloadTooLarge) as too_large:
        images.read_limited(io.BytesIO(b"x" * 101), max_bytes=100)
    assert too_large.value.status == 413
    assert images.read_limited(io.BytesIO(b"x" * 100), max_bytes=100) == b"x" * 100
    with pytest.raises(ServiceError) as empty:
        images.read_limited(io.BytesIO(b""), max_bytes=100)
    assert (empty.value.status, empty.value.code) == (400, "empty_file")
