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


# ---------------------------------------------------------------- urgent routes, steps, distress (real safety.yaml)

CRISIS_LEAD = ("지금 많이 힘드시군요. 혼자 견디지 마시고 자살예방 상담전화 109에 전화해 주세요. "
               "24시간 언제든 이야기를 들어 드립니다.")
DANGER_LEAD = ("지금 위험하다면 먼저 안전한 곳으로 피하고 112에 신고하세요. 말하기 어려우면 112로 문자를 "
               "보내도 됩니다. 여성긴급전화 1366은 24시간 상담하고 보호시설로 연결해 줍니다.")
EMPATHY = "많이 놀라고 속상하셨겠어요. 어떻게 하면 되는지 하나씩 같이 볼게요."
TOO_LONG = "질문이 너무 깁니다. 500자 이내로 줄여 주세요."
URGENT_PLACES = ("suicide-prevention-109", "police-112", "women-emergency-1366", "seoul-sexual-harassment-center")


def urgent_content(*topics, extra=()):
    return content(topics or [topic("a", referrals=("c1", "c2", "c3", "c4"))],
                   [center(c) for c in ("c1", "c2", "c3", "c4", *GENERAL, *URGENT_PLACES, *extra)])


def test_a_long_crisis_message_is_refused_but_keeps_109_first():
    s = StubSearcher(confident_result())
    a = ask("죽고 싶어요 " + "ｘ" * 600, urgent_content(), s)     # full-width letters: normalised (NFKC)
    assert s.asked == []                                        # nothing was searched
    assert a.q == "죽고 싶어요 " + "x" * 493                     # the text shown is cut at 500 characters
    assert a.answer == CRISIS_LEAD + "\n\n" + TOO_LONG
    assert (a.crisis, a.danger, a.confident, a.lead) == (True, False, False, CRISIS_LEAD)
    assert (a.topics, a.sections, a.suggestions, a.core, a.as_of) == ((), (), (), "", None)
    assert a.referrals == ("suicide-prevention-109", *GENERAL)
    assert [(c.id, c.urgent) for c in a.referral_cards] == [("suicide-prevention-109", True), *((g, False) for g in GENERAL)]
    assert a.referral_cards[0].why == "죽고 싶다는 생각이 들 때 24시간 언제든 전화로 이야기할 수 있는 곳입니다."


def test_a_long_message_without_danger_is_refused_as_usual():
    with pytest.raises(QuestionError) as e:
        ask("육아휴직 " + "가" * 600, urgent_content(), StubSearcher(result()))
    assert e.value.message == TOO_LONG


def test_a_long_danger_message_at_work_keeps_the_workplace_route_and_two_hotlines():
    a = ask("회사 사장이 강제로 성추행했어요 " + "가" * 600, urgent_content(), StubSearcher(result()))
    assert (a.crisis, a.danger) == (False, True)
    assert a.answer == DANGER_LEAD + "\n\n" + TOO_LONG
    # three urgent places first, then at least two of the others (at most five in all)
    assert a.referrals == ("police-112", "women-emergency-1366", "seoul-sexual-harassment-center", *GENERAL[:2])


def test_refused_but_urgent_shows_nothing_for_text_that_is_not_a_string():
    from kb.answer import refused_but_urgent, urgent_help

    help = urgent_help("죽고 싶어요", urgent_content())
    a = refused_but_urgent(None, QuestionError("질문을 글자로 입력해 주세요.", "not_text"), help)
    assert a.q == ""
    assert a.answer == CRISIS_LEAD + "\n\n질문을 글자로 입력해 주세요."
    assert (a.legal_basis, a.core, a.verify, a.detail, a.empathy) == ((), "", (), "", "")
    assert refused_but_urgent(123, QuestionError("질문을 글자로 입력해 주세요.", "not_text"), help).q == ""


def test_urgent_help_for_any_text_and_none_for_a_calm_one():
    from kb.answer import urgent_help

    c = urgent_content()
    assert urgent_help("육아휴직 급여는 얼마인가요", c) is None
    h = urgent_help("남편이 때려요", c)
    assert h is not None
    assert (h.route, h.crisis, h.danger, h.lead) == ("danger", False, True, DANGER_LEAD)
    assert h.referrals == ("police-112", "women-emergency-1366", *GENERAL)
    assert [c.urgent for c in h.cards] == [True, True, False, False, False]
    assert h.to_json() == {
        "route": "danger", "crisis": False, "danger": True, "lead": DANGER_LEAD,
        "referrals": ["police-112", "women-emergency-1366", *GENERAL],
        "referral_cards": [card.to_json() for card in h.cards],
    }
    assert h.to_json()["referral_cards"][0]["why"] == (
        "지금 위험하거나 방금 폭력·성폭력을 당했다면 바로 신고하세요. 문자로도 신고할 수 있어요.")


def test_danger_puts_112_and_1366_before_the_topic_places_at_most_five():
    a = ask("남편이 때려요 육아휴직", urgent_content(), StubSearcher(confident_result()))
    assert (a.crisis, a.danger, a.confident) == (False, True, True)
    assert a.referrals == ("police-112", "women-emergency-1366", "c1", "c2", "c3")
    assert [c.urgent for c in a.referral_cards] == [True, True, False, False, False]
    assert a.answer.startswith(DANGER_LEAD + "\n\na의 핵심-답변 내용입니다.")


def test_crisis_keeps_three_places_after_109_and_marks_only_109_urgent():
    a = ask("죽고 싶어요 육아휴직", urgent_content(), StubSearcher(confident_result()))
    assert a.referrals == ("suicide-prevention-109", "c1", "c2", "c3")
    assert [c.urgent for c in a.referral_cards] == [True, False, False, False]


def test_crisis_without_an_answer_shows_no_nearest_topic_nor_its_place():
    res = result(topics=[thit("a", 3.0, 0.2)], sections=[shit("a", CORE, 3.0)])   # related, not confident
    a = ask("죽고 싶어요", urgent_content(), StubSearcher(res))
    assert a.answer == CRISIS_LEAD + "\n\n" + URGENT_UNSURE
    assert a.suggestions == ()
    assert a.referrals == ("suicide-prevention-109", *GENERAL)   # not c1, the nearest topic's place


def test_urgent_card_without_its_own_line_keeps_the_routers_reason():
    from kb.content import Content
    from kb.safety import load_raw

    from .synthetic import REPO

    raw = load_raw(REPO / "content" / "safety.yaml")
    raw = {**raw, "why": {}}
    plain = urgent_content()
    c = Content(root=plain.root, topics=plain.topics, centers=plain.centers, safety=raw)
    a = ask("죽고 싶어요 육아휴직", c, StubSearcher(confident_result()))
    assert a.referral_cards[0].why == "지금 많이 힘드시다면 24시간 언제든 전화로 이야기할 수 있는 곳입니다."
    from kb.answer import urgent_help

    h = urgent_help("죽고 싶어요", c)
    assert h is not None and h.cards[0].why == "지금 많이 힘드시다면 24시간 언제든 전화로 이야기할 수 있는 곳입니다."
    assert a.referral_cards[0].urgent is True


def test_distress_gets_one_human_line_and_its_words_are_not_searched():
    s = StubSearcher(confident_result())
    a = ask("너무 속상해요 육아휴직 급여", urgent_content(), s)
    assert s.asked == [("너무 육아휴직 급여", 40)]       # the feeling word is left out whole (kb/sidewords.py)
    assert (a.empathy, a.lead, a.crisis, a.danger) == (EMPATHY, "", False, False)
    assert a.answer.startswith(EMPATHY + "\n\na의 핵심-답변 내용입니다.")
    assert a.confident is True


def test_a_question_of_only_feeling_words_is_searched_as_typed():
    s = StubSearcher(result())
    a = ask("멘붕", urgent_content(), s)
    assert s.asked == [("멘붕", 40)]
    assert a.answer == EMPATHY + "\n\n" + NOT_CONFIDENT


def test_calm_answer_has_no_lead_nor_empathy_and_names_its_detail():
    a = ask("육아휴직 급여", urgent_content(), StubSearcher(confident_result()))
    assert (a.lead, a.empathy, a.danger, a.detail) == ("", "", False, "pay")
    b = ask("육아휴직 급여", urgent_content(), StubSearcher(result(topics=[thit("a", 20.0, 0.8, [shit("a", CORE, 20.0)])])))
    assert b.confident is True and b.detail == ""



def test_asking_what_to_do_shows_the_steps_section_instead_of_the_detail():
    t = topic("a", anchors=(CORE, "pay", "대처 방법", "절차"))
    a = ask("육아휴직은 어떻게 하면 되나요", urgent_content(t), StubSearcher(confident_result()))
    assert a.confident is True
    assert a.detail == "대처 방법"
    assert a.answer.startswith("a의 핵심-답변 내용입니다.\n\n[대처 방법]\na의 대처 방법 내용입니다.\n\n근거:")
    assert "[pay]" not in a.answer


def test_not_asking_what_to_do_keeps_the_detail_even_when_the_topic_has_steps():
    t = topic("a", anchors=(CORE, "pay", "대처 방법", "절차"))
    a = ask("육아휴직 급여", urgent_content(t), StubSearcher(confident_result()))
    assert a.detail == "pay" and "[대처 방법]" not in a.answer


def test_asking_what_to_do_of_a_topic_without_steps_keeps_the_detail():
    a = ask("육아휴직은 어떻게 하면 되나요", urgent_content(), StubSearcher(confident_result()))
    assert a.detail == "pay" and "[pay]" in a.answer


def test_steps_section_best_scoring_then_first_in_order():
    from kb.answer import steps_section

    headings = ("방법", "절차")
    t = topic("a", anchors=("방법 요약", "pay", "대처 방법", "절차"))   # the core is never a steps section
    assert steps_section(t, thit("a", sections=[]), headings).anchor == "대처 방법"
    assert steps_section(t, thit("a", sections=[shit("a", "절차", 2.0), shit("a", "대처 방법", 1.0)]),
                         headings).anchor == "절차"
    assert steps_section(t, thit("a", sections=[shit("a", "방법 요약", 9.0)]), headings).anchor == "대처 방법"
    assert steps_section(t, thit("a", sections=[]), ("순서",)) is None
    assert steps_section(topic("b", anchors=("방법",)), thit("b", sections=[]), headings) is None
    # an unscored section counts as 0: any score beats it, whatever the order
    assert steps_section(t, thit("a", sections=[shit("a", "절차", 0.5)]), headings).anchor == "절차"
    # the first section after the core can be the steps section
    assert steps_section(topic("c", anchors=(CORE, "방법", "pay")), thit("c", sections=[]), headings).anchor == "방법"


# ---------------------------------------------------------------- what the router is given

def test_the_router_reads_the_question():
    c = urgent_content(extra=("moel-regional-office",))
    a = ask("월급을 안 줘요 노동청에 진정하려고요", c, StubSearcher(result()))
    assert a.referrals[:2] == ("moel-regional-office", "seoul-labor-rights-center")
    assert a.referral_cards[0].why == "임금체불 진정 (사업장 관할 노동청, 온라인 민원마당 가능)"


def test_the_router_reads_the_context_and_its_reasons_reach_the_cards():
    from kb.referrals import Context

    c = urgent_content(extra=("work-family-planner", "employment-center"))
    a = ask("육아휴직 급여", c, StubSearcher(confident_result()), context=Context(audience="employer"))
    assert a.referrals[:2] == ("work-family-planner", "employment-center")
    assert a.referral_cards[0].why == "중소기업 사업주에게 대체인력·유연근무를 1:1로 설계해 주는 고용센터 플래너"


def test_the_router_reads_the_given_clock():
    from dataclasses import replace
    from datetime import datetime

    from kb.hours import SEOUL, parse_schedule

    # open one minute a week: the given clock says open; any other moment (the real clock) closed
    schedule, _ = parse_schedule({"sun": "03:00-03:01"})
    c = urgent_content()
    c.centers["c1"] = replace(c.centers["c1"], open_hours=schedule, hours="일 03:00-03:01")
    at = datetime(2026, 11, 29, 3, 0, tzinfo=SEOUL)    # a Sunday
    a = ask("육아휴직 급여", c, StubSearcher(confident_result()), now=at)
    assert a.referral_cards[0].id == "c1" and a.referral_cards[0].open_now is True
    assert a.referral_cards[0].why == "노동 상담을 합니다."
