"""Identities at rest: a petitioner's (检举控告工作规则 第四十七条) and the contact a resident leaves with an
objection to the published index. SM4 in GCM mode from the `cryptography` package, key
FIELD_ENCRYPTION_KEY (32 hex digits). One small module so that a certified cipher device can replace it
later without touching the rest.

A stored value is base64 of nonce (12 bytes) ‖ ciphertext ‖ tag; the record's own random id is bound
in as associated data, so a ciphertext copied onto another record does not decrypt. Repeat petitions are
found by a keyed hash (HMAC-SM3) of the normalised identity, never by decrypting every case.
"""

import base64
import os
import unicodedata

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12
TAG_BYTES = 16


def _key() -> bytes:
    try:
        key = bytes.fromhex(settings.FIELD_ENCRYPTION_KEY)
    except ValueError:
        key = b""
    if len(key) != 16:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be 32 hex digits (a 128-bit SM4 key).")
    return key


def encrypt(plaintext: str, *, context: str) -> str:
    """Encrypt `plaintext`; `context` (e.g. "petition:42:identity") must be given again to decrypt."""
    if not plaintext:
        return ""
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(_key()), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(context.encode())
    ciphertext = encryptor.update(plaintext.encode()) + encryptor.finalize()
    return base64.b64encode(nonce + ciphertext + encryptor.tag).decode()


def decrypt(stored: str, *, context: str) -> str:
    if not stored:
        return ""
    raw = base64.b64decode(stored)
    nonce, ciphertext, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(_key()), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(context.encode())
    return (decryptor.update(ciphertext) + decryptor.finalize()).decode()


def normalise_identity(text: str) -> str:
    """Full-width to half-width, no spaces, lower case: 张 三 / 张三 / ＺＨＡＮＧ match."""
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def identity_hash(text: str) -> str:
    """A keyed hash of the normalised identity (HMAC-SM3 under a key derived for this use only)."""
    if not text.strip():
        return ""
    derive = hashes.Hash(hashes.SM3())
    derive.update(_key() + b"lianjie:petitioner-identity-hash")
    mac = hmac.HMAC(derive.finalize(), hashes.SM3())
    mac.update(normalise_identity(text).encode())
    return mac.finalize().hex()
