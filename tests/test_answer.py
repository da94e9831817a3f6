"""Answers: confidence, crisis, referrals and the answer JSON contract."""
import pytest

from kb.privacy import mask
from kb.questions import QuestionError, clean_question

CONTRACT_KEYS = {"q", "answer", "topics", "sections", "referrals", "referral_cards", "confident", "crisis",
                 "as_of", "reviewed", "legal_basis", "suggestions"}


def test_answer_json_has_the_contract_fields(knowledge):
    a = knowledge.ask("육아휴직은 몇 번 나눠 쓸 수 있나요").to_json()
    assert set(a) >= CONTRACT_KEYS
    assert a["topics"][0] == "parental-leave"
    assert a["confident"] is True and a["crisis"] is False
    assert a["as_of"] and a["reviewed"] and a["legal_basis"]
    assert "검토일" in a["answer"] and "기준일" in a["answer"]
    ids = set(knowledge.content.centers)
    assert a["referrals"] and set(a["referrals"]) <= ids
    assert [c["id"] for c in a["referral_cards"]] == a["referrals"]


def test_colloquial_abbreviation_finds_the_topic(knowledge):
    assert knowledge.ask("회사에서 육휴 쓰지 말래요").topics[:3]


@pytest.mark.parametrize("q", ["회사 때문에 너무 힘들어서 죽고 싶어요", "살고 싶지 않아요", "자살 생각이 나요"])
def test_crisis_puts_109_first(knowledge, q):
    a = knowledge.ask(q)
    assert a.crisis is True
    assert a.referrals[0] == "suicide-prevention-109"
    assert a.answer.startswith("지금 많이 힘드시군요")


@pytest.mark.parametrize("q", ["아파트 청약 가점 계산", "비트코인 시세 알려줘", "오늘 날씨 어때요"])
def test_out_of_scope_abstains_with_general_hotlines(knowledge, q):
    a = knowledge.ask(q)
    assert a.confident is False
    assert "moel-1350" in a.referrals
    assert a.legal_basis == ()


def test_southwest_district_routes_to_the_southwest_center(knowledge):
    a = knowledge.ask("구로구에 사는 워킹맘인데 출산휴가 상담받을 곳 있나요")
    assert "seoul-southwest-working-mom-center" in a.referrals[:3]


def test_specific_question_adds_the_specific_section(knowledge):
    a = knowledge.ask("육아휴직 급여 신청은 언제 어디서 하나요")
    assert a.confident
    assert len(a.answer) > len(a.core)


@pytest.mark.parametrize("raw, code", [("", "empty"), ("   \n ", "empty"), ("가" * 501, "too_long"),
                                       ("육아\x00휴직", "control_chars"), (None, "not_text"), (3, "not_text")])
def test_bad_questions(raw, code):
    with pytest.raises(QuestionError) as e:
        clean_question(raw)
    assert e.value.code == code
    assert e.value.message  # Korean, for the person


def test_clean_question_squeezes_whitespace():
    assert clean_question("  육아휴직 \n\t 급여 ") == "육아휴직 급여"


@pytest.mark.parametrize("raw, hidden", [
    ("제 번호는 010-1234-5678 이에요", "1234"),
    ("01012345678로 연락주세요", "1234"),
    ("주민번호 900101-2345678", "345678"),
    ("02-123-4567 회사 번호", "123-"),
    ("메일 someone@example.com", "someone"),
])
def test_mask_personal_numbers(raw, hidden):
    assert hidden not in mask(raw)


def test_mask_keeps_hotlines():
    assert mask("1350이나 1661-2020, 02-120") == "1350이나 1661-2020, 02-120"


def test_an_english_sentence_is_answered_but_a_stray_latin_word_is_not(knowledge):
    """Migrant workers ask in English; the junk rule (kb.questions.has_words) must not refuse them."""
    a = knowledge.ask("How many days of maternity leave do I get in Korea?")
    assert a.confident and a.topics[0] == "maternity-leave"
    assert not knowledge.ask("SELECT * FROM topics").confident


@pytest.mark.parametrize("q, topic", [
    ("회사가 육아휴직 거절했는데 신고하고 싶어요", "leave-refused"),        # 거절 (a keyword of the topic)
    ("어린이집 하원 때문에 일찍 퇴근하고 싶어요", "childcare-reduced-hours"),  # what 육아기 단축 is for
])
def test_narrative_questions_found_by_testers_land_on_their_topic(knowledge, q, topic):
    a = knowledge.ask(q)
    assert a.confident and a.topics[0] == topic, a.topics[:3]
