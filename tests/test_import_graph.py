"""The import graph as ARCHITECTURE draws it: core at the bottom, every app importing only apps below it, no cycles,
and optional links between apps made through `core.hooks` or signals rather than by guessing at imports. Every
module of `src/cityexchange` is read with `ast` (imports at module level, inside functions and under
`TYPE_CHECKING`, plus every string that is exactly a project module's dotted name, as handed to `import_module`,
`import_string` or `apps.is_installed`), each module is mapped to its app, and each arrow between two apps is
checked against `LAYERS`. The project package's wiring modules (settings, urls, api, asgi, wsgi, __main__) may
import every app; no app may import them. Model relations named by string ("registry.City") are Django's lazy
references, not imports, and are not read here. Tests are outside the graph.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = "cityexchange"
SOURCE = Path(__file__).resolve().parent.parent / "src" / PACKAGE

# The one declared order, lowest first: an app may import the apps before it, never one after it. ARCHITECTURE
# names core (base models, errors, helpers) as the layer under everything, accounts (users, roles) before registry
# (cities, memberships) and the domain apps from the content up to the dashboards; where it is silent the order is
# today's dominant direction: challenges reuse the practices' readers and vocabulary, the translation desk
# translates practices and challenges, the matching engine indexes all three, governance's working groups show
# practices and challenges, cooperations start from challenges and practices, the forum turns meetings into
# cooperations and suggests partners through matching and governance, and insights reads everything.
LAYERS: tuple[str, ...] = (
    "core",
    "accounts",
    "registry",
    "practices",
    "challenges",
    "desk",
    "matching",
    "governance",
    "cooperation",
    "forum",
    "insights",
)

# Top-level modules of the project package that wire the apps together.
WIRING = frozenset({"settings", "urls", "api", "asgi", "wsgi", "__main__", "__init__"})

# Arrows against LAYERS that are still in the code, each named (importing file, imported module) with why it is
# still there. Remove an entry when its import goes; the test fails on a stale entry as on a new arrow. Empty: keep
# it so (ask the app above through core.hooks instead).
ALLOWED_AGAINST_THE_FLOW: dict[tuple[str, str], str] = {}


def names_a_module(text: str) -> bool:
    """Whether `text` is exactly a dotted name that starts with a module or package of the project."""
    parts = text.split(".")
    if parts[0] != PACKAGE or len(parts) < 2 or not all(p.isidentifier() for p in parts):
        return False
    path = SOURCE.joinpath(*parts[1:2])
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


@dataclass(frozen=True)
class Arrow:
    source: str  # file, relative to the package
    line: int
    target: str  # dotted module (or module.attribute) name
    guessed: bool = False  # an import inside try/except ImportError, or a module named by a string

    @property
    def from_app(self) -> str:
        return app_of(self.source.removesuffix(".py").replace("/", "."))

    @property
    def to_app(self) -> str:
        return app_of(self.target.removeprefix(PACKAGE + "."))

    def __str__(self) -> str:
        how = " (guessed)" if self.guessed else ""
        return f"{self.source}:{self.line} {self.from_app} -> {self.to_app} ({self.target}){how}"


def app_of(dotted: str) -> str:
    """`practices.views` -> "practices"; the wiring modules are "<project>"."""
    head = dotted.split(".", 1)[0]
    return "<project>" if head in WIRING or head in ("", PACKAGE) else head


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SOURCE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for name in names:
        ident = name.id if isinstance(name, ast.Name) else getattr(name, "attr", "")
        if ident in ("ImportError", "ModuleNotFoundError"):
            return True
    return False


def _imports_of(path: Path) -> list[Arrow]:
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    return arrows_in(path.read_text(encoding="utf-8"), str(path.relative_to(SOURCE)), package)


def arrows_in(text: str, source: str, package: str) -> list[Arrow]:
    """The project modules that the code `text` (the file `source`, in the dotted `package`) imports."""
    tree = ast.parse(text, filename=source)
    guarded: set[int] = set()  # ids of import nodes inside a `try` that catches ImportError
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(_catches_import_error(h) for h in node.handlers):
            for inner in node.body:
                guarded.update(id(n) for n in ast.walk(inner) if isinstance(n, (ast.Import, ast.ImportFrom)))
    arrows = []
    for node in ast.walk(tree):
        targets: list[str] = []
        guessed = id(node) in guarded
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                name = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            # `from cityexchange import practices` names the app in the alias
            targets = [f"{name}.{alias.name}" if name == PACKAGE else name for alias in node.names]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and names_a_module(node.value):
            # "cityexchange.x.y" handed to import_module, import_string, apps.is_installed or a helper of them
            targets, guessed = [node.value], True
        for target in targets:
            if target == PACKAGE or target.startswith(PACKAGE + "."):
                arrows.append(Arrow(source, getattr(node, "lineno", 0), target, guessed=guessed))
    return arrows


def all_arrows() -> list[Arrow]:
    """Every import between two different apps (or an app and the wiring) in the package."""
    arrows = []
    for path in sorted(SOURCE.rglob("*.py")):
        for arrow in _imports_of(path):
            if arrow.from_app != arrow.to_app:
                arrows.append(arrow)
    return arrows


def against_the_flow(arrow: Arrow) -> bool:
    if arrow.from_app == "<project>":
        return False  # the wiring may import every app
    if arrow.to_app == "<project>":
        return True  # an app never imports the wiring
    return LAYERS.index(arrow.to_app) > LAYERS.index(arrow.from_app)


def _key(arrow: Arrow) -> tuple[str, str]:
    return (arrow.source, arrow.target)


@pytest.fixture(scope="module")
def arrows() -> list[Arrow]:
    return all_arrows()


def test_every_app_has_its_place_in_the_layers() -> None:
    apps = {p.name for p in SOURCE.iterdir() if p.is_dir() and (p / "apps.py").exists()}
    assert apps == set(LAYERS), "place a new app in LAYERS (and in docs/development.md)"


def test_the_reader_sees_imports_of_every_kind(arrows: list[Arrow]) -> None:
    """The collector must find what the checks rely on, or they would pass on an empty graph."""
    code = """
from cityexchange.core.errors import NotFound
from ..registry import models
from . import selectors
import cityexchange.challenges.models

def later():
    from cityexchange.matching.search import search
    try:
        from cityexchange.forum import services
    except ImportError:
        pass
    importlib.import_module("cityexchange.cooperation.selectors")
    apps.is_installed("cityexchange.governance")
"""
    found = {(a.to_app, a.guessed) for a in arrows_in(code, "practices/views.py", "cityexchange.practices")}
    assert found == {
        ("core", False),
        ("registry", False),
        ("practices", False),
        ("challenges", False),
        ("matching", False),
        ("forum", True),
        ("cooperation", True),
        ("governance", True),
    }
    assert against_the_flow(Arrow("core/views.py", 1, "cityexchange.registry.models"))
    assert against_the_flow(Arrow("practices/views.py", 1, "cityexchange.urls"))
    assert not against_the_flow(Arrow("forum/services.py", 1, "cityexchange.cooperation.services"))
    assert not against_the_flow(Arrow("urls.py", 1, "cityexchange.insights.urls"))
    seen = {(a.from_app, a.to_app) for a in arrows}
    assert {("practices", "core"), ("<project>", "accounts"), ("matching", "practices")} <= seen


def test_no_arrow_against_the_layers(arrows: list[Arrow]) -> None:
    wrong = [a for a in arrows if against_the_flow(a) and _key(a) not in ALLOWED_AGAINST_THE_FLOW]
    assert not wrong, "imports against the order of LAYERS (docs/development.md):\n" + "\n".join(map(str, wrong))


def test_the_allowlist_holds_only_arrows_still_there(arrows: list[Arrow]) -> None:
    present = {_key(a) for a in arrows if against_the_flow(a) or (a.guessed and a.from_app != "<project>")}
    stale = sorted(set(ALLOWED_AGAINST_THE_FLOW) - present)
    assert not stale, f"these arrows are gone, remove them from ALLOWED_AGAINST_THE_FLOW: {stale}"


def test_no_import_guessing_between_apps(arrows: list[Arrow]) -> None:
    """Another app is imported plainly (when it is below) or reached through core.hooks / a signal (when it is
    above or optional): no `try: import ... except ImportError`, no module named by a string."""
    guessed = [a for a in arrows if a.guessed and a.from_app != "<project>" and _key(a) not in ALLOWED_AGAINST_THE_FLOW]
    assert not guessed, "import guessing between apps:\n" + "\n".join(map(str, guessed))


def test_no_field_name_guessing() -> None:
    """Another app's fields are known, not tried one after the other until Django stops raising FieldError."""
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                names = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
                if any(getattr(n, "id", getattr(n, "attr", "")) == "FieldError" for n in names):
                    found.append(f"{path.relative_to(SOURCE)}:{node.lineno}")
    assert not found, f"except FieldError (guessing field names): {found}"


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one app (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_cycle_between_apps(arrows: list[Arrow]) -> None:
    edges: dict[str, set[str]] = defaultdict(set)
    for arrow in arrows:
        if _key(arrow) not in ALLOWED_AGAINST_THE_FLOW:  # the known arrows against the flow close today's cycles
            edges[arrow.from_app].add(arrow.to_app)
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert not _cycles(edges), f"apps importing each other: {_cycles(edges)}"
