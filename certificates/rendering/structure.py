"""The tagged-PDF structure tree of one page, carried over when the bulk path splits a document.

WeasyPrint tags a whole chunk (``pdf/a-3a``) as one tree: a ``/Document`` element whose children are
the certificates' ``<section>`` elements, every element pointing at its page (``/Pg``) and, through
its ``/K`` numbers, at the marked-content sequences (MCIDs, counted per page) that draw its text;
the ``/ParentTree`` maps each page's MCIDs back to their elements. pypdf's split keeps the pages but
not that tree, so :func:`copy_page_structure` rebuilds it for one page: its own ``/Document`` with
copies of exactly the elements of that page, the same MCIDs (they are per page, so they stay valid)
and a one-page parent tree. Anything the copy does not understand (annotations, marked-content
references, an element spanning pages) makes it return ``False`` and the caller renders that
certificate on its own, so no file claims tags it does not have.
"""

from __future__ import annotations

from typing import Any


class _Unsupported(Exception):
    """The tree has something a per-page copy cannot carry over faithfully."""


class PageStructure:
    """The elements of a tagged multi-page PDF grouped by page, read once per document."""

    def __init__(self, root: Any) -> None:
        tree = root["/StructTreeRoot"].get_object()
        self.role_map = tree.get("/RoleMap")
        kids = _kids(tree)
        if len(kids) != 1 or not isinstance(kids[0], _indirect()):
            raise _Unsupported("the tree root must hold one /Document element")
        self.document = kids[0].get_object()
        self.parent_tree = _number_tree(tree["/ParentTree"].get_object())
        self.by_page: dict[int, list[Any]] = {}
        for kid in _kids(self.document):
            element = kid.get_object()
            if "/Pg" not in element:
                raise _Unsupported("a top-level element without a page")
            self.by_page.setdefault(element.raw_get("/Pg").idnum, []).append(kid)


def read_structure(root: Any) -> PageStructure | None:
    """The per-page view of ``root``'s structure tree, or ``None`` if it has none (or an odd one)."""
    if "/StructTreeRoot" not in root:
        return None
    try:
        return PageStructure(root)
    except (_Unsupported, KeyError, AttributeError):
        return None


def copy_page_structure(structure: PageStructure, page: Any, written: Any, writer: Any) -> bool:
    """Give ``writer`` (a one-page PDF whose page ``written`` was copied from ``page``) the structure
    tree of that page: a new ``/StructTreeRoot`` in its catalog, ``/StructParents 0`` on the page.

    Returns ``False`` (and sets nothing in the catalog) when the page's part of the tree cannot be
    copied exactly; the caller must then not claim the file is tagged.
    """
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

    original_page = page.indirect_reference
    key = page.get("/StructParents")
    if original_page is None or key is None or int(key) not in structure.parent_tree:
        return False
    tree = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
    tree_ref = writer._add_object(tree)
    document = DictionaryObject({
        NameObject(name): value.clone(writer)
        for name, value in structure.document.items() if name not in ("/K", "/P")
    })
    document_ref = writer._add_object(document)
    document[NameObject("/P")] = tree_ref
    copied: dict[int, Any] = {}  # original element's object number -> its copy's reference
    try:
        document[NameObject("/K")] = ArrayObject(
            _copy_element(kid, document_ref, original_page.idnum, written.indirect_reference, writer, copied)
            for kid in structure.by_page.get(original_page.idnum, [])
        )
        marked = ArrayObject(copied[ref.idnum] for ref in structure.parent_tree[int(key)])
    except (_Unsupported, KeyError, AttributeError):
        return False
    if not marked:  # nothing on the page is tagged: not a page this copy is meant for
        return False
    tree[NameObject("/K")] = ArrayObject([document_ref])
    tree[NameObject("/ParentTree")] = writer._add_object(
        DictionaryObject({NameObject("/Nums"): ArrayObject([NumberObject(0), marked])})
    )
    tree[NameObject("/ParentTreeNextKey")] = NumberObject(1)
    if structure.role_map is not None:
        tree[NameObject("/RoleMap")] = structure.role_map.clone(writer)
    written[NameObject("/StructParents")] = NumberObject(0)
    writer._root_object[NameObject("/StructTreeRoot")] = tree_ref
    return True


def _copy_element(
    kid: Any, parent: Any, page: int, written_page: Any, writer: Any, copied: dict[int, Any]
) -> Any:
    """A copy of the structure element ``kid`` (a reference) and its subtree, added to ``writer``."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

    if not isinstance(kid, _indirect()):
        raise _Unsupported("a direct structure element")
    element = kid.get_object()
    if element.get("/Type", "/StructElem") != "/StructElem" or "/S" not in element:
        raise _Unsupported("an object or marked-content reference")  # e.g. a link's /OBJR
    if "/Pg" in element and element.raw_get("/Pg").idnum != page:
        raise _Unsupported("an element on another page")
    copy = DictionaryObject()
    reference = writer._add_object(copy)
    copied[kid.idnum] = reference
    for name, value in element.items():
        if name in ("/K", "/P", "/Pg"):
            continue
        if isinstance(value, _indirect()):
            raise _Unsupported(f"an indirect {name}")  # WeasyPrint writes attributes and IDs direct
        copy[NameObject(name)] = value.clone(writer)
    copy[NameObject("/P")] = parent
    if "/Pg" in element:
        copy[NameObject("/Pg")] = written_page
    kids = ArrayObject()
    for child in _kids(element):
        if isinstance(child, int):  # an MCID: marked content of this very page
            kids.append(NumberObject(child))
        else:
            kids.append(_copy_element(child, reference, page, written_page, writer, copied))
    copy[NameObject("/K")] = kids
    return reference


def _kids(element: Any) -> list[Any]:
    """``/K`` of a structure element or of the tree root as a list of raw entries (MCIDs, references)."""
    if "/K" not in element:
        return []
    kids = element.raw_get("/K")
    resolved = kids.get_object()
    return list(resolved) if isinstance(resolved, list) else [kids]


def _number_tree(node: Any) -> dict[int, list[Any]]:
    """A number tree (``/Nums`` leaves, ``/Kids`` inner nodes) as key -> list of references."""
    values: dict[int, list[Any]] = {}
    nums = node.get("/Nums", [])
    for index in range(0, len(nums) - 1, 2):
        value = nums[index + 1].get_object()  # a page's array; an annotation's entry is one reference
        values[int(nums[index])] = list(value) if isinstance(value, list) else [nums[index + 1]]
    for kid in node.get("/Kids", []):
        values.update(_number_tree(kid.get_object()))
    return values


def _indirect() -> type:
    from pypdf.generic import IndirectObject

    return IndirectObject
