"""Build data/wikidata/offline-table.tsv and unverified.tsv from the source extracts in sources/.

    python data/wikidata/build/build_table.py          # rewrite both files
    python data/wikidata/build/build_table.py --check  # fail if they are not what the sources give

Each extract in sources/ names the public file it was read from (repository, path, commit) in its
header; ../SOURCES.md describes the sources. A row goes to the offline table only when two
attributable sources list the same QID under names that agree (equal once case, accents and
punctuation are ignored, close spellings, or an acronym of the other name). Everything else a
source offers goes to unverified.tsv with the reason. No QID is typed here: all come from sources/.
"""

from __future__ import annotations

import csv
import re
import sys
import unicodedata
from difflib import SequenceMatcher
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
OUT = HERE.parent
SEED = OUT / "verified-qids.tsv"  # the seed's table, a copy of shared/wikidata/verified-qids.tsv

QID = re.compile(r"Q[1-9][0-9]*")
# Sources that may count towards the two; fcdo-map is a cross-check only (no attributable publisher).
ATTRIBUTABLE = ("seed", "owid", "conzept", "t2wml", "osm-capitals", "supraverden", "ror", "opensanctions-igo",
                "rigour", "dr5hn-capitals", "dr5hn-states", "dr5hn-subregions", "jgkim-regions", "kuni",
                "emblems", "dr5hn-cities", "tinysearch-cities", "popmap", "spocwiki")
STOPWORDS = {"of", "the", "for", "and", "in", "on", "de", "la", "le", "du", "des", "et"}


def read(name: str) -> list[dict[str, str]]:
    lines = [line for line in (SOURCES / name).read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()}
            for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)]


def norm(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"^the\s+", "", text.replace("’", "'").replace("&", " and "))
    return re.sub(r"[\W_]+", "", text)


def acronym(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z][\w'’-]*", name) if w[0].isupper()).casefold()


def words(name: str) -> list[str]:
    return [w for w in (norm(w) for w in re.split(r"[\s,/()-]+", name)) if w and w not in STOPWORDS]


def agree(a: str, b: str) -> bool:
    """Two sources' names for one QID agree: same letters, a close spelling, an acronym, or a short form.

    An acronym is the initials of the long name ("OPEC"), or, all in capitals and at least four letters,
    a word holding those initials in order ("UNICEF" / "United Nations Children's Fund"). A short form
    has at least two words, all in the long name, and more than half of its words ("Arab League" /
    "League of Arab States"; never "United Nations" / "United Nations Security Council").
    """
    na, nb = norm(a), norm(b)
    if not na or not nb:
        return False
    if na == nb or SequenceMatcher(None, na, nb).ratio() >= 0.8:
        return True
    if frozenset((na, nb)) in EQUIVALENT_NAMES:
        return True
    short, long_ = (a, b) if len(na) < len(nb) else (b, a)
    initials = acronym(long_)
    if len(norm(short)) >= 2 and norm(short) == initials:
        return True
    if short.isupper() and len(short) >= 4 and len(initials) >= 3 and norm(short)[0] == initials[0] \
            and re.search(".*".join(map(re.escape, initials)), norm(short)):
        return True
    ws, wl = words(short), words(long_)
    return len(ws) >= 2 and set(ws) <= set(wl) and len(ws) / len(set(wl)) > 0.5


def read_equivalents() -> set[frozenset[str]]:
    """build/name-equivalents.tsv: pairs of names of one body that share no letters or initials (curated names)."""
    path = HERE / "name-equivalents.tsv"
    if not path.is_file():
        return set()
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
    return {frozenset((norm(row["name"]), norm(row["same_as"])))
            for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)}


EQUIVALENT_NAMES = read_equivalents()


def same_place_name(a: str, b: str) -> bool:
    """A city's English and local or Catalan names agree: as :func:`agree`, or one holds the other's
    main word ("Kuwait City" / "Al-Kuwait"), or they share their first three letters and most of
    their spelling ("Rome" / "Roma", "Prague" / "Praga")."""
    if agree(a, b):
        return True
    words_a = {norm(w) for w in re.split(r"[\s-]+", a) if len(norm(w)) >= 4}
    words_b = {norm(w) for w in re.split(r"[\s-]+", b) if len(norm(w)) >= 4}
    if words_a & words_b:
        return True
    na, nb = norm(a), norm(b)
    return len(na) >= 4 and na[:3] == nb[:3] and SequenceMatcher(None, na, nb).ratio() >= 0.6


REGION_WORDS = {"republic", "oblast", "krai", "province", "region", "state", "autonomous", "okrug", "of", "the"}


def region_core(name: str) -> str:
    """A region's name without its kind ("Republic of Karelia", "Tuva Republic" -> karelia, tuva)."""
    return "".join(w for w in (norm(w) for w in re.split(r"[\s-]+", name)) if w and w not in REGION_WORDS)


def same_region_name(a: str, b: str) -> bool:
    """A first-level region's names agree as :func:`agree`, or once its kind is left out of both
    ("Tuva" / "Tuva Republic", "Kaliningrad Oblast" / "Kaliningrad")."""
    return agree(a, b) or (len(region_core(a)) >= 4 and region_core(a) == region_core(b))


def bare_region_alias(name: str, label: str) -> bool:
    """The region's name without "Oblast", "Province", "Region" or "State" is its main city's name
    (Kaliningrad, Irkutsk): never an alias of the region."""
    kinds = {norm(w) for w in re.split(r"[\s-]+", label)} & (REGION_WORDS - {"republic", "of", "the"})
    return bool(kinds) and norm(name) == region_core(label) and not ({norm(w) for w in re.split(r"[\s-]+", name)} & REGION_WORDS)


def usable_alias(name: str) -> bool:
    return bool(name) and not any(c in name for c in "(),[]") and not QID.fullmatch(name)


class Claims:
    """Per QID: which source named it how, with our class and category."""

    def __init__(self):
        self.names: dict[str, dict[str, list[str]]] = {}  # qid -> source -> names
        self.kind: dict[str, tuple[str, str]] = {}  # qid -> (class, category)

    def add(self, qid: str, source: str, names, cls: str, category: str) -> None:
        names = [n for n in names if n and not QID.fullmatch(n)]
        self.names.setdefault(qid, {}).setdefault(source, []).extend(names)
        self.kind.setdefault(qid, (cls, category))


FCDO_OVERRULED: list[str] = []  # fcdo-map disagreements that kept no row out (build() fills it)


def build():
    FCDO_OVERRULED.clear()
    claims = Claims()
    seed = [row for row in csv.DictReader(
        [line for line in SEED.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")],
        delimiter="\t")]
    for row in seed:
        category = {"Country": "state", "Organisation": "organisation"}.get(row["class"], row["class"].lower())
        claims.add(row["qid"], "seed", [row["label"]], row["class"], category)

    owid = read("owid.tsv")
    conzept = read("conzept.tsv")
    conzept_qids = {row["qid"] for row in conzept}
    for row in owid:
        category = "state" if row["qid"] in conzept_qids else "territory"
        claims.add(row["qid"], "owid", [row["label"], row["name"], *row["aliases"].split("|")], "Country", category)
    for row in conzept:
        claims.add(row["qid"], "conzept", [row["name"]], "Country", "state")
    supraverden = read("supraverden.tsv")
    org_qids = {row["qid"] for row in supraverden}
    for row in supraverden:
        claims.add(row["qid"], "supraverden", [row["name"]], "Organisation", "organisation")
    for row in read("agency_registry.tsv"):
        claims.add(row["qid"], "ror", [row["name"]], "Organisation", "organisation")
    for row in read("opensanctions_igo.tsv"):
        claims.add(row["qid"], "opensanctions-igo", [row["name"]], "Organisation", "organisation")
    for row in read("kuni_groupings.tsv"):
        claims.add(row["qid"], "kuni", [row["name"], row["short"]], "Organisation", "organisation")
    for row in read("spocwiki_bodies.tsv"):
        claims.add(row["qid"], "spocwiki", [row["name"], row["short"]], "Organisation", "organisation")
    for row in read("greater_turkiye_emblems.tsv"):
        # the keys are slugs ("arab-league") or lower-case acronyms ("cis"): written as names
        key = row["key"].replace("-", " ")
        claims.add(row["qid"], "emblems", [key.upper() if " " not in key and len(key) <= 5 else key.title()],
                   "Organisation", "organisation")
    # rigour: states and top-level territories. A row whose item is the realm while the other sources
    # name the country item (Denmark: Q756617 / Q35; Netherlands: Q29999 / Q55) is left out, so that
    # the country's name never gets a second owner. Sub-national regions have no second source here.
    listed_states = {row["qid"] for row in owid} | conzept_qids
    for row in read("rigour.tsv"):
        if row["kind"] == "subnational" or set(filter(None, row["other_qids"].split("|"))) & listed_states:
            continue
        claims.add(row["qid"], "rigour", [row["name"], row["full_name"]], "Country",
                   "state" if row["kind"] == "state" else "territory")
    # World regions (UN M49 subregions): places, confirmed by two lists of regions or by t2wml.
    for row in read("jgkim_regions.tsv"):
        claims.add(row["qid"], "jgkim-regions", [row["name"], row["en_label"]], "Place", "region")
    for row in read("dr5hn_subregions.tsv"):
        claims.add(row["qid"], "dr5hn-subregions", [row["name"]], "Place", "region")
    for row in read("t2wml.tsv"):
        # t2wml lists countries, territories, regions and a few organisations; it only ever
        # confirms what another source classes.
        cls = "Organisation" if row["qid"] in org_qids else "Country"
        claims.add(row["qid"], "t2wml", [row["label"]], cls, "region")

    # Capitals: conzept gives country -> capital QID and English name; OSM tags the same QID.
    country_names = {norm(n) for q, by in claims.names.items() if claims.kind[q][0] == "Country"
                     for names in by.values() for n in names}
    osm = {row["qid"]: row for row in read("osm_capitals.tsv")}
    capital_notes: dict[str, str] = {}
    for row in conzept:
        cap, name = row["capital"], row["capital_name"]
        if not QID.fullmatch(cap):
            continue
        if cap in claims.kind and claims.kind[cap][0] != "Place":
            continue  # a city-state (Singapore): its capital's QID is the country's, and the country row covers it
        claims.add(cap, "conzept", [name], "Place", "capital")
        if norm(name) in country_names:
            capital_notes[cap] = f"capital named like its country ({name}): a bare mention cannot be told apart"
    for qid, row in osm.items():
        if qid in claims.kind and claims.kind[qid][0] != "Place":
            continue
        claims.add(qid, "osm-capitals", [row["name_ca"], row["name"]], "Place", "capital")
    # dr5hn names each country's capital in English but gives no QID: it only confirms the name of a
    # capital whose QID conzept (as the country's capital) and OSM (a capital's wikidata tag) agree on.
    dr5hn = {row["iso3"]: row["capital"] for row in read("dr5hn_capitals.tsv")}
    # dr5hn's city files confirm a capital that OSM tags while conzept names another (Colombo, Cape Town)
    for row in read("dr5hn_cities.tsv"):
        if claims.kind.get(row["qid"], ("Place",))[0] == "Place":
            claims.add(row["qid"], "dr5hn-cities", [row["name"]], "Place", "capital")
    name_only = set()
    for row in conzept:
        cap = row["capital"]
        if row["iso3"] in dr5hn and cap in osm and claims.kind.get(cap, ("",))[0] == "Place":
            claims.add(cap, "dr5hn-capitals", [dr5hn[row["iso3"]]], "Place", "capital")
            name_only.add(cap)

    # First-level subdivisions: rigour's regions and dr5hn's states, after every country, capital and
    # region, so that an item already listed as one of those (Berlin, Moscow, Kyiv) keeps its kind.
    for row in read("rigour.tsv"):
        if row["kind"] == "subnational" and row["qid"] not in claims.kind:
            claims.add(row["qid"], "rigour", [row["name"], row["full_name"]], "Place", "subnational")
    for row in read("dr5hn_states.tsv"):
        if claims.kind.get(row["qid"], ("Place", "subnational")) == ("Place", "subnational"):
            claims.add(row["qid"], "dr5hn-states", [row["name"]], "Place", "subnational")

    # Major cities: a Wikidata query's list of cities by population (tinySearch) and a world map's list of
    # large cities, each with its item. Last of all, so that a city that is also a capital, a country
    # (Singapore, Hong Kong) or a first-level region (Shanghai, Berlin) keeps that row and kind.
    for source, file in (("tinysearch-cities", "tinysearch_cities.tsv"), ("popmap", "popmap_cities.tsv")):
        for row in read(file):
            if claims.kind.get(row["qid"], ("Place",))[0] == "Place":
                claims.add(row["qid"], source, [row["name"]], "Place", "city")

    fcdo = {row["qid"]: row["name"] for row in read("fcdo_map.tsv")}
    fcdo_by_name = {norm(row["name"]): row["qid"] for row in read("fcdo_map.tsv")}
    # fcdo-map has no attributable publisher; it stays a cross-check only while none of its QIDs is shown
    # wrong. When two attributable sources give one of its QIDs to another body under a name that does not
    # agree with fcdo-map's (it gives the OECD the African Union's item), its disagreements are reported
    # but keep no row out.
    fcdo_wrong = sorted(
        f"{name} -> {qid} ({' / '.join(sorted({n for s in by for n in claims.names[qid][s]})[:2])})"
        for qid, name in fcdo.items() if (by := {s: n for s, n in claims.names.get(qid, {}).items()
                                                   if s in ATTRIBUTABLE and s != "seed"})
        and len(by) >= 2 and not any(agree(name, n) for names in by.values() for n in names))
    aliases = {}
    for row in read_build("aliases.tsv"):
        aliases.setdefault(row["qid"], []).append(row["alias"])
    ambiguous = {norm(row["name"]): row["why"] for row in read_build("ambiguous-names.tsv")}

    verified, unverified = [], []
    for qid, by in sorted(claims.names.items(), key=lambda kv: int(kv[0][1:])):
        cls, category = claims.kind[qid]
        sources = [s for s in ATTRIBUTABLE if s in by]
        # the sources whose names agree with some other source's names
        match = {"capital": same_place_name, "subnational": same_region_name}.get(category, agree)
        agreeing = {s for s in sources for t in sources if s != t
                    and any(match(a, b) for a in by[s] for b in by[t])}
        if qid in name_only:
            # dr5hn's name counts only beside the two that give the QID
            agreeing = agreeing | {"conzept", "osm-capitals"} if "dr5hn-capitals" in agreeing else agreeing - {"dr5hn-capitals"}
        names = [n for s in sources for n in by[s]]
        label = (by.get("seed") or by.get("conzept") or by.get("supraverden") or by.get("owid") or names)[0]
        if cls == "Country" and "owid" in by and "conzept" in by and norm(label) not in {norm(n) for n in by["owid"]}:
            label = by["owid"][0]  # a misspelt conzept name ("Tulu") never becomes the label
        if qid in name_only and "dr5hn-capitals" in agreeing and not any(agree(label, n) for n in by["dr5hn-capitals"]):
            label = by["dr5hn-capitals"][0]  # conzept's name is empty or misspelt ("Washi, D.C.")
        if "dr5hn-cities" in by and "dr5hn-cities" in agreeing:
            label = by["dr5hn-cities"][0]  # OSM's name is Catalan or native-script
        if category == "region":
            label = next((n for n in [*by.get("t2wml", []), *by.get("jgkim-regions", [])[1:]] if usable_alias(n)), label)
        if not usable_alias(label):
            # a label with a comma ("United Nations Educational, Scientific and Cultural Organization"):
            # the first plain name an agreeing source gives
            label = next((n for s in sources if s in agreeing for n in by[s] if usable_alias(n)), label)
        note = capital_notes.get(qid, "")
        disputed = [f"fcdo-map gives {fcdo_by_name[norm(n)]} for {n}" for n in names
                    if norm(n) in fcdo_by_name and fcdo_by_name[norm(n)] != qid]
        if fcdo_wrong and disputed:
            if len(agreeing) >= 2:
                FCDO_OVERRULED.append(f"{label} ({qid}): " + "; ".join(dict.fromkeys(disputed)))
            disputed = []
        if sources == ["seed"]:
            continue  # already verified, in the seed's own table
        if len(agreeing) >= 2 and not note and not disputed and usable_alias(label):
            # OSM's Catalan and native-script names only confirm a capital; they are not news names
            names = [n for s in sorted(agreeing) if not (cls == "Place" and s == "osm-capitals") for n in by[s]]
            alias_list = []
            for n in [*names, *aliases.get(qid, [])]:
                if usable_alias(n) and norm(n) != norm(label) and norm(n) not in {norm(a) for a in alias_list} \
                        and not (category == "subnational" and bare_region_alias(n, label)):
                    alias_list.append(n)
            flagged = [n for n in [label, *alias_list] if norm(n) in ambiguous]
            verified.append({"label": label, "qid": qid, "class": cls, "category": category,
                             "aliases": "|".join(alias_list), "ambiguous": "|".join(flagged),
                             "sources": "|".join(s for s in ATTRIBUTABLE if s in agreeing)})
        else:
            if note:
                reason = note
            elif not usable_alias(label):
                reason = f"no plain name to match ({label})"
            elif disputed:
                reason = "sources disagree: " + "; ".join(disputed)
            elif len(sources) < 2:
                reason = f"one source ({', '.join(sources) or 'fcdo-map'})"
            else:
                reason = "names disagree: " + "; ".join(f"{s}: {' / '.join(by[s][:2])}" for s in sources)
            if qid in fcdo and not agree(fcdo[qid], label):
                reason += f"; fcdo-map names it {fcdo[qid]}"
            unverified.append({"label": label, "qid": qid, "class": cls, "category": category,
                               "sources": "|".join(sources), "reason": reason})
    # A first-level region or a (non-capital) city never takes a name that a country, territory, capital or
    # body already has (Georgia, Victoria's namesakes, Kabul's province): it loses that name, and one whose
    # label is such a name stays out, so that the older row keeps linking. A region and a city of one name
    # (Sao Paulo) both keep it, and the name becomes ambiguous below.
    lesser = {"subnational", "city"}
    taken = {norm(n): f"{row['label']} ({row['qid']})" for row in [*seed, *verified]
             if row.get("category") not in lesser
             for n in [row["label"], *filter(None, row.get("aliases", "").split("|"))]}
    kept_rows = []
    for row in verified:
        if row["category"] in lesser:
            if norm(row["label"]) in taken and taken[norm(row["label"])] != f"{row['label']} ({row['qid']})":
                unverified.append({"label": row["label"], "qid": row["qid"], "class": row["class"],
                                   "category": row["category"], "sources": row["sources"],
                                   "reason": f"named like {taken[norm(row['label'])]}, which keeps the name"})
                continue
            row["aliases"] = "|".join(a for a in filter(None, row["aliases"].split("|")) if norm(a) not in taken)
        kept_rows.append(row)
    verified = kept_rows
    unverified.sort(key=lambda row: int(row["qid"][1:]))
    # a name may point at one QID only: a second claimant makes the name ambiguous everywhere
    owners: dict[str, set[str]] = {}
    for row in verified:
        for n in [row["label"], *filter(None, row["aliases"].split("|"))]:
            owners.setdefault(norm(n), set()).add(row["qid"])
    for row in verified:
        kept = [a for a in filter(None, row["aliases"].split("|")) if len(owners[norm(a)]) == 1]
        row["aliases"] = "|".join(kept)
        clash = [row["label"]] if len(owners[norm(row["label"])]) > 1 else []
        row["ambiguous"] = "|".join(dict.fromkeys([*filter(None, row["ambiguous"].split("|")), *clash]))
    return verified, unverified


def read_build(name: str) -> list[dict[str, str]]:
    lines = [line for line in (HERE / name).read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


HEADER_TABLE = """\
# Offline Wikidata table: each row's QID is given by two independent public sources that agree
# (column sources; see SOURCES.md). Built by build/build_table.py from build/sources/ -- do not edit.
# aliases and ambiguous are |-separated; a name listed in ambiguous never links on its own.
"""
HEADER_UNVERIFIED = """\
# Candidates left out of the offline table, and why (one source, a disagreement, a name clash).
# Built by build/build_table.py -- do not edit.
"""


def write(path: Path, header: str, rows: list[dict[str, str]], columns: list[str]) -> str:
    lines = [header.rstrip("\n"), "\t".join(columns)]
    lines += ["\t".join(row[c] for c in columns) for row in rows]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    verified, unverified = build()
    outputs = {
        OUT / "offline-table.tsv": write(OUT / "offline-table.tsv", HEADER_TABLE, verified,
                                         ["label", "qid", "class", "category", "aliases", "ambiguous", "sources"]),
        OUT / "unverified.tsv": write(OUT / "unverified.tsv", HEADER_UNVERIFIED, unverified,
                                      ["label", "qid", "class", "category", "sources", "reason"]),
    }
    if "--check" in argv:
        stale = [p.name for p, text in outputs.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
        if stale:
            print("out of date: " + ", ".join(stale), file=sys.stderr)
            return 1
        return 0
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8")
    counts: dict[str, int] = {}
    for row in verified:
        counts[row["category"]] = counts.get(row["category"], 0) + 1
    print(f"{len(verified)} verified {counts}, {len(unverified)} unverified")
    for line in FCDO_OVERRULED:
        print(f"  fcdo-map disagrees, overruled: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
