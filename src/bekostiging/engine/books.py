"""Several insurers in one region (CONTRACTS.md B, G "Books"): one v1 book per market payer.

With `scenario.market_shares`, a variant is computed per book: the region (after the
what-ifs and the variant's effects) is split into one ordinary v1 scenario per market
payer k, holding `clients × share_k` of every profile (unrounded), with k as its default
payer and the mechanisms that apply in k's book, rewritten for it. Each book is then an
ordinary run of the v1 engine (its counterfactual, budget-neutral prices, guarantees,
ceilings and shared savings are its own), and the books' ledgers are merged by summing
flows with the same component, payer, payee, profile and activity. So a one-insurer
`market_shares = {x = 1}` is the v1 scenario with `default_payer = "x"`, by construction.

Which mechanisms apply in book k (payer p; `None` is the default payer, "market"):
- p is "market": in every book, with k as payer;
- p is a market payer: in p's book, and in the books of its followers with the follower as
  payer; with `applies_to = "region"` only in p's book, for the whole region;
- p is any other payer (a gemeente, a paying network): in every book, as p.
Non-per-client amounts (`MechanismSpec.fixed_amounts`) are as written in p's own book,
× share_f / share_p in a follower f's book, and × share_k otherwise; `book_amounts`
(availability's `funding`) are × share_k in every book.
"""

from __future__ import annotations

import functools
import operator
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from bekostiging.arithmetic import exact
from bekostiging.engine.context import per_activity
from bekostiging.engine.ledger import Flow, Ledger
from bekostiging.formula import Words
from bekostiging.mechanisms import spec_of
from bekostiging.mechanisms.availability import (
    Availability,
    coverage_rows,
    embedded_money,
    separate_money,
    stripped_parties,
)
from bekostiging.mechanisms.collaboration import Collaboration
from bekostiging.money import ONE, ZERO, cents, div, is_number, mul
from bekostiging.scenario.model import Scenario

MARKET = "market"  # the keyword payer: each book's own market payer


def has_books(s: Scenario) -> bool:
    return s.scenario.market_shares is not None


def book_payers(s: Scenario) -> list[str]:
    """The market payers, in the order of `market_shares`: the order of the books."""
    assert s.scenario.market_shares is not None
    return list(s.scenario.market_shares)


def _lead(s: Scenario, payer: str) -> str:
    """The market payer whose mechanisms apply in `payer`'s book: its lead, or itself."""
    return s.parties[payer].follows or payer


def book_scenario(region: Scenario, variant: str, payer: str) -> Scenario:
    """The v1 scenario of `payer`'s book for one variant, whose effects are already applied.

    Only that variant is kept, with its effects emptied (the region had them) and its
    mechanisms those that apply in this book; `market_shares` is dropped, so the book is
    an ordinary v1 scenario with `payer` as its default payer.
    """
    shares = region.scenario.market_shares
    assert shares is not None
    share = shares[payer]
    profiles = {
        k: p.model_copy(update={"clients": mul(p.clients, share)}) for k, p in region.profiles.items()
    }
    v = region.variants[variant]
    mechanisms = [b for m in v.mechanisms if (b := in_book(region, m, payer)) is not None]
    meta = region.scenario.model_copy(update={"default_payer": payer, "market_shares": None})
    book_variant = v.model_copy(update={"effects": [], "mechanisms": mechanisms})
    return region.model_copy(
        update={"scenario": meta, "profiles": profiles, "variants": {variant: book_variant}}
    )


def in_book(region: Scenario, m: Any, book: str) -> Any | None:
    """Mechanism `m` as it applies in `book`'s book, or None when it does not apply there."""
    shares = region.scenario.market_shares
    assert shares is not None
    if getattr(m, "contributors", None):  # a pooled budget: its payers pay in every book
        return _scaled(m, payer=None, fixed=(shares[book], ONE), book=shares[book])
    payer = getattr(m, spec_of(m).payer_field, None) or MARKET
    if payer not in shares:  # "market", or a payer without a book (a gemeente, a network)
        return _scaled(
            m, payer=book if payer == MARKET else payer, fixed=(shares[book], ONE), book=shares[book]
        )
    if getattr(m, "applies_to", "book") == "region":
        if payer == book:
            return _region_wide(region, m)
        if isinstance(m, Availability) and m.strip_tariffs:
            # The function's party's tariffs lose their share in every book; only the
            # payer's book funds it: the others ride free.
            return m.model_copy(update={"payer": book, "funding": ZERO})  # availability: `payer`
        return None
    if payer == book:
        return _scaled(m, payer=payer, fixed=(ONE, ONE), book=shares[book])
    if _lead(region, book) == payer:  # a follower applies its lead's mechanisms as payer
        return _scaled(m, payer=book, fixed=(shares[book], shares[payer]), book=shares[book])
    return None


def _scaled(m: Any, *, payer: str | None, fixed: tuple[Decimal, Decimal], book: Decimal) -> Any:
    """`m` with `payer` (None: as written, for a pooled budget), its fixed amounts × fixed[0]
    / fixed[1] (divided last, so a quotient that has a finite decimal is exact) and its book
    amounts × `book`."""
    spec = spec_of(m)
    update: dict[str, Any] = {} if payer is None else {spec.payer_field: payer}
    times, per = fixed
    for name in spec.fixed_amounts:
        value = getattr(m, name)
        if is_number(value) and (times, per) != (ONE, ONE):
            update[name] = div(mul(value, times), per)
    for name in spec.book_amounts:
        value = getattr(m, name)
        if is_number(value) and book != ONE:
            update[name] = mul(value, book)
    return m.model_copy(update=update)


def _region_wide(region: Scenario, m: Any) -> Any:
    """`applies_to = "region"` in the payer's own book: availability as written; a
    collaboration's `per_client` counts the whole region's clients, folded into `fixed`
    (exact: the same sum the mechanism would make)."""
    if isinstance(m, Collaboration):
        profiles = m.profiles if m.profiles is not None else list(region.profiles)
        clients = sum((region.profiles[p].clients for p in profiles), ZERO)
        return m.model_copy(update={"fixed": m.fixed + mul(m.per_client, clients), "per_client": ZERO})
    return m


def refills_in_book(region: Scenario, refills: Iterable[Any], book: str) -> tuple[Any, ...]:
    """Refill effects by the same rule: no payer or "market" is the book's payer."""
    shares = region.scenario.market_shares
    assert shares is not None
    out = []
    for e in refills:
        payer = e.payer or MARKET
        if payer == MARKET:
            out.append(e.model_copy(update={"payer": book}))
        elif payer not in shares or payer == book:
            out.append(e)
        elif _lead(region, book) == payer:
            out.append(e.model_copy(update={"payer": book}))
    return tuple(out)


# ------------------------------------------------------------------ merging the books


def merge_ledgers(books: dict[str, Ledger]) -> Ledger:
    """The union of the books' flows, same component/payer/payee/profile/activity summed
    (in the order they first appear)."""
    groups: dict[tuple, list[tuple[str, Flow]]] = defaultdict(list)
    for book, ledger in books.items():
        seen: dict[tuple, int] = defaultdict(int)
        for f in ledger.flows:
            key = (f.component, f.payer, f.payee, f.profile, f.activity)
            # Within one book two rows may share a key (two availability functions of one
            # party): the n-th such row of each book is merged with the n-th of the others,
            # so one book is its own ledger, row for row.
            groups[(*key, seen[key])].append((book, f))
            seen[key] += 1
    merged = Ledger()
    for (component, payer, payee, profile, activity, _), parts in groups.items():
        total = functools.reduce(operator.add, (f.amount for _, f in parts))
        formula = parts[0][1].formula if len(books) == 1 else functools.partial(_formula, parts)
        merged.add(component, payer, payee, total, profile, activity, formula)
    return merged


def _formula(parts: list[tuple[str, Flow]], w: Words) -> str:
    return "; ".join(
        w("book", book=book, formula=f.describe(w.lang) or w.eur(f.amount, from_cents=True))
        for book, f in parts
    )


def coverage(region: Scenario, books: dict[str, Any]) -> list[dict[str, Any]]:
    """Coverage over all books: embedded and separate money summed exactly, rounded once."""
    with exact():
        separate: dict[str, Any] = defaultdict(lambda: ZERO)
        embedded: dict[str, Any] = defaultdict(lambda: ZERO)
        for result in books.values():
            s = result.inputs
            mechanisms = s.variants[result.id].mechanisms
            parties = stripped_parties(s, mechanisms)
            stripped = frozenset(a for a, act in s.activities.items() if act.provider in parties)
            for f, money in separate_money(s, mechanisms).items():
                separate[f] += money
            for party, money in embedded_money(s, per_activity(result.units), stripped).items():
                embedded[party] += money
        return coverage_rows(region, {f: cents(v) for f, v in separate.items()}, embedded)
