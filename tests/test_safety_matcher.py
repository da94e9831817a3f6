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
    "work_words": ["회사", "PC방"],
    "step_headings": ["대처"],
    "not_near": {"crisis": ["예방"]},
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


@pytest.fixture(scope="module")
def lex(safety_check):
    return compile_lexicon(RAW, safety_check.kiwi)


def detect_with(lex, safety_check, text):
    from kb.safety import detect

    return detect(text, lex, safety_check.kiwi)


def test_compiled_fields(lex):
    assert lex.window == 1 and lex.problems == []
    assert lex.leads == RAW["leads"] and lex.why == {"x109": "why 109"}
    assert lex.work_words == frozenset({"회사", "pc방"})          # lower-cased like the question
    assert lex.step_headings == ("대처",)
    assert lex.not_near == {"crisis": frozenset({"예방"})}
    assert lex.not_near_regex is not None and lex.not_near_regex.pattern == "prevention"
    assert [(p.rule, p.route, p.kind, p.parts) for p in lex.patterns] == [
        ("die", "crisis", "", (("죽", "VV"), ("싶", "VX"))),
        ("hit", "danger", "violence", (("한테", "JKB"), ("맞", "VV"))),
        ("grab", "danger", "sexual", (("강제", ""), ("로", "JKB"), ("만지", "VV"))),
        ("sad", "distress", "", (("서럽", "VA"),)),
        ("how", "steps", "", (("어떻", "VA"), ("하", "VV"), ("하", "VX"))),
    ]
    assert [(r.rule, r.route, r.regex.pattern) for r in lex.regexes] == [("en", "crisis", "kill myself")]


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
    filler = "회사 일이 많아요. " * 4000                                 # far over MAX_SCAN_CHARS
    assert len(filler) > 40_000
    assert safety_check("죽고 싶어요. " + filler).crisis
    assert safety_check(filler + " 죽고 싶어요").crisis
    assert not safety_check(filler).urgent


def test_normalise_exactly():
    assert normalise("  a\u00a0b\u3000c\t") == "a b c"
    assert normalise("ｃａｎ’ｔ") == "can't"
    assert normalise("죽\u200b고\u2060 싶\ufeff어") == "죽고 싶어"
    assert normalise(None) == "" and normalise("") == ""
