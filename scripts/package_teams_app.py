#!/usr/bin/env python3
"""Build the Teams app package (a zip of manifest.json, color.png, outline.png) for upload.

    TEAMS_CLIENT_ID=<bot app id> python scripts/package_teams_app.py --domain bot.example.org

The manifest template is `bot/teams/app_package/manifest.json`; `${{NAME}}` placeholders are
filled from the options (the bot id from TEAMS_CLIENT_ID, by default read from the environment
or `.env`). Icons are generated with Pillow when missing (or with --regenerate-icons): a 192x192
colour icon and a 32x32 white-on-transparent outline icon, as Teams requires.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE_DIR = REPO / "bot" / "teams" / "app_package"
ACCENT = (31, 95, 139)  # #1F5F8B, the manifest's accentColor
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
PLACEHOLDER = re.compile(r"\$\{\{([A-Z_]+)\}\}")


class PackageError(Exception):
    """The package cannot be built as asked; the message says what to change."""


def draw_color_icon(path: Path, size: int = 192) -> None:
    """Full-colour icon: a white speech bubble with quote lines on the accent colour."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (size, size), ACCENT + (255,))
    draw = ImageDraw.Draw(image)
    s = size / 192
    draw.rounded_rectangle((36 * s, 40 * s, 156 * s, 128 * s), radius=18 * s, fill="white")
    draw.polygon([(60 * s, 126 * s), (60 * s, 156 * s), (90 * s, 126 * s)], fill="white")
    for i, width in enumerate((92, 76, 56)):
        top = (60 + 22 * i) * s
        draw.rounded_rectangle((50 * s, top, (50 + width) * s, top + 10 * s), radius=5 * s,
                               fill=ACCENT + (255,))
    image.save(path, "PNG")


def draw_outline_icon(path: Path, size: int = 32) -> None:
    """Outline icon: the same bubble in white on a transparent background."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((3, 5, 28, 22), radius=4, outline=(255, 255, 255, 255), width=2)
    draw.polygon([(8, 21), (8, 28), (14, 21)], fill=(255, 255, 255, 255))
    for i, width in enumerate((15, 11)):
        top = 10 + 5 * i
        draw.line((8, top, 8 + width, top), fill=(255, 255, 255, 255), width=2)
    image.save(path, "PNG")


def ensure_icons(regenerate: bool = False) -> tuple[Path, Path]:
    color, outline = PACKAGE_DIR / "color.png", PACKAGE_DIR / "outline.png"
    if regenerate or not color.exists():
        draw_color_icon(color)
    if regenerate or not outline.exists():
        draw_outline_icon(outline)
    return color, outline


def _fill(node, values: dict[str, str]):
    if isinstance(node, dict):
        return {key: _fill(value, values) for key, value in node.items()}
    if isinstance(node, list):
        return [_fill(item, values) for item in node]
    if isinstance(node, str):
        return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), node)
    return node


def render_manifest(values: dict[str, str]) -> dict:
    """The manifest with placeholders filled; refuses a bad bot id or a missing value."""
    client_id = values.get("TEAMS_CLIENT_ID") or ""
    if not GUID.match(client_id):
        raise PackageError(f"TEAMS_CLIENT_ID={client_id!r} is not the bot's Microsoft App ID "
                           "(a GUID such as 1b2c3d4e-…); set it or pass --client-id")
    template = json.loads((PACKAGE_DIR / "manifest.json").read_text(encoding="utf-8"))
    if not values.get("BOT_DOMAIN"):
        template.pop("validDomains", None)  # a bot-only app needs no domains
    manifest = _fill(template, values)
    left = sorted(set(PLACEHOLDER.findall(json.dumps(manifest))))
    if left:
        raise PackageError(f"no value for {', '.join(left)}")
    if len(manifest["name"]["short"]) > 30:
        raise PackageError(f"app name {manifest['name']['short']!r} is over 30 characters")
    return manifest


def build_package(values: dict[str, str], out: Path, *, regenerate_icons: bool = False) -> Path:
    color, outline = ensure_icons(regenerate_icons)
    manifest = render_manifest(values)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        archive.write(color, "color.png")
        archive.write(outline, "outline.png")
    return out


def _env_client_id() -> str | None:
    if os.environ.get("TEAMS_CLIENT_ID"):
        return os.environ["TEAMS_CLIENT_ID"]
    env_file = Path(".env")
    if env_file.is_file():
        from dotenv import dotenv_values

        return dotenv_values(env_file).get("TEAMS_CLIENT_ID")
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--client-id", default=None,
                        help="the bot's Microsoft App ID (default: TEAMS_CLIENT_ID)")
    parser.add_argument("--domain", default="", help="the bot's public host name (optional)")
    parser.add_argument("--name", default="Safeguarding Assistant", help="short app name")
    parser.add_argument("--version", default="1.0.0", help="app version (bump on each upload)")
    parser.add_argument("--developer", default="Safeguarding Children Partnership",
                        help="publisher name shown in Teams")
    parser.add_argument("--website", default="https://www.example.org",
                        help="partnership website (https)")
    parser.add_argument("--privacy-url", default=None, help="privacy notice (https)")
    parser.add_argument("--terms-url", default=None, help="terms of use (https)")
    parser.add_argument("--out", type=Path, default=Path("dist/sgbot-teams-app.zip"))
    parser.add_argument("--regenerate-icons", action="store_true")
    args = parser.parse_args(argv)
    values = {
        "TEAMS_CLIENT_ID": (args.client_id or _env_client_id() or "").strip(),
        "BOT_DOMAIN": args.domain.strip(),
        "APP_NAME": args.name, "APP_VERSION": args.version, "DEVELOPER_NAME": args.developer,
        "WEBSITE_URL": args.website, "PRIVACY_URL": args.privacy_url or args.website,
        "TERMS_URL": args.terms_url or args.website,
    }
    try:
        out = build_package(values, args.out, regenerate_icons=args.regenerate_icons)
    except PackageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {out} (upload it in Teams: Apps > Manage your apps > Upload an app)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
