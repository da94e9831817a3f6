"""kb.answer pinned with synthetic hits: confidence at each threshold, section choice, the text.

No index and no Kiwi: hits are built by hand (tests/synthetic.py) and the searcher is a stub
that returns them, so every expected value below is worked out from the numbers in the test.
"""
from __future__ import annotations

import pytest

from kb.answer import NOT_CONFIDENT, URGENT_UNSURE, ask, compose_text, date_line, is_confident, is_related, pick_sections
from kb.questions import QuestionError

from .synthetic import CORE, StubSearcher, center, content, result, shit, thit, topic

GENERAL = ["moel-1350", "seoul-labor-rights-center", "dasan-120"]


# ---------------------------------------------------------------- confidence

@pytest.mark.parametrize("coverage, score, expected", [
    (0.40, 6.0, True),     # both bars of the ordinary rule, exactly
    (0.40, 5.99, False),   # enough of the question, too weak a match
    (0.399, 49.9, False),  # a strong-ish match explaining a little too little
    (0.22, 50.0, True),    # long questions: a strong match explaining 22% is enough
    (0.219, 50.0, False),
    (0.22, 49.99, False),
    (0.10, 500.0, False),  # a very strong match on one side word is not an answer
    (0.90, 5.0, False),    # explaining everything with a feeble score is not either
    (1.0, 100.0, True),
])
def test_is_confident_at_and_around_each_threshold(coverage, score, expected):
    assert is_confident(thit("t", score=score, coverage=coverage)) is expected


def test_no_hit_is_never_confident_nor_related():
    assert is_confident(None) is False
    assert is_related(None) is False


@pytest.mark.parametrize("coverage, expected", [(0.15, True), (0.149, False), (0.0, False), (0.3, True)])
def test_is_related_from_coverage_alone(coverage, expected):
    assert is_related(thit("t", score=0.1, coverage=coverage)) is expected


# ---------------------------------------------------------------- which sections

def anchors(sections):
    return [s.anchor for s in sections]


def test_specific_section_added_when_it_outscores_the_core_by_5_percent():
    t = topic("a")
    hit = thit("a", sections=[shit("a", "apply", 21.0), shit("a", CORE, 20.0)])
    assert anchors(pick_sections(t, hit)) == [CORE, "apply"]


def test_specific_section_not_added_just_below_the_factor():
    t = topic("a")
    hit = thit("a", sections=[shit("a", "apply", 20.9), shit("a", CORE, 20.0)])
    assert anchors(pick_sections(t, hit)) == [CORE]


def test_best_non_core_section_is_the_first_listed_one():
    t = topic("a")
    hit = thit("a", sections=[shit("a", CORE, 10.0), shit("a", "pay", 30.0), shit("a", "apply", 40.0)])
    assert anchors(pick_sections(t, hit)) == [CORE, "pay"]


def test_core_not_matched_counts_as_zero():
    t = topic("a")
    hit = thit("a", sections=[shit("a", "pay", 0.5)])
    assert anchors(pick_sections(t, hit)) == [CORE, "pay"]


def test_only_the_core_when_nothing_else_matched():
    t = topic("a")
    assert anchors(pick_sections(t, thit("a", sections=[shit("a", CORE, 9.0)]))) == [CORE]
    assert anchors(pick_sections(t, thit("a", sections=[]))) == [CORE]


def test_section_unknown_to_the_topic_is_not_added():
    t = topic("a")
    hit = thit("a", sections=[shit("a", "gone", 50.0), shit("a", CORE, 1.0)])
    assert anchors(pick_sections(t, hit)) == [CORE]


def test_topic_without_sections_gets_none():
    t = topic("a", anchors=())
    assert pick_sections(t, thit("a", sections=[shit("a", "apply", 5.0)])) == []


# ---------------------------------------------------------------- the text

def test_date_line_names_basis_and_both_dates():
    t = topic("a", legal_basis=("법 제1조", "법 제2조"))
    assert date_line(t) == "근거: 법 제1조, 법 제2조 · 기준일 2025-02-23 · 검토일 2026-11-20"


def test_date_line_leaves_out_what_is_missing():
    assert date_line(topic("a", legal_basis=(), effective=None)) == "검토일 2026-11-20"
    assert date_line(topic("a", legal_basis=(), reviewed=None)) == "기준일 2025-02-23"
    assert date_line(topic("a", effective=None, reviewed=None)) == "근거: 어떤 법 제1조"


def test_compose_text_core_then_headed_sections_then_verify_then_dates():
    t = topic("a", verify=("하나", "둘"))
    text = compose_text(t, [t.sections[0], t.sections[2]])
    assert text == ("a의 핵심-답변 내용입니다.\n\n[pay]\na의 pay 내용입니다.\n\n"
                    "확인 필요: 하나 / 둘 (고용노동부 1350에서 확인하세요)\n\n"
                    "근거: 어떤 법 제1조 · 기준일 2025-02-23 · 검토일 2026-11-20")


def test_compose_text_without_verify_or_dates_has_no_empty_blocks():
    t = topic("a", legal_basis=(), effective=None, reviewed=None)
    assert compose_text(t, [t.sections[0]]) == "a의 핵심-답변 내용입니다."


# ---------------------------------------------------------------- ask(), end to end with a stub searcher

def kb_content(n_extra: int = 0, **kw):
    topics = [topic("a", referrals=("c1", "c2"), **kw), topic("b", referrals=("c1", "c3", "c4"))]
    topics += [topic(f"x{i}") for i in range(n_extra)]
    centers = [center("c1", serves=("a",))]
    centers += [center(c) for c in ("c2", "c3", "c4", *GENERAL, "suicide-prevention-109")]
    return content(topics, centers)


def confident_result(extra_topics=(), extra_sections=()):
    a_secs = [shit("a", "pay", 21.5), shit("a", CORE, 20.0)]
    return result(
        topics=[thit("ghost", 99.0, 1.0), thit("a", 20.0, 0.8, a_secs), thit("b", 5.0, 0.3), *extra_topics],
        sections=[shit("ghost", CORE, 99.0), *a_secs, shit("b", "apply", 5.0), *extra_sections],
    )


def test_confident_answer_is_the_core_plus_the_specific_section():
    c = kb_content(verify=("시행일",))
    s = StubSearcher(confident_result())
    a = ask("  육아휴직   급여 ", c, s)
    assert s.asked == [("육아휴직 급여", 40)]
    assert a.q == "육아휴직 급여"
    assert a.confident is True and a.crisis is False
    assert a.topics == ("a", "b")  # the topic missing from the content is dropped
    assert a.answer == ("a의 핵심-답변 내용입니다.\n\n[pay]\na의 pay 내용입니다.\n\n"
                        "확인 필요: 시행일 (고용노동부 1350에서 확인하세요)\n\n"
                        "근거: 어떤 법 제1조 · 기준일 2025-02-23 · 검토일 2026-11-20")
    assert a.core == "a의 핵심-답변 내용입니다."
    assert (a.as_of, a.reviewed) == ("2025-02-23", "2026-11-20")
    assert a.legal_basis == ("어떤 법 제1조",)
    assert a.verify == ("시행일",)
    assert a.suggestions == ()
    assert [(r.topic, r.anchor, r.title, r.score) for r in a.sections] == [
        ("a", "pay", "pay", 21.5), ("a", CORE, CORE, 20.0), ("b", "apply", "apply", 5.0)]
    assert a.referrals == ("c1", "c2", "c3")
    assert [card.id for card in a.referral_cards] == ["c1", "c2", "c3"]
    # a place that serves the answered topic says so; another gives its first sentence
    assert [card.why for card in a.referral_cards] == ["a 제목 상담 · 노동 상담을 합니다.", "노동 상담을 합니다.",
                                                       "노동 상담을 합니다."]


def test_confident_answer_without_dates_has_none():
    c = kb_content(effective=None, reviewed=None)
    a = ask("질문", c, StubSearcher(confident_result()))
    assert a.confident and a.as_of is None and a.reviewed is None


def test_confident_topic_without_sections_answers_with_its_summary():
    c = content([topic("a", anchors=(), summary="요약 한 줄.")], [center(x) for x in GENERAL])
    a = ask("질문", c, StubSearcher(result(topics=[thit("a", 20.0, 0.8)])))
    assert a.confident and a.core == "요약 한 줄."
    assert a.answer == "근거: 어떤 법 제1조 · 기준일 2025-02-23 · 검토일 2026-11-20"


def test_at_most_five_sections_and_ten_topics():
    c = kb_content(n_extra=12)
    extra_t = [thit(f"x{i}", 1.0, 0.1) for i in range(12)]
    extra_s = [shit(f"x{i}", CORE, 1.0) for i in range(12)]
    a = ask("질문", c, StubSearcher(confident_result(extra_t, extra_s)))
    assert len(a.sections) == 5
    assert a.topics == ("a", "b", *(f"x{i}" for i in range(8)))


def test_related_answer_says_so_and_shows_the_nearest_core_labelled():
    c = kb_content()
    res = result(topics=[thit("a", 3.0, 0.2), thit("b", 2.0, 0.1)], sections=[shit("a", CORE, 3.0)])
    a = ask("애매한 질문", c, StubSearcher(res))
    assert a.confident is False
    assert a.answer == (NOT_CONFIDENT + "\n\n가장 가까운 내용은 'a 제목'입니다. 질문과 맞는지 확인해 주세요:\n"
                        "a의 핵심-답변 내용입니다.")
    assert a.suggestions == ("a 제목", "b 제목")
    assert (a.as_of, a.reviewed, a.legal_basis, a.core, a.verify) == (None, None, (), "", ())
    assert a.referrals == ("c1", *GENERAL)  # the nearest topic's first place, then the hotlines
    assert a.referral_cards[0].why == "노동 상담을 합니다."  # not "a 제목 상담": a is not the answer


def test_related_topic_without_sections_shows_its_summary():
    c = content([topic("a", anchors=(), summary="요약 한 줄.")], [center(x) for x in GENERAL])
    a = ask("질문", c, StubSearcher(result(topics=[thit("a", 3.0, 0.2)])))
    assert a.answer.endswith("확인해 주세요:\n요약 한 줄.")


def test_unrelated_question_gets_no_nearest_topic_only_hotlines():
    c = kb_content()
    res = result(topics=[thit("a", 40.0, 0.14), thit("b", 2.0, 0.1)])
    a = ask("비트코인 시세", c, StubSearcher(res))
    assert a.confident is False
    assert a.answer == NOT_CONFIDENT
    assert a.suggestions == ("a 제목", "b 제목")
    assert a.referrals == tuple(GENERAL)


def test_suggestions_are_at_most_three():
    c = kb_content(n_extra=4)
    res = result(topics=[thit("a", 1.0, 0.1), thit("b", 1.0, 0.1), thit("x0", 1.0, 0.1), thit("x1", 1.0, 0.1)])
    assert ask("질문", c, StubSearcher(res)).suggestions == ("a 제목", "b 제목", "x0 제목")


def test_nothing_found_abstains():
    a = ask("질문", kb_content(), StubSearcher(result()))
    assert a.confident is False and a.topics == () and a.answer == NOT_CONFIDENT
    assert a.referrals == tuple(GENERAL)


def test_crisis_leads_a_confident_answer_with_109():
    c = kb_content()
    a = ask("너무 힘들어서 죽고 싶어요 육아휴직", c, StubSearcher(confident_result()))
    lead = ("지금 많이 힘드시군요. 혼자 견디지 마시고 자살예방 상담전화 109에 전화해 주세요. "
            "24시간 언제든 이야기를 들어 드립니다.")
    assert a.crisis is True and a.lead == lead
    assert a.answer.startswith(lead + "\n\na의 핵심-답변 내용입니다.")
    assert a.core == "a의 핵심-답변 내용입니다."
    assert a.referrals[0] == "suicide-prevention-109"
    assert a.referral_cards[0].why == "죽고 싶다는 생각이 들 때 24시간 언제든 전화로 이야기할 수 있는 곳입니다."
    assert a.referral_cards[0].urgent is True


def test_crisis_without_an_answer_still_leads_with_109():
    a = ask("살고 싶지 않아요", kb_content(), StubSearcher(result()))
    assert a.crisis is True
    assert a.lead.startswith("지금 많이 힘드시군요") and a.lead.endswith("들어 드립니다.")
    assert a.answer.startswith(a.lead) and a.answer.endswith(URGENT_UNSURE)   # no "not understood" over 109
    assert NOT_CONFIDENT not in a.answer
    assert a.referrals == ("suicide-prevention-109", *GENERAL)


def test_the_search_gets_the_expanded_question_and_the_answer_the_typed_one():
    s = StubSearcher(result())
    a = ask("직원 4명인 회사", kb_content(), s)
    assert s.asked == [("직원 4명인 회사 5인 미만 사업장", 40)]
    assert a.q == "직원 4명인 회사"


def test_bad_question_is_refused_before_searching():
    s = StubSearcher(result())
    with pytest.raises(QuestionError):
        ask("   ", kb_content(), s)
    assert s.asked == []
