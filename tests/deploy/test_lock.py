"""Every install uses the locked versions: a newer parser or tokenizer changes the passages, and
with them the answers and every benchmark figure, from one machine to the next."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import PackageNotFoundError, version

from tests.deploy.conftest import REPO

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (REPO / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, sep, pinned = line.partition("==")
            assert sep, f"constraints.txt: {line!r} is not an exact pin"
            pins[canonical(name)] = pinned.strip()
    return pins


def declared() -> list[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["dev"]
    return [canonical(_NAME.match(requirement).group(0)) for requirement in requirements]


def test_every_declared_dependency_is_locked():
    missing = sorted(set(declared()) - set(locked()))
    assert not missing, f"not in constraints.txt (run scripts/lock.sh): {missing}"


def test_torch_is_pinned_on_its_own_not_in_the_lock():
    assert "torch" not in locked()


def test_setup_and_image_install_with_the_lock():
    assert "-c constraints.txt" in (REPO / "scripts" / "setup.sh").read_text()
    assert "-c constraints.txt" in (REPO / "Dockerfile").read_text()


def test_the_installed_versions_are_the_locked_ones():
    differ = {}
    for name, pinned in locked().items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            differ[name] = (pinned, None)
            continue
        if installed != pinned:
            differ[name] = (pinned, installed)
    assert not differ, f"installed differs from constraints.txt (re-run scripts/setup.sh): {differ}"
