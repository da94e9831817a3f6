"""The six topics added for issue 12 answer questions written apart from their own `questions` list.

These questions are not in the topics' front matter (a test below checks that), so a hit here means
the body, keywords and lexicon carry the topic, not a copied question.
"""
import pytest

NEW_TOPIC_QUESTIONS = [
    ("회사에서 권고사직 하자는데 실업급여 받을 수 있는 건가요", "unemployment-benefit"),
    ("육아휴직 거절당해서 퇴사하면 구직급여 신청 가능해요?", "unemployment-benefit"),
    ("퇴사한 지 8개월 됐는데 실업급여 아직 신청할 수 있나", "unemployment-benefit"),
    ("1년 조금 넘게 일했는데 퇴직금 받을 수 있어요? 주 20시간이요", "severance-and-allowances"),
    ("직원 4명인 가게인데 밤 늦게까지 일해도 야간수당 안 준대요", "severance-and-allowances"),
    ("월급 받을 때 명세서 안 주는 회사 신고 되나요", "severance-and-allowances"),
    ("육아휴직 쓰는 동안 쿠팡 알바 해도 급여 계속 나와요?", "parental-leave-quit-or-side-job"),
    ("휴직 기간에 다른 회사로 옮기면 육아휴직 급여는 어떻게 돼요", "parental-leave-quit-or-side-job"),
    ("육아휴직 급여 부정수급하면 처벌 어느 정도예요", "parental-leave-quit-or-side-job"),
    ("초등학교 선생님 육아휴직 최대 몇 년이에요", "public-sector-leave"),
    ("지방공무원인데 육아휴직수당은 누가 줘요", "public-sector-leave"),
    ("공무원 육아휴직 기간 호봉 인정 되나요", "public-sector-leave"),
    ("필리핀에서 온 노동자인데 출산휴가 쓸 수 있나요", "migrant-workers"),
    ("외국인 근로자 육아휴직 급여 받으려면 고용보험 가입돼 있어야 하나요", "migrant-workers"),
    ("베트남 사람도 한국 사람이랑 최저임금 똑같이 받아요?", "migrant-workers"),
    ("가사도우미로 가정에 직접 고용됐는데 최저임금 적용 안 되나요", "domestic-care-workers"),
    ("가사서비스 인증기관 소속이면 퇴직금 받아요?", "domestic-care-workers"),
    ("입주 베이비시터 하다가 임신했어요 출산휴가 있나요", "domestic-care-workers"),
]


@pytest.mark.parametrize("q, topic", NEW_TOPIC_QUESTIONS)
def test_new_topic_is_in_the_top_three(knowledge, q, topic):
    a = knowledge.ask(q)
    assert a.confident is True
    assert topic in a.topics[:3], (q, a.topics[:3])


def test_questions_here_are_not_copied_into_the_topics(content):
    own = {q for t in content.topics.values() for q in t.questions}
    assert not own & {q for q, _ in NEW_TOPIC_QUESTIONS}


def test_migrant_answer_names_the_multilingual_hotline(knowledge):
    a = knowledge.ask("외국인 근로자 육아휴직 급여 받으려면 고용보험 가입돼 있어야 하나요")
    assert "foreign-worker-counseling-center" in a.referrals
