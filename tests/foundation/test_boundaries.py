"""The import rule of ARCHITECTURE.md, checked on the source: dependencies point down.

Every import statement of the tree is read with `ast` (imports inside functions too, and the dotted
names given to `include()` and `import_module()`), except migrations and tests. The test fails when
the foundation `zone_portal/` imports a domain app, when top-level packages import each other in a
circle (directly or through others), and when an app imports a module of another app other than its
public faces `models`, `actions` and `selectors`. A URL name is an import by another name: the
foundation's code and templates name no app's URL either (`"<app>:…"`).
"""

import ast
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FOUNDATION = "zone_portal"
PUBLIC_MODULES = {"models", "actions", "selectors"}
NOT_SOURCE = {"migrations", "tests", ".venv", "var", "node_modules"}
DYNAMIC_IMPORTS = {"include", "import_module"}


def _packages() -> set[str]:
    return {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in NOT_SOURCE and not path.parent.name.startswith(".")
    }


PACKAGES = _packages()
APPS = PACKAGES - {FOUNDATION}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join(base + ([node.module] if node.module else []))


def _imported_names(path: Path) -> list[tuple[int, str]]:
    """(line, dotted name) of everything the file imports; `from a import b` gives `a.b`."""
    module = _module_name(path)
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(node, module, path.name == "__init__.py")
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) in DYNAMIC_IMPORTS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def _imports() -> list[tuple[str, str, str]]:
    """(importing package, imported name, "path:line") for every import between top-level packages."""
    found = []
    for package in sorted(PACKAGES):
        for path in sorted((ROOT / package).rglob("*.py")):
            if NOT_SOURCE.intersection(path.relative_to(ROOT).parts):
                continue
            for line, name in _imported_names(path):
                top = name.split(".")[0]
                if top in PACKAGES and top != package:
                    found.append((package, name, f"{path.relative_to(ROOT)}:{line}"))
    return found


IMPORTS = _imports()


def test_the_walk_sees_the_packages_and_their_imports():
    # Guards the three tests below against passing on a walk that found nothing to check.
    assert FOUNDATION in PACKAGES and len(APPS) >= 4, PACKAGES
    assert any(package != FOUNDATION and name.startswith(FOUNDATION) for package, name, _ in IMPORTS)


def test_the_foundation_imports_no_domain_app():
    upward = [f"{where}: {name}" for package, name, where in IMPORTS if package == FOUNDATION]
    assert upward == [], "the foundation imports a domain app:\n" + "\n".join(upward)


def test_no_two_packages_import_each_other_even_through_others():
    graph = defaultdict(dict)  # package -> {imported package: where, first seen}
    for package, name, where in IMPORTS:
        graph[package].setdefault(name.split(".")[0], where)

    def reachable(start):
        seen, todo = set(), [start]
        while todo:
            for target in graph[todo.pop()]:
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        return seen

    reach = {package: reachable(package) for package in PACKAGES}
    circles = sorted(
        f"{a} → {b} ({where})"
        for a in PACKAGES
        for b, where in graph[a].items()
        if a in reach[b]  # b leads back to a: this import closes a circle
    )
    assert circles == [], "imports that close a circle between packages:\n" + "\n".join(circles)


# The dependency order of ARCHITECTURE.md: a package imports only packages of a lower layer. Work
# safety (`safety`) is a kind of case of its own on the enterprises (an inspection is of an
# enterprise) and needs nothing of the services, projects or problems, so it sits beside them.
# A package not listed here is held by the circle test above only.
LAYERS = {
    "zone_portal": 0,
    "enterprises": 1,
    "services": 2,
    "projects": 2,
    "safety": 2,
    "feedback": 3,
    "supervision": 4,
}


def test_imports_point_down_the_layers():
    upward = [
        f"{where}: {name}"
        for package, name, where in IMPORTS
        if package in LAYERS
        and name.split(".")[0] in LAYERS
        and LAYERS[name.split(".")[0]] >= LAYERS[package]
    ]
    assert upward == [], "an import that does not point down the layers:\n" + "\n".join(upward)


def test_an_app_uses_another_only_through_its_models_actions_and_selectors():
    private = [
        f"{where}: {name}"
        for package, name, where in IMPORTS
        if package in APPS
        and name.split(".")[0] in APPS
        and (len(name.split(".")) < 2 or name.split(".")[1] not in PUBLIC_MODULES)
    ]
    assert private == [], "an app reaches into another app's private module:\n" + "\n".join(private)


def _url_names_in(path: Path) -> list[tuple[int, str]]:
    """(line, text) of the app URL names (`"<app>:…"`) a source file holds: in Python the string
    constants other than docstrings (an example in prose is no link; comments are not read), in a
    template its text outside {# comments #} and {% comment %} blocks."""
    names = "|".join(sorted(APPS))
    quoted = re.compile(rf"""["'](?:{names}):""")
    text = path.read_text()
    if path.suffix == ".html":
        blank = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)
        text = blank.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
        return [(n, m.group(0)) for n, line in enumerate(text.splitlines(), 1) for m in quoted.finditer(line)]
    tree = ast.parse(text, str(path))
    prose = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in prose
        and (re.match(rf"(?:{names}):", node.value) or quoted.search(node.value))
    ]


def test_the_foundation_names_no_domain_apps_url():
    # An app marks and registers its own views and links (@replica_view, the menus' registries,
    # the login page's links). The shared templates/ folder is the foundation's too.
    named = [
        f"{path.relative_to(ROOT)}:{line}: {text}"
        for folder in (FOUNDATION, "templates")
        for path in sorted((ROOT / folder).rglob("*"))
        if path.suffix in {".py", ".html"} and not NOT_SOURCE.intersection(path.relative_to(ROOT).parts)
        for line, text in _url_names_in(path)
    ]
    assert named == [], "the foundation names a domain app's URL:\n" + "\n".join(named)
