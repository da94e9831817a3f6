"""search.analysis pinned piece by piece with a small hand-made lexicon (real Kiwi).

The session `analyzer` fixture is built once, so only one test would ever run its build code
(synonym table, lossy check); here each test builds what it checks, from a lexicon small enough
to build in milliseconds, and the expected tables are written out by hand.
"""
from __future__ import annotations

import pytest

from search.analysis import (
    CompoundFilter,
    KiwiTokenizer,
    Morph,
    SynonymFilter,
    compound_table,
    get_kiwi,
    kiwi_user_words,
    korean_analyzer,
    synonym_table,
    weighted_terms,
)
from search.lexicon import Lexicon, SynonymLine, UserWord

LEX = Lexicon(
    user_words=(UserWord("육아휴직", parts=("육아", "휴직")), UserWord("육휴"),
                UserWord("출산전후휴가", parts=("출산", "전후", "휴가")), UserWord("출산휴가", parts=("출산", "휴가")),
                UserWord("산휴")),
    synonyms=(SynonymLine("육아휴직", ("육휴", "육아 휴직", "육아휴가"), 1),
              SynonymLine("출산전후휴가", ("출산휴가", "산휴"), 2),
              SynonymLine("출산휴가거부", ("산휴 거부",), 3),
              SynonymLine("휴가", ("육휴", "바캉스"), 4),
              SynonymLine("센터", ("한달치 월급 명세", "센타"), 5)),
)
PARENTAL = (("육아휴직", False), ("육아", True), ("휴직", True))
MATERNITY = (("출산전후휴가", False), ("출산", True), ("전후", True), ("휴가", True))
# Kiwi itself once per process, at import (see tests/synthetic.py); nothing is analysed here
get_kiwi()
get_kiwi(kiwi_user_words(LEX))


def table_of(lex):
    tok = KiwiTokenizer(kiwi_user_words(lex))
    return synonym_table(lex, tok, CompoundFilter(compound_table(lex)))


def test_synonym_table_by_hand():
    table, _ = table_of(LEX)
    assert table == {
        ("육휴",): PARENTAL,
        ("육아", "휴가"): PARENTAL,          # "육아 휴직" is the canonical itself once joined: no entry
        ("출산휴가",): MATERNITY,
        ("산휴",): MATERNITY,
        # 출산휴가거부 holds 출산휴가, itself a variant: the line ends on 출산전후휴가 too
        ("산휴", "거부"): (*MATERNITY, ("거부", False)),
        ("바캉스",): (("휴가", False),),       # the variant after a conflicting one still counts
        ("센타",): (("센터", False),),         # and after a lossy one
    }


def test_synonym_conflicts_and_lossy_variants_are_reported_not_used():
    _, conflicts = table_of(LEX)
    assert conflicts == [
        (4, "육휴", "is already a variant of '육아휴직'"),
        (5, "한달치 월급 명세", "analyses to just '월급 명세', which would rewrite every '월급 명세' to '센터'; "
                             "left out"),
    ]


def test_a_line_whose_canonical_analyses_to_nothing_is_skipped():
    lex = Lexicon(synonyms=(SynonymLine("?!", ("월급",), 1), SynonymLine("임금", ("월급",), 2)))
    assert table_of(lex) == ({("월급",): (("임금", False),)}, [])


def test_compound_table_keeps_words_with_two_parts_or_more():
    assert compound_table(LEX) == {"육아휴직": ("육아", "휴직"), "출산전후휴가": ("출산", "전후", "휴가"),
                                   "출산휴가": ("출산", "휴가")}
    assert kiwi_user_words(Lexicon(user_words=(UserWord("산휴", "NNG", 1.5),))) == (("산휴", "NNG", 1.5),)


def test_weighted_terms_parts_weigh_less_unless_also_said():
    a = korean_analyzer(LEX)
    assert weighted_terms(a, "육아휴직 육아") == {"육아휴직": 1.0, "육아": 1.0, "휴직": 0.35}
    assert weighted_terms(a, "육아 육아휴직") == {"육아": 1.0, "육아휴직": 1.0, "휴직": 0.35}
    assert weighted_terms(a, "산휴 거부") == {"출산전후휴가": 1.0, "출산": 0.35, "전후": 0.35, "휴가": 0.35,
                                             "거부": 1.0}


@pytest.mark.parametrize("text, morphs", [
    ("월급을 안 줘요", [("월급", 0, 2), ("안주", 4, 7)]),        # 안 before: the span covers it
    ("대금을 못 받았어요", [("대금", 0, 2), ("안받", 4, 7)]),
    ("받지 못했어요", [("안받", 0, 1)]),                         # 지 못하다 after; 하 is not negated
    ("쓰지 말래요", [("안쓰", 0, 1)]),
    ("주지 않으면", [("안주", 0, 1)]),
    ("하지 않아요", []),                                          # 하 alone means nothing either way
    ("안 하면", [("안하", 0, 3)]),
    ("못 가요", [("안가", 0, 3)]),
    ("월급을 줘요", [("월급", 0, 2)]),
    ("못 하지", [("안하", 0, 3)]),                               # 못 before 하 at the second token
    ("돈을 잘 받았어요", [("돈", 0, 1)]),                        # an adverb that is not 안/못 negates nothing
    ("받아 못", []),                                              # 못 after the verb, not before
    ("돈 받지 못", [("돈", 0, 1), ("안받", 2, 3)]),               # 지 못 at the very end
    ("돈 받지", [("돈", 0, 1)]),                                  # 지 at the very end
    ("받지 잘", []),
    ("일을 받았어요", [("일", 0, 1)]),
])
def test_negation_exactly(text, morphs):
    assert [(m.text, m.start, m.end) for m in KiwiTokenizer().morphs(text)] == morphs


def test_compound_inside_a_longer_compound_counts_as_a_part():
    cf = CompoundFilter({"육아휴직": ("육아", "휴직"), "육아휴직급여": ("육아", "휴직", "급여")})
    joined = cf.transform([Morph("육아", 0, 2, "NNG"), Morph("휴직", 2, 4, "NNG"), Morph("급여", 4, 6, "NNG")])
    assert [(m.text, m.start, m.end, m.part) for m in joined] == [
        ("육아휴직급여", 0, 6, False), ("육아", 0, 2, True), ("휴직", 2, 4, True), ("급여", 4, 6, True),
        ("육아휴직", 0, 6, True)]
    one = cf.transform([Morph("육아휴직급여", 0, 6, "NNP")])
    assert [(m.text, m.start, m.end, m.part) for m in one] == [
        ("육아휴직급여", 0, 6, False), ("육아", 0, 2, True), ("휴직", 2, 4, True), ("급여", 4, 6, True),
        ("육아휴직", 0, 4, True)]
    assert cf.transform([Morph("육아", 0, 2, "NNG")]) == [Morph("육아", 0, 2, "NNG")]


def test_filters_compare_by_their_tables():
    assert KiwiTokenizer((("a", "NNP", 0.0),)) == KiwiTokenizer((("a", "NNP", 0.0),))
    assert KiwiTokenizer((("a", "NNP", 0.0),)) != KiwiTokenizer()
    assert KiwiTokenizer() != "tokenizer"
    assert CompoundFilter({"ab": ("a", "b")}) == CompoundFilter({"ab": ("a", "b")})
    assert CompoundFilter({"ab": ("a", "b")}) != CompoundFilter({})
    assert CompoundFilter({}) != {}
    assert CompoundFilter({"ab": ("a", "b")}).max_parts == 6
    assert SynonymFilter({("a",): (("b", False),)}) == SynonymFilter({("a",): (("b", False),)})
    assert SynonymFilter({("a",): (("b", False),)}) != SynonymFilter({})
    assert SynonymFilter({}) != {}


def test_a_compound_part_that_is_a_variant_becomes_its_canonical():
    f = SynonymFilter({("출산휴가",): MATERNITY, ("육휴",): PARENTAL, ("휴직",): (("휴가", False),)})
    got = f.transform([Morph("출산휴가급여", 0, 6, "NNP"), Morph("출산휴가", 0, 4, "NNG", True),
                       Morph("급여", 4, 6, "NNG", True)])
    assert got == [Morph("출산휴가급여", 0, 6, "NNP"), Morph("출산전후휴가", 0, 4, "NNG", True),
                   Morph("급여", 4, 6, "NNG", True)]
    # a replacement's own parts stay as the lexicon wrote them (휴직 is not rewritten to 휴가 there)
    assert f.transform([Morph("육휴", 0, 2, "NNP")]) == [
        Morph("육아휴직", 0, 2, "SYN"), Morph("육아", 0, 2, "SYN", True), Morph("휴직", 0, 2, "SYN", True)]


def test_synonym_filter_matches_the_longest_key():
    f = SynonymFilter({("a",): (("A", False),), ("a", "b", "c"): (("ABC", False),)})
    assert (f.max_len, SynonymFilter({}).max_len) == (3, 0)
    got = f.transform([Morph("a", 0, 1, "NNG"), Morph("b", 2, 3, "NNG"), Morph("c", 4, 5, "NNG")])
    assert [(m.text, m.start, m.end) for m in got] == [("ABC", 0, 5)]


def test_one_kiwi_per_set_of_user_words():
    words = (("평임", "NNP", 0.0),)
    assert get_kiwi(words) is get_kiwi(words)
    assert get_kiwi(words) is not get_kiwi()
    assert [t.form for t in get_kiwi(words).tokenize("평임")] == ["평임"]
    assert [t.form for t in get_kiwi().tokenize("평임")] != ["평임"]


@pytest.mark.parametrize("text, morphs", [
    ("비정규직 90일 6+6 월급을 안 줘요", [("비정규직", 0, 4, "NNG"), ("90일", 5, 8, "SN"), ("6+6", 9, 12, "SN"),
                                      ("월급", 13, 15, "NNG"), ("안주", 17, 20, "VV")]),
    ("돈이 미지급", [("돈", 0, 1, "NNG"), ("미지급", 3, 6, "NNG")]),       # the prefix after a particle
    ("임금미지급", [("임금", 0, 2, "NNG"), ("미지급", 2, 5, "NNG")]),      # the prefix after a noun
    ("부모 6+6", [("부모", 0, 2, "NNG"), ("6+6", 3, 6, "SN")]),           # 6+6 at the very end
    ("3+6 제도", [("3+6", 0, 3, "SN"), ("제도", 4, 6, "NNG")]),
    ("6+12", [("6+12", 0, 4, "SN")]),
    ("5만원", [("5만원", 0, 3, "SN")]),                                   # two units on one number
    ("자료 등 그거", [("자료", 0, 2, "NNG")]),                             # 등, 그거 say nothing
    # numbers: thousands commas dropped, at most two units glued on, % too, 6+6 only without spaces
    ("10,320원", [("10320원", 0, 7, "SN")]),
    ("90일일일", [("90일일", 0, 4, "SN")]),                               # Kiwi: 일/NNB 일/NR 일/NNB
    ("3만천원", [("3만천", 0, 3, "SN")]),                                 # the third unit is not glued
    ("80% 지급", [("80%", 0, 3, "SN"), ("지급", 4, 6, "NNG")]),
    ("10%%", [("10", 0, 2, "SN")]),
    ("6 + 6", [("6", 0, 1, "SN"), ("6", 4, 5, "SN")]),
    ("6+ 6", [("6", 0, 1, "SN"), ("6", 3, 4, "SN")]),
    ("6 +6", [("6", 0, 1, "SN"), ("6", 3, 4, "SN")]),
    ("6+6+6", [("6+6", 0, 3, "SN"), ("6", 4, 5, "SN")]),
    ("1+1명", [("1+1명", 0, 4, "SN")]),
    ("부모 6+", [("부모", 0, 2, "NNG"), ("6", 3, 4, "SN")]),                # a + at the very end
    ("신청할 때", [("신청", 0, 2, "NNG")]),                              # 때/NNG is a stop noun
    ("kids 2명", [("kids", 0, 4, "SL"), ("2명", 5, 7, "SN")]),
    # prefixes glue only onto a noun right after them
    ("비 정규직", [("정규직", 2, 5, "NNG")]),
    ("그 비 할인", [("할인", 4, 6, "NNG")]),
    ("불이익", [("불이익", 0, 3, "NNG")]),
    ("비가 와요", [("비", 0, 1, "NNG")]),                                 # 비 the noun; 오 a stop stem
    # Latin stop words dropped (any case), adjectives kept as VV, stop stems dropped
    ("a the Maternity leave", [("Maternity", 6, 15, "SL"), ("leave", 16, 21, "SL")]),
    ("The HOW leave", [("leave", 8, 13, "SL")]),
    ("예쁘고 좋다", [("예쁘", 0, 2, "VV"), ("좋", 4, 5, "VV")]),
    ("하고 있어요", []),
])
def test_selected_morphemes_with_their_tags(text, morphs):
    assert [(m.text, m.start, m.end, m.tag) for m in KiwiTokenizer().morphs(text)] == morphs


def test_known_compounds_inside_a_four_piece_compound():
    cf = CompoundFilter({"가나다라": ("가", "나", "다", "라"), "나다": ("나", "다"), "다라": ("다", "라")})
    got = cf.transform([Morph(x, i, i + 1, "NNG") for i, x in enumerate("가나다라")])
    assert [(m.text, m.part) for m in got] == [("가나다라", False), ("가", True), ("나", True), ("다", True),
                                               ("라", True), ("나다", True), ("다라", True)]
