"""Minimal PDFs written by hand, for what no installed tool writes: password protection.

The Standard security handler, revision 2 (40-bit RC4), as in PDF 1.4 §3.5.2: small
enough to implement here and still what real old PDFs use.
"""
from __future__ import annotations

import hashlib
import struct

PASSWORD_PADDING = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
PERMISSIONS = -44  # print + copy allowed
FILE_ID = bytes.fromhex("0123456789abcdef0123456789abcdef")


def rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def padded(password: str) -> bytes:
    return (password.encode("latin-1") + PASSWORD_PADDING)[:32]


def encryption_values(user: str, owner: str) -> tuple[bytes, bytes, bytes]:
    """(O, U, file key) for revision 2."""
    owner_key = hashlib.md5(padded(owner or user)).digest()[:5]
    o_value = rc4(owner_key, padded(user))
    key = hashlib.md5(padded(user) + o_value + struct.pack("<i", PERMISSIONS) + FILE_ID).digest()[:5]
    u_value = rc4(key, PASSWORD_PADDING)
    return o_value, u_value, key


def object_key(key: bytes, number: int) -> bytes:
    return hashlib.md5(key + struct.pack("<I", number)[:3] + b"\0\0").digest()[:10]


def text_pdf(lines: list[str], user_password: str | None = None, owner_password: str = "owner") -> bytes:
    """A one-page Helvetica PDF showing ``lines``; encrypted when ``user_password`` is given
    (use "" for a file that opens without a password but is still encrypted)."""
    content = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    stream = content.encode("latin-1")
    encrypted = user_password is not None
    if encrypted:
        o_value, u_value, key = encryption_values(user_password, owner_password)
        stream = rc4(object_key(key, 4), stream)
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
           b"/Resources << /Font << /F1 5 0 R >> >> >>",
        4: b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    if encrypted:
        objects[6] = (b"<< /Filter /Standard /V 1 /R 2 /O <" + o_value.hex().encode() + b"> /U <"
                      + u_value.hex().encode() + b"> /P %d >>" % PERMISSIONS)
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for number, body in objects.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for number in sorted(objects):
        out += b"%010d 00000 n \n" % offsets[number]
    trailer = b"<< /Size %d /Root 1 0 R /ID [<%s> <%s>]" % (len(objects) + 1, FILE_ID.hex().encode(), FILE_ID.hex().encode())
    if encrypted:
        trailer += b" /Encrypt 6 0 R"
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def many_page_pdf(page_lines: list[list[str]]) -> bytes:
    """A PDF with one page per item of ``page_lines`` (Helvetica text), written object by
    object so that thousands of pages cost no tool and little time. Pages share one font."""
    page_count = len(page_lines)
    font_number = 3
    first_page = 4  # page k is object first_page + 2k, its content stream the object after it
    kids = " ".join(f"{first_page + 2 * k} 0 R" for k in range(page_count))
    out = bytearray(b"%PDF-1.4\n")
    offsets: list[int] = []

    def add(body: bytes) -> None:
        offsets.append(len(out))
        out.extend(b"%d 0 obj\n" % len(offsets) + body + b"\nendobj\n")

    add(b"<< /Type /Catalog /Pages 2 0 R >>")
    add(b"<< /Type /Pages /Kids [" + kids.encode() + b"] /Count %d >>" % page_count)
    add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for k, lines in enumerate(page_lines):
        add(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (first_page + 2 * k + 1, font_number))
        escaped = (line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines)
        text = " ".join(f"({line}) '" for line in escaped)
        stream = f"BT /F1 12 Tf 72 720 Td 16 TL {text} ET".encode("latin-1")
        add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref)
    return bytes(out)


def long_plan_pages(count: int) -> list[list[str]]:
    """Pages of a long plan: a running header, two items of body text and a page number."""
    items = ["Organise the staff sports meeting", "Visit retired teachers", "Train the union committee",
             "Hold the staff congress", "Collect proposals from members", "Check the canteen accounts",
             "Plan the spring outing"]
    pages = []
    for page in range(1, count + 1):
        body = [f"({i + 1}) {items[(page + i) % len(items)]} of district {page * 2 - 1 + i} in the "
                f"{('spring', 'summer', 'autumn')[page % 3]}." for i in range(2)]
        pages.append(["Municipal Trade Union Work Plan", "", *body, *[""] * 36, f"- {page} -"])
    pages[0][1] = "Trade Union Work Plan for 2024"
    return pages
