"""Household cards read from what the public has: the typed value or a photo of the card's QR code.

The card (oracle.pseudonym.render_card) carries only the pseudonymous household id.
"""

from __future__ import annotations

import io

from oracle.pseudonym import CardError, parse_card


def card_from_text(text: str) -> bytes:
    """The household id from a typed card value or QR payload; CardError if it is neither."""
    return parse_card(text)


def card_from_image(content: bytes) -> bytes:
    """The household id from an image holding the card's QR code; CardError if none is readable."""
    import zxingcpp
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(content)).convert("RGB")
    except (UnidentifiedImageError, OSError) as exc:
        raise CardError(f"The upload is not an image ({exc}).") from exc
    for code in zxingcpp.read_barcodes(image):
        try:
            return parse_card(code.text)
        except CardError:
            continue
    raise CardError("No household card QR code was found in the image; photograph the code flat and in focus.")
