"""The public-face contracts of pyproject.toml list every private module of every app: a new
top-level module (or test helper) that nobody adds there would be importable by any app,
and import-linter would never say so."""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "learning", "mentorship", "growth", "therapy")
PUBLIC = {"services", "selectors", "signals", "registry", "tests", "demo"}


def _children(package: Path) -> set[str]:
    return {
        path.stem
        for path in package.iterdir()
        if not path.name.startswith("__")
        and ((path.is_dir() and (path / "__init__.py").exists()) or path.suffix == ".py")
    }


def _protected() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = {
        module
        for contract in config["tool"]["importlinter"]["contracts"]
        if contract["type"] == "protected"
        for module in contract["protected_modules"]
    }
    # A commented-out entry is a known gap, said so beside it.
    commented = set(re.findall(r'^\s*# "([a-z_.]+)",', (ROOT / "pyproject.toml").read_text(), re.MULTILINE))
    return listed | commented


@pytest.mark.parametrize("app", APPS)
def test_every_private_module_of_an_app_is_protected(app: str) -> None:
    private = {f"{app}.{name}" for name in _children(ROOT / app) - PUBLIC}
    assert private - _protected() == set()


@pytest.mark.parametrize("app", APPS)
def test_every_test_helper_and_the_demo_package_are_protected(app: str) -> None:
    helpers = {f"{app}.tests.{name}" for name in _children(ROOT / app / "tests") if not name.startswith("test_")}
    assert helpers | {f"{app}.demo"} <= _protected()
