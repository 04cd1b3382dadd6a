"""Sphinx configuration: the markdown pages are the user guide, the API pages come from the code.

Build with ``sphinx-build -W --keep-going -n -b html docs docs/_build/html`` (the ``docs``
extra installs what it needs). The API reference is written at build time from each
subpackage's ``__all__`` (into ``docs/api/``, not kept in git), so every public name has a page
and a new one cannot be forgotten. Nothing is fetched from the network.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import custcentric

project = "custcentric"
author = "The custcentric developers"
copyright = "2026, the custcentric developers"
release = custcentric.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "numpydoc",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_generated", "README.md"]
templates_path = ["_templates"]

myst_enable_extensions = ["dollarmath"]
myst_heading_anchors = 3

autosummary_generate = True
autodoc_typehints = "none"  # the numpydoc sections carry the types
autodoc_member_order = "bysource"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
numpydoc_validation_checks: set[str] = set()
numpydoc_attributes_as_param_list = False  # attributes become link targets

html_theme = "pydata_sphinx_theme"
html_title = f"custcentric {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
}
html_static_path: list[str] = []

# Cross-references must resolve (``-n``); names outside the project are not linked (no
# intersphinx: the build is offline), so they are listed here instead of failing the build.
nitpick_ignore_regex = [
    (r"py:.*", r"(numpy|np|pandas|pd|scipy|attrs|datetime|collections|typing|enum)\..*"),
    (r"py:.*", r"(ArrayLike|NDArray|Self|Any|Literal|TypeAlias)"),
    (r"py:.*", r"(json|os|pathlib)\..*"),
]

SUBPACKAGES = [name for name in custcentric.SUBPACKAGES if name != "cli"]

_PAGE = """{title}
{underline}

.. automodule:: custcentric.{name}
   :no-members:

.. currentmodule:: custcentric.{name}

.. autosummary::
   :toctree: generated
   :nosignatures:

{entries}
"""


def _typing_page(title: str) -> str:
    """Return the page of the type aliases, each with the docstring written under it."""
    from sphinx.pycode import ModuleAnalyzer

    module = importlib.import_module("custcentric.typing")
    docs = ModuleAnalyzer.for_module("custcentric.typing").find_attr_docs()
    parts = [
        f"{title}\n{'=' * len(title)}\n\n.. automodule:: custcentric.typing\n   :no-members:\n"
    ]
    for item in module.__all__:
        lines = docs.get(("", item), ["Re-exported from :mod:`numpy.typing`.", ""])
        body = "\n".join(f"   {line}" if line else "" for line in lines)
        parts.append(f".. py:data:: custcentric.typing.{item}\n\n{body}\n")
    return "\n".join(parts)


def _write_api_pages(app: Any, config: Any) -> None:
    """Write one page per subpackage listing its ``__all__`` (autosummary does the rest)."""
    del config
    folder = Path(app.srcdir) / "api"
    folder.mkdir(exist_ok=True)
    names = []
    for name in SUBPACKAGES:
        module = importlib.import_module(f"custcentric.{name}")
        title = f"custcentric.{name}"
        if name == "typing":  # aliases of NumPy types: data, not functions or classes
            page = _typing_page(title)
        else:
            entries = "\n".join(f"   {item}" for item in module.__all__)
            page = _PAGE.format(title=title, underline="=" * len(title), name=name, entries=entries)
        path = folder / f"{name}.rst"
        if not path.exists() or path.read_text(encoding="utf-8") != page:
            path.write_text(page, encoding="utf-8")
        names.append(name)
    toc = "\n".join(f"   {n}" for n in names)
    index = (
        "API reference\n=============\n\n"
        "Every public name of every subpackage, from its docstring: parameters, returns, "
        "raises, the formulas in Notes, references and runnable examples.\n\n"
        f".. toctree::\n   :maxdepth: 1\n\n{toc}\n"
    )
    path = folder / "index.rst"
    if not path.exists() or path.read_text(encoding="utf-8") != index:
        path.write_text(index, encoding="utf-8")


def _resolve_short_name(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    """Resolve a Python reference given by its short name (``InvalidInputError``, ``fit``).

    Docstrings name things as a reader of the code would; when the name is unique among the
    documented objects, or unique within the class or module the reference is made from, it
    is linked. An ambiguous or unknown name stays a warning (and fails the build).
    """
    if node.get("refdomain") != "py":
        return None
    target = node["reftarget"].lstrip("~.")
    objects = env.get_domain("py").objects
    suffix = "." + target
    matches = [
        name
        for name, entry in objects.items()
        if (name.endswith(suffix) or name == target) and "._" not in name and not entry.aliased
    ]
    if len(matches) > 1:
        for scope in (node.get("py:class"), node.get("py:module")):
            if scope:
                near = [m for m in matches if m.startswith(f"{scope}.")]
                if len(near) == 1:
                    matches = near
                    break
    from sphinx.util.nodes import make_refnode

    if not matches and node["reftype"] == "attr":
        # A field of an attrs class, documented in the class's Attributes section: link the
        # class (``cap`` from a method of Compensation, or ``FeedbackTags.group_counts``).
        owner, _, field = target.rpartition(".")
        owner = owner or node.get("py:class") or ""
        classes = [
            name
            for name, entry in objects.items()
            if entry.objtype == "class"
            and not entry.aliased
            and (name == owner or name.endswith(f".{owner}"))
            and field in _attrs_fields(name)
        ]
        if len(classes) == 1:
            entry = objects[classes[0]]
            return make_refnode(
                app.builder, node["refdoc"], entry.docname, entry.node_id, contnode, target
            )
    if not matches and node["reftype"] == "data" and target.isupper() and _is_constant(target):
        return contnode  # a bound stated in the text, kept in a private module: no page
    if len(matches) != 1:
        return None

    entry = objects[matches[0]]
    return make_refnode(
        app.builder, node["refdoc"], entry.docname, entry.node_id, contnode, matches[0]
    )


def _attrs_fields(qualified: str) -> set[str]:
    import attrs

    module_name, _, name = qualified.rpartition(".")
    try:
        cls = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError):
        return set()
    return {f.name for f in attrs.fields(cls)} if attrs.has(cls) else set()


def _is_constant(name: str) -> bool:
    import sys

    return any(
        hasattr(module, name)
        for key, module in list(sys.modules.items())
        if key.startswith("custcentric.") and module is not None
    )


def _write_figures(app: Any, config: Any) -> None:
    """Draw the guide's figures (the report's pictures of the bundled company) as SVG files."""
    del app, config
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    try:
        from _figures import write_figures
    finally:
        sys.path.pop(0)
    write_figures()


def setup(app: Any) -> None:
    """Write the API pages and the figures before Sphinx looks for sources; resolve short names."""
    app.connect("missing-reference", _resolve_short_name)
    app.connect("config-inited", _write_api_pages)  # before the sources are looked for
    app.connect("config-inited", _write_figures)
