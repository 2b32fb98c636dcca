"""The registry of properties a filing names, with their aliases and hierarchy."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...model import Property
from ...prose.subjects import base_name
from .names import SPACES


@dataclass
class Entry:
    prop: Property
    keys: set[str] = field(default_factory=set)
    spellings: set[str] = field(default_factory=set)
    interest_rank: int = -1


class Registry:
    """Known properties by lower-case name and alias, with a matcher over sentences."""

    def __init__(self, company: set[str] | None = None) -> None:
        self.company = company or set()  # lower-case names of the company itself
        self.entries: list[Entry] = []
        self.by_key: dict[str, list[Entry]] = {}
        self._spellings: list[str] | None = None
        self._first_word: dict[str, str] = {}
        self._first_words: tuple[str, ...] = ()
        self._keys: dict[str, str] = {}  # name_key() of the names looked up, made once each

    def key(self, name: str) -> str:
        k = self._keys.get(name)
        if k is None:
            k = self._keys[name] = name_key(name)
        return k

    def get(self, name: str | None, prefer: tuple[str, ...] = ()) -> Entry | None:
        if not name:
            return None
        k = self.key(name)
        found = self.by_key.get(k)
        if not found:
            return None
        for kind in prefer:
            for e in found:
                if e.prop.kind == kind:
                    return e
        for e in found:
            if self.key(e.prop.name) == k:
                return e
        return found[0]

    def add(self, name: str, kind: str, line: int, parent: Entry | None = None) -> Entry:
        existing = self.get(name)
        if existing and (
            existing.prop.kind == kind or self.key(existing.prop.name) == self.key(name)
        ):
            return existing
        entry = Entry(Property(name=name, kind=kind, line=line))
        self.entries.append(entry)
        self.alias(entry, name)
        base = base_name(name)
        if base and base.lower() not in self.company:
            self.alias(entry, base)
        if parent is not None and parent is not entry:
            set_parent(self, entry, parent)
        return entry

    def alias(self, entry: Entry, alias: str) -> None:
        k = self.key(alias)
        spelling = LEADING_THE.sub("", SPACES.sub(" ", alias.strip(" .,")))
        if spelling and spelling not in entry.spellings:
            entry.spellings.add(spelling)
            self._spellings = None
        if not k or k in entry.keys:
            return
        entry.keys.add(k)
        self.by_key.setdefault(k, []).append(entry)

    def parent_of(self, entry: Entry) -> Entry | None:
        return self.get(entry.prop.parent) if entry.prop.parent else None

    def mentions(self, text: str) -> list[tuple[int, int, Entry]]:
        """Known names in ``text`` as (start, end, entry), the longest name at each place.

        Case-sensitive: "Joint Venture Property" is a name, "joint venture property" is not.
        Plain ``str.find`` over the few known spellings: cheaper than a regex rebuilt each
        time a name is added.
        """
        if self._spellings is None:
            self._spellings = sorted(
                {sp for e in self.entries for sp in e.spellings}, key=len, reverse=True
            )
            self._first_word = {sp: (WORD.findall(sp) or [""])[0] for sp in self._spellings}
            self._first_words = tuple(dict.fromkeys(self._first_word.values()))
        # Spellings share first words ("Blue Rose", "Blue Rose Joint Venture"): each word
        # is looked for once, and most sentences hold none.
        present = {w for w in self._first_words if w in text}
        if not present:
            return []
        n = len(text)
        hits: list[tuple[int, int, str]] = []
        taken: list[tuple[int, int]] = []
        first_word = self._first_word
        for sp in self._spellings:
            if first_word[sp] not in present:
                continue
            i = text.find(sp)
            while i >= 0:
                j = i + len(sp)
                if not (
                    (i and (text[i - 1].isalnum() or text[i - 1] == "_"))
                    or (j < n and (text[j].isalnum() or text[j] == "_"))
                ):
                    for a, b in taken:
                        if a < j and i < b:
                            break
                    else:
                        taken.append((i, j))
                        hits.append((i, j, sp))
                i = text.find(sp, j)
        out = []
        for i, j, sp in sorted(hits):
            after = text[j : j + 30].lower()
            if sp.lower() in self.company and not KIND_AFTER.match(after):
                continue  # "X Ridge has a 100% interest ...": the company, not its property
            prefer: tuple[str, ...] = ()
            if DEPOSIT_AFTER.match(after):
                prefer = ("deposit",)
            elif LICENCE_AFTER.match(after):
                prefer = ("licence",)
            entry = self.get(sp, prefer)
            if entry:
                out.append((i, j, entry))
        return out


def name_key(name: str) -> str:
    key = " ".join(name.replace("\u2019", "'").split()).strip(" .,").lower()
    return key[4:] if key.startswith("the ") else key


def is_ancestor(reg: Registry, maybe: Entry, entry: Entry) -> bool:
    seen = 0
    cur = reg.parent_of(entry)
    while cur is not None and seen < 20:
        if cur is maybe:
            return True
        cur = reg.parent_of(cur)
        seen += 1
    return False


def set_parent(reg: Registry, child: Entry, parent: Entry) -> None:
    """Give ``child`` a parent; a more specific parent (a descendant of the current) wins."""
    if child is parent or is_ancestor(reg, child, parent):
        return
    current = reg.parent_of(child)
    if current is None or is_ancestor(reg, current, parent):
        child.prop.parent = parent.prop.name


LEADING_THE = re.compile(r"^[Tt]he\s+")


WORD = re.compile(r"[^\W_]+")


KIND_AFTER = re.compile(r"\s+(?:property|project|mine|licen[cs]e|deposit|claims|joint\s+venture)\b")


DEPOSIT_AFTER = re.compile(r"\s+(?:[a-z\-]+\s+){0,3}deposits?\b")


LICENCE_AFTER = re.compile(r"\s+(?:mining\s+|exploration\s+)?licen[cs]es?\b")
