"""Saved web pages in one file (MHTML), made by real writers: Python's ``email`` package
(a MIME ``multipart/related`` message, as Word and old IE write it) and Chromium itself
(``Page.captureSnapshot`` over the DevTools pipe, what "Save page as… single file" does)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

CHROMIUM_NAMES = ("/usr/lib/chromium/chromium", "chromium", "chromium-browser", "google-chrome")


def email_mhtml(html: str, charset: str = "gb2312", *, image_first: bool = False, start: bool = True) -> bytes:
    """An MHTML file of ``html`` in ``charset``, quoted-printable, with an image part
    (first, when ``image_first``; then only the ``start`` parameter says which part is the page)."""
    message = EmailMessage()
    message["Subject"] = "saved page"
    message["MIME-Version"] = "1.0"
    message.make_related()
    image = (b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, "image", "png", "<logo@page>")
    page = (html.encode(charset), "text", "html", "<page@page>")
    for data, maintype, subtype, cid in ((image, page) if image_first else (page, image)):
        extra = {"params": {"charset": charset}, "cte": "quoted-printable"} if maintype == "text" else {}
        message.add_related(data, maintype=maintype, subtype=subtype, cid=cid, **extra)
    if start:
        message.set_param("start", "<page@page>")
    return bytes(message)


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name) or (name if os.path.isfile(name) and os.access(name, os.X_OK) else None)
        if found:
            return found
    return None


def chromium_mhtml(chromium: str, page: Path, timeout_s: float = 60.0) -> bytes:
    """Chromium (headless) opens ``page`` and saves it as MHTML, driven over
    ``--remote-debugging-pipe``: JSON commands on fd 3, replies on fd 4, NUL-separated."""
    to_browser_r, to_browser_w = os.pipe()
    from_browser_r, from_browser_w = os.pipe()

    def wire_fds() -> None:  # in the child: the pipe ends at fds 3 and 4, inheritable
        for src, dst in ((to_browser_r, 3), (from_browser_w, 4)):
            if src == dst:
                os.set_inheritable(dst, True)
            else:
                os.dup2(src, dst)

    profile = tempfile.mkdtemp(prefix="planparse-chromium-")
    process = subprocess.Popen(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
         f"--user-data-dir={profile}", "about:blank"],
        preexec_fn=wire_fds, close_fds=False, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(to_browser_r)
    os.close(from_browser_w)
    pending, counter = b"", 0

    def send(method: str, params: dict | None = None, session: str | None = None) -> int:
        nonlocal counter
        counter += 1
        message = {"id": counter, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(to_browser_w, json.dumps(message).encode() + b"\0")
        return counter

    def wait_for(test) -> dict:
        nonlocal pending
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            while b"\0" in pending:
                raw, pending = pending.split(b"\0", 1)
                message = json.loads(raw)
                if test(message):
                    return message
            chunk = os.read(from_browser_r, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            pending += chunk
        raise TimeoutError("Chromium did not answer in time")

    def call(method: str, params: dict | None = None, session: str | None = None) -> dict:
        ident = send(method, params, session)
        return wait_for(lambda m: m.get("id") == ident).get("result", {})

    try:
        target = call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        call("Page.enable", session=session)
        call("Page.navigate", {"url": page.resolve().as_uri()}, session=session)
        wait_for(lambda m: m.get("method") == "Page.loadEventFired")
        return call("Page.captureSnapshot", {"format": "mhtml"}, session=session)["data"].encode("utf-8")
    finally:
        process.kill()
        process.wait()
        os.close(to_browser_w)
        os.close(from_browser_r)
        shutil.rmtree(profile, ignore_errors=True)
