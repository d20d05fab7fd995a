"""The spaCy pipeline newskg runs: no lemmatizer (nothing reads lemmas), paragraph breaks as sentence starts."""

import random

import pytest

spacy = pytest.importorskip("spacy")

from kg.extract import _paragraph_breaks, _pipeline  # noqa: E402
from kg.extract.rules.events import OPENING_CLOSING, OPENING_CLOSING_FORMS  # noqa: E402
from kg.nlp import load_model, model_name  # noqa: E402


def _default_model():
    try:
        return spacy.load(model_name())
    except OSError:
        pytest.skip(f"spaCy model {model_name()} is not installed")


def test_the_lemmatizer_is_not_loaded():
    full = _default_model()
    assert "lemmatizer" in full.pipe_names
    ours = _pipeline(None)
    assert "lemmatizer" not in ours.pipe_names
    assert [n for n in full.pipe_names if n != "lemmatizer"] == [n for n in ours.pipe_names if n != "kg_paragraphs"]


def test_a_pipeline_without_a_lemmatizer_loads(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.to_disk(tmp_path / "model")
    loaded = load_model(str(tmp_path / "model"))
    assert loaded.pipe_names == ["sentencizer"]


def _by_tokens(doc):
    """The definition: a sentence starts after every token whose text or trailing space holds a newline."""
    for tok in doc[1:]:
        if "\n" in doc[tok.i - 1].text or "\n" in doc[tok.i - 1].whitespace_:
            tok.is_sent_start = True
    return doc


def test_paragraph_breaks_start_the_same_sentences_as_the_token_loop():
    nlp = spacy.blank("en")
    rnd = random.Random(7)
    texts = ["", "\n", "a\n", "\na", "a \n b", "One.\n\nTwo \n\n\nthree\r\n four", "  \n\n  ", "Hello.\nWorld \n\n"]
    pieces = ["a", "Mr.", "b.", ",", " ", "  ", "\t", "\n", "\n\n", " \n ", "\r\n", "x\ny"]
    texts += ["".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 60))) for _ in range(400)]
    for text in texts:
        expected = [t.is_sent_start for t in _by_tokens(nlp.make_doc(text))]
        assert [t.is_sent_start for t in _paragraph_breaks(nlp.make_doc(text))] == expected, repr(text)


def _lemmatizer():
    full = _default_model()
    if "lemmatizer" not in full.pipe_names:
        pytest.skip("the default model has no lemmatizer")
    return full, full.get_pipe("lemmatizer")


def test_opening_closing_forms_are_the_lemmatizers_verbs():
    """Every word form whose lemma (as spaCy's English rule lemmatizer gives it for an inflected verb) is
    one of OPENING_CLOSING's is in OPENING_CLOSING_FORMS with the same predicate, and no other form is.

    A base form (VB, VBP) is its own lemma, so the only cases where the table and the lemma differ are an
    inflected form the tagger calls a base form ("opened"/VB: the lemma "opened" matched nothing, the
    table reads "opened") and a capitalised base word tagged as inflected ("Open"/VBD keeps its case);
    neither occurs in the 225 texts of tests/ and data/ (checked when the lemmatizer was dropped)."""
    full, lemmatizer = _lemmatizer()
    tables = lemmatizer.lookups
    rules = tables.get_table("lemma_rules")["verb"]
    exceptions = tables.get_table("lemma_exc")["verb"]
    candidates = set(OPENING_CLOSING_FORMS) | set(OPENING_CLOSING)
    candidates |= {form for form, lemmas in exceptions.items() if set(lemmas) & set(OPENING_CLOSING)}
    for lemma in OPENING_CLOSING:           # every string a suffix rule turns into the lemma
        candidates |= {lemma[:len(lemma) - len(new)] + old for old, new in rules if lemma.endswith(new)}
        candidates |= {lemma + lemma[-1] + ending for ending in ("s", "es", "ed", "ing")}
    for form in sorted(candidates):
        for morph in ("Tense=Past|VerbForm=Fin", "Aspect=Prog|Tense=Pres|VerbForm=Part",
                      "Number=Sing|Person=3|Tense=Pres|VerbForm=Fin", "Aspect=Perf|Tense=Past|VerbForm=Part"):
            doc = spacy.tokens.Doc(full.vocab, words=[form], pos=["VERB"], morphs=[morph])
            lemma = lemmatizer.rule_lemmatize(doc[0])[0]
            assert OPENING_CLOSING_FORMS.get(form) == OPENING_CLOSING.get(lemma), (form, morph, lemma)
        base = spacy.tokens.Doc(full.vocab, words=[form], pos=["VERB"], morphs=["VerbForm=Inf"])
        assert lemmatizer.rule_lemmatize(base[0])[0] == form
    assert set(OPENING_CLOSING) <= set(OPENING_CLOSING_FORMS)


WORD_SOUP = ("I me you he him she her it we us they them my your his its our their not n't is 's are 're am 'm have "
             "'ve was were did had 'd ai n't ca wo sha doin' goin' nothin' ol' somethin' 'em 'll gon na got ta let "
             "c'm on y' all 'nuff gets been being but there do does the a that which Mr. Smith said").split()


def test_the_indexed_attribute_ruler_annotates_as_spacys():
    """POS, tag, label, morphology, lemma and head of every token as the model's own attribute_ruler sets them."""
    from pathlib import Path

    from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG

    from kg.nlp import AttributeRules

    own = spacy.load(model_name(), exclude=["lemmatizer"])
    ours = _pipeline(None)          # with its paragraph breaks: the same in both
    own.add_pipe("kg_paragraphs", before="parser")
    assert isinstance(ours.get_pipe("attribute_ruler").rules, AttributeRules)
    corpus = sorted((Path(__file__).parent / "dev-corpus").glob("*/article.txt"))[:12]
    rnd = random.Random(11)
    texts = [p.read_text(encoding="utf-8") for p in corpus]
    texts += [" ".join(rnd.choice(WORD_SOUP) for _ in range(rnd.randint(1, 40))) for _ in range(150)]
    attrs = [POS, TAG, DEP, MORPH, LEMMA, HEAD]
    for text, a, b in zip(texts, ours.pipe(texts), own.pipe(texts), strict=True):
        assert (a.to_array(attrs) == b.to_array(attrs)).all(), text[:80]


def test_an_attribute_ruler_it_cannot_read_stays(tmp_path):
    from kg.nlp import AttributeRules

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "a", "OP": "+"}]], {"TAG": "DT"})
    assert AttributeRules.compile(ruler) is None
    nlp.to_disk(tmp_path / "model")
    loaded = load_model(str(tmp_path / "model"))
    assert type(loaded.get_pipe("attribute_ruler")).__name__ == "AttributeRuler"
    assert [t.tag_ for t in loaded("a a b")] == ["DT", "DT", ""]


def test_rules_apply_in_order_later_last(tmp_path):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "go"}]], {"TAG": "VB", "POS": "VERB"})
    ruler.add([[{"LOWER": {"REGEX": "^g"}}]], {"TAG": "XX"})
    ruler.add([[{"LOWER": "let"}, {"LOWER": "go"}]], {"POS": "NOUN"}, index=-1)
    ruler.add([[{"IS_SPACE": True}]], {"POS": "SPACE"})
    nlp.to_disk(tmp_path / "model")
    own = spacy.load(tmp_path / "model")
    ours = load_model(str(tmp_path / "model"))
    assert type(ours.get_pipe("attribute_ruler")).__name__ != "AttributeRuler"
    text = "let go  go gone Go \n let"
    expected = [(t.tag_, t.pos_) for t in own(text)]
    assert [(t.tag_, t.pos_) for t in ours(text)] == expected
    assert expected[1] == ("XX", "NOUN")
