"""The Korean analyzer, with real Kiwi and the repo's real lexicon."""
import pickle

import pytest

from search.analysis import CompoundFilter, KiwiTokenizer, Morph, SynonymFilter, korean_analyzer, terms
from search.lexicon import Lexicon, SynonymLine, UserWord


def texts(analyzer, s):
    return [t.text for t in analyzer(s)]


@pytest.mark.parametrize("form", ["육아휴직을", "육아휴직은", "육아휴직이", "육아휴직에서", "육아휴직도"])
def test_particles_are_stripped(analyzer, form):
    assert texts(analyzer, form)[0] == "육아휴직"
    assert not any(t.endswith(("을", "은", "이", "에서", "도")) for t in texts(analyzer, form))


@pytest.mark.parametrize("spaced, joined", [("육아 휴직", "육아휴직"), ("출산 전후 휴가", "출산전후휴가"),
                                            ("임금 체불", "임금체불")])
def test_spaced_and_joined_compounds_meet(analyzer, spaced, joined):
    assert set(texts(analyzer, spaced)) == set(texts(analyzer, joined))


def test_compound_is_indexed_with_its_parts(analyzer):
    assert {"육아휴직", "육아", "휴직"} <= set(texts(analyzer, "육아휴직"))


def test_longer_compound_keeps_the_known_compound(analyzer):
    # Kiwi does not apply a user word inside a longer compound; the compound filter does
    assert "육아휴직" in texts(analyzer, "육아휴직급여")
    assert "급여" in texts(analyzer, "육아휴직급여")


def test_lemmas(analyzer):
    assert "나오" in texts(analyzer, "나와요")
    assert "나오" in texts(analyzer, "나왔어요")


@pytest.mark.parametrize("abbr, canonical", [("육휴", "육아휴직"), ("산휴", "출산전후휴가"), ("출휴", "출산전후휴가")])
def test_synonyms_normalise_abbreviations(analyzer, abbr, canonical):
    assert canonical in texts(analyzer, f"{abbr} 쓰고 싶어요")
    assert abbr not in texts(analyzer, f"{abbr} 쓰고 싶어요")


@pytest.mark.parametrize("negated, plain", [("비정규직", "정규직"), ("미지급", "지급"), ("불이익", "이익"), ("무급", "유급")])
def test_negating_prefixes_never_flip_meaning(analyzer, negated, plain):
    assert negated in [m.text for m in KiwiTokenizer().morphs(negated)]  # the prefix stays on
    neg, pos = set(texts(analyzer, negated)), set(texts(analyzer, plain))
    assert plain not in neg  # (the lexicon may rewrite 불이익 to 불리한처우; never to 이익)
    assert not neg & pos


def test_numbers_keep_their_units(analyzer):
    got = texts(analyzer, "출산휴가 90일, 임신 33주, 시급 10,320원, 만 12세, 80%")
    for expected in ("90일", "33주", "10320원", "12세", "80%"):
        assert expected in got
    assert "6+6" in [m.text for m in KiwiTokenizer().morphs("6+6 제도")]
    assert "부모육아휴직제" in texts(analyzer, "6+6 제도")  # and the lexicon names it


@pytest.mark.parametrize("negative, positive", [("월급을 안 줘요", "월급을 줘요"), ("임금을 주지 않아요", "임금을 줘요"),
                                                ("대금을 못 받았어요", "대금을 받았어요"), ("육휴 쓰지 말래요", "육휴 쓰래요")])
def test_negation_is_kept(negative, positive):
    tok = KiwiTokenizer()
    neg = [m.text for m in tok.morphs(negative)]
    assert any(t.startswith("안") and len(t) > 1 for t in neg), neg
    assert neg != [m.text for m in tok.morphs(positive)]


def test_highlight_offsets_point_at_the_right_characters(analyzer):
    text = "회사에서 육휴 쓰지 말래요. 육아 휴직은 권리입니다."
    spans = [(t.text, text[t.startchar:t.endchar]) for t in analyzer(text, chars=True, positions=True)]
    assert [s for term, s in spans if term == "육아휴직"] == ["육휴", "육아 휴직"]
    assert [s for term, s in spans if term == "회사"] == ["회사"]


def test_positions_increase(analyzer):
    positions = [t.pos for t in analyzer("육아휴직 급여 신청 방법", positions=True)]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)


def test_english_words_are_lowercased_and_stopwords_dropped(analyzer):
    got = texts(analyzer, "How many days of Maternity Leave?")
    assert "how" not in got and "of" not in got
    assert "출산전후휴가" in got or "maternity" in got


def test_analyzer_pickles_without_kiwi():
    lex = Lexicon((UserWord("육아휴직", "NNP", 0, ("육아", "휴직")),), (SynonymLine("육아휴직", ("육휴",)),))
    a = korean_analyzer(lex)
    blob = pickle.dumps(a)
    assert b"kiwipiepy" not in blob and len(blob) < 50_000
    assert terms(pickle.loads(blob), "육휴 신청") == terms(a, "육휴 신청")


def test_filters_are_small_pieces():
    compounds = CompoundFilter({"육아휴직": ("육아", "휴직")})
    out = compounds.transform([Morph("육아", 0, 2, "NNG"), Morph("휴직", 3, 5, "NNG")])
    assert [(m.text, m.part) for m in out] == [("육아휴직", False), ("육아", True), ("휴직", True)]
    syn = SynonymFilter({("육휴",): (("육아휴직", False),)})
    assert [m.text for m in syn.transform([Morph("육휴", 0, 2, "NNP")])] == ["육아휴직"]


def test_tokenizer_without_lexicon():
    tok = KiwiTokenizer()
    assert [m.text for m in tok.morphs("월급이 안 나와요")] == ["월급", "나오", "안나오"]
