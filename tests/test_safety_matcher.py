"""The crisis/danger matcher alone (kb/safety.py): the real Kiwi over content/safety.yaml, no
index. Fast enough for `make mutation`; the answers and channels are in tests/test_safety.py."""
from __future__ import annotations

import pytest

from kb.safety import compile_lexicon, normalise


def route(safety_check, text) -> str:
    return safety_check(text).route


# ---------------------------------------------------------------- the matcher

@pytest.mark.parametrize("q", ["목을 매고 싶어요", "목 매고 싶어요", "목매고 싶다", "목을 매달고 싶어"])
def test_spacing_and_particles_do_not_hide_a_method(safety_check, q):
    assert route(safety_check, q) == "crisis"


@pytest.mark.parametrize("q", ["죽고 싶어요", "죽고싶다", "죽고 싶었어요", "죽고 싶네요", "죽 고 싶 다", "죽고만 싶어요"])
def test_conjugations_of_wanting_to_die(safety_check, q):
    assert route(safety_check, q) == "crisis"


@pytest.mark.parametrize("q", ["배고파 죽겠어요", "피곤해 죽겠는데 야근수당", "죽을 것 같아요 입덧 때문에",
                               "회사가 죽도록 일을 시켜요"])
def test_tiredness_and_hyperbole_are_not_crisis(safety_check, q):
    """죽/VX of '배고파 죽겠다' is not 죽/VV; '죽을 것 같다' of morning sickness is no phrase."""
    assert route(safety_check, q) == ""


def test_negation_right_after_cancels_but_negative_phrases_still_match(safety_check):
    assert route(safety_check, "죽고 싶지는 않아요") == ""
    assert route(safety_check, "살고 싶지 않아요") == "crisis"


@pytest.mark.parametrize("q", ["자해 방지 교육은 의무인가요", "자살 예방 교육 받아야 하나요", "자살 유족도 휴가가 되나요",
                               "폭행 사건 처리 절차", "성추행 예방 교육 안 하면 과태료"])
def test_subject_words_nearby_cancel_the_match(safety_check, q):
    assert route(safety_check, q) == ""


def test_a_phrase_named_in_quotes_is_not_a_crisis_but_one_said_is(safety_check):
    assert route(safety_check, '"죽고 싶다"라는 표현을 쓴 직원 징계 가능한가요') == ""
    assert route(safety_check, "“죽고 싶다”는 표현 때문에 징계") == ""
    assert route(safety_check, '동료가 "죽고 싶다"고 말했어요') == "crisis"
    assert route(safety_check, '남편이 "죽여 버린다"는 말을 해요') == "danger"   # a quoted threat is a threat


@pytest.mark.parametrize("q", ["임신 사실을 알리자마자 해고당했어요", "복직하자마자 부서를 옮기래요",
                               "칼퇴하고 싶은데 단축근무 되나요", "예방접종 맞았는데 병가 되나요", "근로계약을 끝내고 싶어요",
                               "유서 깊은 회사인데 육아휴직 안 된대요", "퇴사하면 손해배상 청구하겠다고 협박해요"])
def test_look_alikes_raise_no_alarm(safety_check, q):
    assert route(safety_check, q) == ""


@pytest.mark.parametrize("q, expected", [
    ("I want to kill myself", "crisis"), ("I can’t go on", "crisis"), ("i'm thinking of ending my life", "crisis"),
    ("我想死", "crisis"), ("muốn chết", "crisis"), ("my husband hits me", "danger"), ("I am being stalked", "danger"),
    ("suicide prevention training at work", ""),
])
def test_other_languages(safety_check, q, expected):
    assert route(safety_check, q) == expected


def test_normalisation_defeats_width_zero_width_and_curly_quotes(safety_check):
    assert normalise("ｋｉｌｌ　ｍｙｓｅｌｆ") == "kill myself"
    assert route(safety_check, "ｋｉｌｌ　ｍｙｓｅｌｆ") == "crisis"
    assert route(safety_check, "죽\u200b고 싶어요") == "crisis"
    assert route(safety_check, "I can\u2019t do this anymore") == "crisis"


def test_danger_kinds_and_workplace(safety_check):
    v = safety_check("팀장이 회식 끝나고 강제로 끌어안았어요")
    assert v.danger and not v.crisis and v.at_work and v.kinds == ("sexual",)
    v = safety_check("남편이 때려요. 임신 중인데 무서워요")
    assert v.danger and not v.at_work and v.kinds == ("violence",)


def test_a_phrase_never_spans_two_sentences(safety_check):
    assert route(safety_check, "남편한테 맞았어요") == "danger"
    assert route(safety_check, "남편한테. 맞아요 그 말이") == ""


def test_lexicon_problems_are_reported(safety_check):
    lex = compile_lexicon({"rules": [
        {"id": "empty", "route": "crisis", "phrases": ["。"]},
        {"id": "bad-route", "route": "later", "phrases": ["죽고 싶다"]},
        {"id": "bad-regex", "route": "danger", "regex": ["(unclosed"]},
    ]}, safety_check.kiwi)
    text = "\n".join(lex.problems)
    assert "analyses to nothing" in text and "route must be" in text and "bad regex" in text
    assert lex.patterns == () and lex.regexes == ()


def test_kb_check_finds_unknown_centers_in_the_safety_routes(content):
    from dataclasses import replace as dc_replace

    from kb.check import check_safety_ids

    assert check_safety_ids(content) == []
    broken = dc_replace(content, safety={**content.safety, "routes": {"crisis": {"first": ["nowhere-000"]}}})
    messages = [p.message for p in check_safety_ids(broken)]
    assert any("nowhere-000" in m for m in messages)
    assert any("routes.danger.first" in m for m in messages)


# ---------------------------------------------------------------- the lexicon, compiled exactly

RAW = {
    "window": 1,
    "leads": {"crisis": "C-LEAD", "danger": "D-LEAD", "distress": "S-LEAD"},
    "why": {"x109": "why 109"},
    "routes": {"crisis": {"first": ["x109"]},
               "danger": {"first": ["x112", "x1366"], "at_work": {"sexual": ["xsh"], "violence": ["xmoel"]}}},
    "work_words": ["회사", "PC방", "CEO"],
    "step_headings": ["대처"],
    "not_near": {"crisis": ["예방", "News"], "danger": None},
    "not_near_regex": "prevention",
    "rules": [
        {"id": "die", "route": "crisis", "phrases": ["죽고 싶다"]},
        {"id": "hit", "route": "danger", "kind": "violence", "phrases": ["한테/JKB 맞/VV"]},
        {"id": "grab", "route": "danger", "kind": "sexual", "phrases": ["강제로 만지다"]},
        {"id": "sad", "route": "distress", "phrases": ["서럽다"]},
        {"id": "how", "route": "steps", "phrases": ["어떻게 해야 하다"]},
        {"id": "en", "route": "crisis", "regex": ["kill myself"]},
    ],
}


@pytest.fixture
def lex(safety_check):
    """Compiled again for every test: mutmut credits a function only to the tests that call it,
    and a fixture built once would credit compile_lexicon to the first test alone."""
    return compile_lexicon(RAW, safety_check.kiwi)


def detect_with(lex, safety_check, text):
    from kb.safety import detect

    return detect(text, lex, safety_check.kiwi)


def test_compiled_fields(lex):
    assert lex.window == 1 and lex.problems == []
    assert lex.leads == RAW["leads"] and lex.why == {"x109": "why 109"}
    assert lex.work_words == frozenset({"회사", "pc방", "ceo"})   # lower-cased like the question
    assert lex.step_headings == ("대처",)
    assert lex.not_near == {"crisis": frozenset({"예방", "news"}), "danger": frozenset()}
    assert lex.not_near_regex is not None and lex.not_near_regex.pattern == "prevention"
    assert [(p.rule, p.route, p.kind, p.parts) for p in lex.patterns] == [
        ("die", "crisis", "", (("죽", "VV"), ("싶", "VX"))),
        ("hit", "danger", "violence", (("한테", "JKB"), ("맞", "VV"))),
        ("grab", "danger", "sexual", (("강제", ""), ("로", "JKB"), ("만지", "VV"))),
        ("sad", "distress", "", (("서럽", "VA"),)),
        ("how", "steps", "", (("어떻", "VA"), ("하", "VV"), ("하", "VX"))),
    ]
    assert [(r.rule, r.route, r.kind, r.regex.pattern) for r in lex.regexes] == [("en", "crisis", "", "kill myself")]


def test_defaults_of_an_empty_lexicon(safety_check):
    empty = compile_lexicon({}, safety_check.kiwi)
    assert empty.window == 2 and empty.patterns == () and empty.regexes == () and empty.problems == []
    assert empty.not_near_regex is None and empty.first_ids(detect_with(empty, safety_check, "죽고 싶어요")) == []


def test_first_ids_by_route_and_workplace(lex, safety_check):
    ids = lambda text: lex.first_ids(detect_with(lex, safety_check, text))   # noqa: E731
    assert ids("죽고 싶어요") == ["x109"]
    assert ids("남편한테 맞았어요") == ["x112", "x1366"]                       # not at work: no workplace route
    assert ids("회사에서 팀장한테 맞았어요") == ["x112", "x1366", "xmoel"]
    assert ids("회사에서 강제로 만졌어요") == ["x112", "x1366", "xsh"]
    assert ids("남편한테 맞아서 죽고 싶어요") == ["x109", "x112", "x1366"]    # crisis first
    assert ids("서러워요") == [] and ids("출산휴가 며칠") == []


def test_window_is_the_most_words_between_two_parts(lex, safety_check):
    assert detect_with(lex, safety_check, "죽고 정말 싶어요").crisis            # one word between: window 1
    assert not detect_with(lex, safety_check, "죽고 정말 너무 싶어요").crisis   # two: too far


def test_leads_and_the_human_line(lex, safety_check):
    v = lambda text: detect_with(lex, safety_check, text)   # noqa: E731
    assert lex.lead(v("죽고 싶어요")) == "C-LEAD" and lex.empathy(v("죽고 싶어요")) == ""
    assert lex.lead(v("남편한테 맞아서 죽고 싶어요")) == "C-LEAD\n\nD-LEAD"
    assert lex.lead(v("서러워요")) == "" and lex.empathy(v("서러워요")) == "S-LEAD"
    assert lex.empathy(v("서러워서 죽고 싶어요")) == ""        # the urgent lead, not the human line
    assert lex.empathy(v("출산휴가 며칠")) == ""
    assert v("어떻게 해야 하나요").asks_steps and not v("어떻게 해야 하나요").urgent
    assert v("서러워요").distressed and v("서러워요").route == ""


def test_without_blanks_exactly_the_spans_of_a_route(lex, safety_check):
    text = normalise("권고사직 하래요 너무 서러워요 어떻게 해야 돼요")
    v = detect_with(lex, safety_check, text)
    assert v.without("distress", text) == "권고사직 하래요 너무 요 어떻게 해야 돼요"
    assert v.without("crisis", text) == text
    assert v.without("steps", text).startswith("권고사직 하래요 너무 서러워요")


def test_a_long_message_is_checked_at_both_ends(safety_check):
    # a filler Kiwi reads as a few long tokens: the point is the length, and a filler of
    # thousands of words makes every mutant of the matcher run for minutes under mutmut
    filler = "x" * 45_000                                              # far over MAX_SCAN_CHARS
    assert safety_check("죽고 싶어요. " + filler).crisis
    assert safety_check(filler + " 죽고 싶어요").crisis
    assert not safety_check(filler).urgent


def test_normalise_exactly():
    assert normalise("  a\u00a0b\u3000c\t") == "a b c"
    assert normalise("ｃａｎ’ｔ") == "can't"
    assert normalise("죽\u200b고\u2060 싶\ufeff어") == "죽고 싶어"
    assert normalise(None) == "" and normalise("") == ""


def test_scan_text_keeps_a_text_up_to_the_limit_and_both_halves_of_a_longer_one():
    from kb.safety import MAX_SCAN_CHARS, _scan_text

    assert MAX_SCAN_CHARS == 20_000
    at_limit = "a" * 10_000 + "b" * 10_000
    assert _scan_text(at_limit) == at_limit
    assert _scan_text("a" * 10_000 + "m" + "b" * 10_000) == "a" * 10_000 + " . " + "b" * 10_000
    assert _scan_text("a" * 10_000 + "m" * 7 + "b" * 10_000) == "a" * 10_000 + " . " + "b" * 10_000
    assert _scan_text("") == ""


def test_spans_of_a_long_message_refer_to_the_text_scanned():
    """Over the limit the middle is cut: the end's span counts from the cut (10 000 + " . ")."""
    from kb.safety import detect
    from search.analysis import get_kiwi

    lex = compile_lexicon({"rules": [{"id": "die", "route": "crisis", "phrases": ["죽고 싶다"]}]}, get_kiwi())
    end = "x" * 9_993 + " 죽고 싶어요"                                  # 10 000 characters
    assert len(end) == 10_000
    v = detect("y" * 30_000 + end, lex, get_kiwi())
    assert [a.span for a in v.alarms] == [(10_003 + 9_994, 10_003 + 9_998)]
    v = detect("y" * 10_000 + end, lex, get_kiwi())                   # exactly at the limit: whole
    assert [a.span for a in v.alarms] == [(10_000 + 9_994, 10_000 + 9_998)]


# ---------------------------------------------------------------- the pieces, by hand

def test_analyse_keeps_content_words_and_adverbial_particles_and_marks_sentence_ends(safety_check):
    from kb.safety import Tok, analyse

    kiwi = safety_check.kiwi
    assert analyse(kiwi, "회사에서 팀장한테 3번 맞았다. 'OK'이다!") == [
        Tok("회사", "NNG", 0, 2), Tok("에서", "JKB", 2, 4), Tok("팀장", "NNG", 5, 7), Tok("한테", "JKB", 7, 9),
        Tok("3", "SN", 10, 11), Tok("번", "NNB", 11, 12), Tok("맞", "VV", 13, 14), None,
        Tok("ok", "SL", 19, 21), None]                                 # quotes and the copula 이 dropped
    # subject particle and endings dropped; VA-I read as VA
    assert analyse(kiwi, "남편이 때려요. 무서워요") == [
        Tok("남편", "NNG", 0, 2), Tok("때리", "VV", 4, 6), None, Tok("무섭", "VA", 9, 12)]
    assert analyse(kiwi, "我想死 3번") == [Tok("我想死", "SH", 0, 3), Tok("3", "SN", 4, 5), Tok("번", "NNB", 5, 6)]
    # no sentence end before the first word, and one for a run of them
    assert analyse(kiwi, "... 죽고") == [Tok("죽", "VV", 4, 5)]
    assert analyse(kiwi, "죽고.. 싶어요!! 정말") == [
        Tok("죽", "VV", 0, 1), None, Tok("싶", "VX", 5, 6), None, Tok("정말", "MAG", 11, 13)]
    assert analyse(kiwi, "PC방 사장이 USB를 던졌다…") == [
        Tok("pc", "SL", 0, 2), Tok("방", "NNG", 2, 3), Tok("사장", "NNG", 4, 6), Tok("usb", "SL", 8, 11),
        Tok("던지", "VV", 13, 15)]                                       # … (SE) dropped


def test_same_compares_the_form_then_the_tag():
    from kb.safety import Tok, _same

    die = Tok("죽", "VV", 0, 1)
    assert _same(("죽", "VV"), die) and _same(("죽", ""), die)
    assert not _same(("죽", "VX"), die) and not _same(("살", "VV"), die) and not _same(("살", ""), die)
    office = Tok("회사", "NNG", 0, 2)
    assert _same(("회사", "NNP"), office) and _same(("회사", "NNG"), office)    # any noun is a noun
    assert not _same(("회사", "VV"), office)
    assert not _same(("회사", "NNG"), Tok("회사", "SL", 0, 2))


def _toks(*forms):
    from kb.safety import Tok

    return [None if f is None else Tok(f, "NNG", i, i + 1) for i, f in enumerate(forms)]


def _pattern(*forms, route="crisis"):
    from kb.safety import Pattern

    return Pattern("r", route, "", tuple((f, "") for f in forms), " ".join(forms))


def test_match_at_returns_the_index_of_the_last_part():
    from kb.safety import _match_at

    ab = _pattern("a", "b")
    assert _match_at(ab, _toks("a", "b"), 0, 0) == 1
    assert _match_at(ab, _toks("a", "x", "b"), 0, 1) == 2                  # one word between: window 1
    assert _match_at(ab, _toks("a", "x", "b"), 0, 0) is None
    assert _match_at(ab, _toks("a", "x", "y", "b"), 0, 1) is None
    assert _match_at(ab, _toks("a", "x", "y", "b"), 0, 2) == 3
    assert _match_at(ab, _toks("a", "b", "b"), 0, 2) == 1                  # the nearest
    assert _match_at(ab, _toks("a", None, "b"), 0, 2) is None              # not across a sentence end
    assert _match_at(ab, _toks(None, "a", "b"), 0, 2) is None
    assert _match_at(ab, _toks("x", "a", "b"), 0, 2) is None               # must start at i
    assert _match_at(ab, _toks("x", "a", "b"), 1, 2) == 2
    assert _match_at(ab, _toks("a"), 0, 5) is None                         # the text ends first
    assert _match_at(_pattern("a"), _toks("x", "a"), 1, 0) == 1
    abc = _pattern("a", "b", "c")
    assert _match_at(abc, _toks("a", "x", "b", "x", "c"), 0, 1) == 4       # the window counts from each part
    assert _match_at(abc, _toks("a", "c", "b"), 0, 2) is None              # in order


def test_negated_after_reads_only_the_next_word(safety_check):
    from kb.safety import Tok, _negated_after

    toks = [Tok("죽", "VV", 0, 1), Tok("싶", "VX", 3, 4), Tok("않", "VX", 6, 7), None, Tok("못하", "VX", 9, 11)]
    assert _negated_after(toks, 1) is True
    assert _negated_after(toks, 0) is False
    assert _negated_after(toks, 2) is False                                # a sentence end follows
    assert _negated_after(toks, 4) is False                                # nothing follows
    assert _negated_after(toks[:2] + [Tok("않", "VA", 6, 7)], 1) is False   # the tag counts too
    assert _negated_after(toks[:2] + [Tok("말", "VX", 6, 7)], 1) is True
    assert _negated_after(toks[:2] + [Tok("못하", "VX", 6, 8)], 1) is True


def test_near_looks_two_words_each_way():
    from kb.safety import _near

    words = frozenset({"w"})
    assert _near(_toks("w", "x", "a", "b", "y", "z"), 2, 3, words) is True
    assert _near(_toks("x", "w", "a", "b", "y", "z"), 2, 3, words) is True
    assert _near(_toks("x", "y", "a", "b", "w", "z"), 2, 3, words) is True
    assert _near(_toks("x", "y", "a", "b", "z", "w"), 2, 3, words) is True
    assert _near(_toks("w", "x", "y", "a", "b", "y", "z", "w"), 3, 4, words) is False   # three away
    assert _near(_toks("x", "y", "a", "w", "b"), 2, 4, words) is False      # inside the match
    assert _near(_toks("w", "a"), 1, 1, words) is True and _near(_toks("a", "w"), 0, 0, words) is True
    assert _near(_toks(None, "a", None), 1, 1, words) is False
    assert _near(_toks("w", "x", "y", "a"), 3, 3, words, reach=3) is True
    assert _near(_toks("w", "x", "a"), 2, 2, frozenset()) is False


def test_named_quotes_are_the_quotes_followed_by_a_naming_word():
    from kb.safety import _named_quotes

    assert _named_quotes('"죽고 싶다"라는 표현') == [(0, 7)]
    assert _named_quotes('"죽고 싶다"는 표현') == [(0, 7)]
    assert _named_quotes("'죽자'란 말") == [(0, 4)]
    assert _named_quotes("「죽자」는 노래 『살자』라고 쓴 글") == [(0, 4), (9, 13)]
    assert _named_quotes('"a" "b"라는') == [(4, 7)]
    assert _named_quotes('"죽고 싶다"고 말했어요') == [] and _named_quotes("죽고 싶다는 말") == []


def test_normalise_drops_surrogates_and_private_use_characters():
    assert normalise("a\ud800b\ue000c") == "abc"


def test_parse_phrase_takes_tagged_words_as_they_are(safety_check):
    from kb.safety import parse_phrase

    kiwi = safety_check.kiwi
    assert parse_phrase(kiwi, "강제로 만지다") == (("강제", ""), ("로", "JKB"), ("만지", "VV"))
    assert parse_phrase(kiwi, "한테/JKB 맞/VV") == (("한테", "JKB"), ("맞", "VV"))
    assert parse_phrase(kiwi, "목을 매/VV 달다") == (("목", ""), ("매", "VV"), ("달", "VA"))   # in order
    assert parse_phrase(kiwi, "PC/SL 방") == (("pc", "SL"), ("방", ""))
    assert parse_phrase(kiwi, "a/b/VV") == (("a/b", "VV"),)
    assert parse_phrase(kiwi, "죽다. 살다") == (("죽", "VV"), ("살", "VV"))            # one phrase, one run
    assert parse_phrase(kiwi, "。") == () and parse_phrase(kiwi, "") == ()


def test_lexicon_problems_name_the_rule_exactly(safety_check):
    lex = compile_lexicon({"window": "3", "rules": [
        {"route": "crisis", "phrases": ["죽다"]}, {"route": "later"},
        {"id": "r", "route": "danger", "regex": ["(", "b"]}, {"id": "dot", "route": "crisis", "phrases": ["。", "살다"]}]},
        safety_check.kiwi)
    assert lex.window == 3
    assert lex.problems == ["rule 'rule-2': route must be one of crisis, danger, distress, steps",
                            "rule 'r': bad regex '(': missing ), unterminated subpattern at position 0",
                            "rule 'dot': phrase '。' analyses to nothing"]
    assert [(p.rule, p.route, p.kind, p.parts, p.phrase) for p in lex.patterns] == [
        ("rule-1", "crisis", "", (("죽", "VV"),), "죽다"), ("dot", "crisis", "", (("살", "VV"),), "살다")]
    assert [(r.rule, r.route, r.regex.pattern) for r in lex.regexes] == [("r", "danger", "b")]
    assert compile_lexicon(None, safety_check.kiwi).patterns == ()     # type: ignore[arg-type]


def test_a_negative_pattern_is_one_with_a_negative_form():
    assert _pattern("살", "싶", "않").negative is True
    assert _pattern("살", "못").negative is True
    assert _pattern("죽", "싶").negative is False


# ---------------------------------------------------------------- verdicts, by hand

def _verdict(*alarms, at_work=False):
    from kb.safety import Alarm, Verdict

    return Verdict(tuple(Alarm(rule, route, kind, span) for rule, route, kind, span in alarms), at_work)


def test_verdict_flags_and_route():
    crisis = _verdict(("a", "crisis", "", (0, 1)))
    danger = _verdict(("b", "danger", "violence", (0, 1)))
    both = _verdict(("b", "danger", "violence", (0, 1)), ("a", "crisis", "", (2, 3)))
    sad = _verdict(("s", "distress", "", (0, 1)))
    how = _verdict(("h", "steps", "", (0, 1)))
    assert (crisis.crisis, crisis.danger, crisis.urgent, crisis.route) == (True, False, True, "crisis")
    assert (danger.crisis, danger.danger, danger.urgent, danger.route) == (False, True, True, "danger")
    assert both.route == "crisis+danger"                                   # crisis first, whatever the order
    assert (sad.urgent, sad.distressed, sad.asks_steps, sad.route) == (False, True, False, "")
    assert (how.urgent, how.distressed, how.asks_steps) == (False, False, True)
    assert crisis.distressed is False and crisis.asks_steps is False
    none = _verdict()
    assert (none.crisis, none.danger, none.urgent, none.distressed, none.asks_steps, none.route) == (
        False, False, False, False, False, "")


def test_verdict_kinds_are_the_danger_kinds_once_each_in_order():
    v = _verdict(("a", "danger", "sexual", (0, 1)), ("b", "crisis", "method", (0, 1)), ("c", "danger", "", (0, 1)),
                 ("d", "danger", "violence", (0, 1)), ("e", "danger", "sexual", (0, 1)))
    assert v.kinds == ("sexual", "violence")
    assert _verdict().kinds == ()


def test_verdict_without_blanks_each_span_of_the_route_once():
    text = "0123456789abcdef"
    v = _verdict(("a", "distress", "", (6, 8)), ("b", "distress", "", (0, 2)), ("c", "distress", "", (2, 4)),
                 ("d", "crisis", "", (10, 12)), ("e", "distress", "", (0, 0)), ("f", "distress", "", (6, 7)))
    assert v.without("distress", text) == "45" + "89abcdef"               # sorted; adjacent and overlapping spans
    inside = _verdict(("a", "distress", "", (5, 9)), ("b", "distress", "", (6, 8)))
    assert inside.without("distress", text) == "01234" + "9abcdef"
    assert v.without("crisis", text) == "0123456789cdef"
    assert v.without("danger", text) == text
    assert _verdict(("a", "distress", "", (4, 7))).without("distress", "너무  서러워  요 ") == "너무 요"


# ---------------------------------------------------------------- the lexicon's referrals, by hand

def test_first_ids_with_missing_routes():
    from kb.safety import SafetyLexicon

    both = _verdict(("a", "crisis", "", (0, 1)), ("b", "danger", "violence", (0, 1)), at_work=True)
    assert SafetyLexicon().first_ids(both) == []
    assert SafetyLexicon(routes={"crisis": None, "danger": None}).first_ids(both) == []
    assert SafetyLexicon(routes={"crisis": {"first": None}, "danger": {"first": None, "at_work": None}}
                         ).first_ids(both) == []
    assert SafetyLexicon(routes={"danger": {"at_work": {"violence": None}}}).first_ids(both) == []
    lex = SafetyLexicon(routes={"crisis": {"first": ["c1", "c2"]},
                                "danger": {"first": ["d1", "c1"], "at_work": {"violence": ["w1", "d1"], "sexual": ["s1"]}}})
    assert lex.first_ids(both) == ["c1", "c2", "d1", "w1"]                   # in order, once each
    assert lex.first_ids(_verdict(("b", "danger", "violence", (0, 1)))) == ["d1", "c1", "w1"][:2]
    two = _verdict(("b", "danger", "sexual", (0, 1)), ("c", "danger", "violence", (0, 1)), at_work=True)
    assert lex.first_ids(two) == ["d1", "c1", "s1", "w1"]
    assert lex.first_ids(_verdict(("s", "distress", "", (0, 1)), at_work=True)) == []


def test_lead_and_empathy_with_missing_leads():
    from kb.safety import SafetyLexicon

    both = _verdict(("b", "danger", "violence", (0, 1)), ("a", "crisis", "", (0, 1)))
    sad = _verdict(("s", "distress", "", (0, 1)))
    assert SafetyLexicon().lead(both) == "" and SafetyLexicon().empathy(sad) == ""
    assert SafetyLexicon(leads={"danger": "D"}).lead(both) == "D"
    assert SafetyLexicon(leads={"crisis": "C", "danger": "D", "distress": "S"}).lead(sad) == ""
    assert SafetyLexicon(leads={"crisis": "C", "danger": "D"}).lead(both) == "C\n\nD"
    lex = SafetyLexicon(leads={"distress": "S"})
    assert lex.empathy(sad) == "S"
    assert lex.empathy(_verdict(("s", "distress", "", (0, 1)), ("b", "danger", "", (0, 1)))) == ""
    assert lex.empathy(_verdict(("h", "steps", "", (0, 1)))) == ""


# ---------------------------------------------------------------- detect, edge by edge

def test_detect_spans_and_rules(lex, safety_check):
    v = detect_with(lex, safety_check, "정말 죽고 싶어요. 남편한테 맞았어요")
    assert [(a.rule, a.route, a.kind, a.span) for a in v.alarms] == [
        ("die", "crisis", "", (3, 7)), ("hit", "danger", "violence", (13, 17))]
    assert v.at_work is False
    v = detect_with(lex, safety_check, "죽고 싶어요 죽고 싶어요")                  # one alarm per rule
    assert [a.span for a in v.alarms] == [(0, 4)]
    v = detect_with(lex, safety_check, "I want to KILL MYSELF, kill myself")
    assert [(a.rule, a.route, a.kind, a.span) for a in v.alarms] == [("en", "crisis", "", (10, 21))]


def test_detect_on_what_is_not_a_message(lex, safety_check):
    from kb.safety import NO_ALARM

    for text in (None, 42, "", "   ", "\u200b"):
        assert detect_with(lex, safety_check, text) is NO_ALARM
    assert detect_with(lex, safety_check, "출산휴가 며칠이에요") is NO_ALARM


def test_detect_cancels_by_route(lex, safety_check):
    assert detect_with(lex, safety_check, "죽고 싶지 않아요").route == ""           # negated right after
    assert detect_with(lex, safety_check, "자살 예방 죽고 싶다").route == ""        # not_near of crisis
    assert detect_with(lex, safety_check, "NEWS: 죽고 싶다").route == ""            # lower-cased like the text
    assert detect_with(lex, safety_check, "예방 남편한테 맞았어요").route == "danger"   # not of danger
    assert detect_with(lex, safety_check, '"죽고 싶다"라는 말').route == ""           # named, crisis only
    assert detect_with(lex, safety_check, '"남편한테 맞았다"라는 말').route == "danger"
    # a start that leads nowhere or a cancelled match does not end the search: later ones count
    assert detect_with(lex, safety_check, "죽고 정말 너무 힘들어요. 죽고 싶어요").route == "crisis"
    assert detect_with(lex, safety_check, "죽고 싶지 않아요. 정말 죽고 싶어요").route == "crisis"
    assert detect_with(lex, safety_check, "자살 예방 죽고 싶다. 정말 죽고 싶어요").route == "crisis"
    assert detect_with(lex, safety_check, '"죽고 싶다"라는 말. 정말 죽고 싶어요').route == "crisis"


def test_not_near_regex_reaches_forty_characters(lex, safety_check):
    near = "prevention" + "." * 30 + "kill myself"
    far = "prevention" + "." * 31 + "kill myself"
    assert detect_with(lex, safety_check, near).route == ""
    assert detect_with(lex, safety_check, far).route == "crisis"
    assert detect_with(lex, safety_check, "kill myself" + "." * 30 + "prevention").route == ""
    assert detect_with(lex, safety_check, "kill myself" + "." * 31 + "prevention").route == "crisis"
    # a match cancelled by the filter does not end the search: a later one far from it counts
    v = detect_with(lex, safety_check, "kill myself prevention" + "." * 50 + "kill myself")
    assert [(a.rule, a.span) for a in v.alarms] == [("en", (72, 83))]
    no_filter = compile_lexicon({"rules": RAW["rules"]}, safety_check.kiwi)
    assert detect_with(no_filter, safety_check, near).route == "crisis"


def test_at_work_needs_a_work_word(lex, safety_check):
    assert detect_with(lex, safety_check, "CEO가 강제로 만졌어요").at_work is True       # lower-cased
    assert detect_with(lex, safety_check, "집에서 강제로 만졌어요").at_work is False


def test_for_content_builds_once_per_content(content, safety_check):
    from dataclasses import replace as dc_replace

    from kb.safety import SafetyCheck, for_content

    fresh = dc_replace(content)
    check = for_content(fresh)
    assert isinstance(check, SafetyCheck) and for_content(fresh) is check
    assert check.kiwi is safety_check.kiwi                                  # the shared Kiwi
    assert check("죽고 싶어요").route == "crisis" and check.lexicon.problems == []
    assert len(check.lexicon.patterns) == len(safety_check.lexicon.patterns)


def test_load_raw_reads_utf8_yaml(tmp_path):
    from kb.safety import load_raw

    path = tmp_path / "safety.yaml"
    path.write_text("window: 3\nleads: {crisis: 지금 109에 전화하세요}\n", encoding="utf-8")
    assert load_raw(path) == {"window": 3, "leads": {"crisis": "지금 109에 전화하세요"}}
    path.write_text("", encoding="utf-8")
    assert load_raw(path) == {}
    assert load_raw(str(path)) == {}


def test_a_check_remembers_each_text_verdict(safety_check):
    """SafetyCheck keeps verdicts by text: the same message checked by the answer, the log and the
    store is analysed once; other texts, and values that are not text, are checked afresh."""
    from kb.safety import SafetyCheck

    check = SafetyCheck(RAW, safety_check.kiwi)
    first = check("그냥 죽고 싶어요")
    assert first.alarms and check("그냥 죽고 싶어요") is first
    assert len(check._verdicts) == 1
    other = check("배고파 죽겠어요")
    assert other is not first and not other.alarms
    assert len(check._verdicts) == 2
    assert check(None) == check(123) and not check(None).alarms
    assert len(check._verdicts) == 2                 # nothing that is not text is remembered
    assert check.lexicon.patterns and check.kiwi is safety_check.kiwi
