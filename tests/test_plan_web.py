"""/plan, /plan.ics, POST /api/plan, the chat's plan offer, `kb plan` and the rules cross-check of `kb check`.

Flask's test client against the real app and real content; the plan's 'today' is fixed
(PLAN_TODAY) so the expected dates are the ones worked by hand in test_plan.py.
"""
from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 25)
FORM = {"date": "2027-03-10", "date_kind": "due", "monthly_wage": "300"}


@pytest.fixture
def plan_client(knowledge, instance_dir):
    from web import create_app

    app = create_app({"TESTING": True, "KB": knowledge, "KB_CONTENT": str(ROOT / "content"),
                      "KB_INSTANCE": str(instance_dir), "PLAN_TODAY": TODAY})
    return app.test_client()


def test_plan_form_renders_without_results(plan_client):
    r = plan_client.get("/plan")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert 'method="post"' in html and 'name="monthly_wage"' in html and 'name="date"' in html
    assert "plan-result" not in html


def test_plan_post_renders_timeline_and_table(plan_client):
    r = plan_client.post("/plan", data=FORM)
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "2027-01-24" in html and "2027-04-23" in html            # 출산전후휴가 (hand-worked)
    assert html.count('data-key="parental_me_') == 12
    assert "2,500,000원" in html and "1,600,000원" in html and "800,000원" in html
    assert "모의계산입니다" in html and "1350" in html
    assert "확인 필요" in html                                      # the spouse's pre-birth leave date
    assert "plan.css" in html


def test_plan_post_bad_input_is_a_400_with_a_korean_message(plan_client):
    for data, message in [
        (dict(FORM, date="2027-02-30"), "2027년 2월 30일은 없는 날짜예요"),
        (dict(FORM, monthly_wage="100"), "최저임금"),
        (dict(FORM, weekly_hours="60"), "주 소정근로시간"),
        (dict(FORM, monthly_wage="abc"), "금액은 숫자로"),
        (dict(FORM, date="2024-01-01"), "1년 넘게"),
    ]:
        r = plan_client.post("/plan", data=data)
        html = r.get_data(as_text=True)
        assert r.status_code == 400, data
        assert message in html
        assert "plan-result" not in html                             # no numbers next to an error


def test_plan_escapes_what_was_typed(plan_client):
    r = plan_client.post("/plan", data=dict(FORM, monthly_wage="<script>alert(1)</script>"))
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_ics_download_parses_back(plan_client):
    from icalendar import Calendar

    r = plan_client.post("/plan.ics", data=FORM)
    assert r.status_code == 200 and r.mimetype == "text/calendar"
    assert "attachment" in r.headers["Content-Disposition"]
    cal = Calendar.from_ical(r.data)
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    ml = events["출산전후휴가 90일"]
    assert ml.decoded("dtstart") == date(2027, 1, 24)
    assert ml.decoded("dtend") == date(2027, 4, 24)                  # exclusive end of an all-day event
    assert any("확인 필요" in s for s in events)


def test_api_plan(plan_client):
    r = plan_client.post("/api/plan", json={"due_date": "2027-03-10", "monthly_wage": 3000000, "leave_months": 12})
    assert r.status_code == 200
    body = r.get_json()
    me = [m for m in body["months"] if m["key"].startswith("parental_me")]
    assert sum(m["insurance"] for m in me) == 23_100_000
    assert body["as_of"] == "2026-11-25" and body["disclaimer"].startswith("모의계산")
    assert {"id", "title", "legal_basis", "effective", "source", "verify"} <= set(body["rules"][0])
    assert "maternity_leave" in {d["key"] for d in body["dates"]}


def test_api_plan_errors(plan_client):
    r = plan_client.post("/api/plan", json={"due_date": "2027-03-10", "monthly_wage": 1_000_000})
    assert r.status_code == 400 and r.get_json()["field"] == "monthly_wage" and "최저임금" in r.get_json()["error"]
    r = plan_client.post("/api/plan", data="due_date=2027-03-10", content_type="application/x-www-form-urlencoded")
    assert r.status_code == 415
    r = plan_client.post("/api/plan", data="[1]", content_type="application/json")
    assert r.status_code == 400
    r = plan_client.post("/api/plan", json={"monthly_wage": 3000000})
    assert r.status_code == 400 and r.get_json()["field"] == "due_date"


def test_chat_offers_plan_for_a_due_date(plan_client):
    r = plan_client.post("/", data={"q": "예정일이 3월 10일인데 언제부터 출산휴가 쓸 수 있어요?"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "plan-offer" in html and "2027-01-24" in html and "2027년 3월 10일로 보았어요" in html
    assert 'href="/plan#due_date=2027-03-10"' in html
    assert "월 통상임금을(를) 넣으면" in html                      # the missing input is asked for


def test_api_ask_gains_plan_only_when_the_question_has_a_date_or_amount(plan_client):
    body = plan_client.post("/api/ask", json={"q": "월급 300이면 육아휴직 급여 얼마 나와요?"}).get_json()
    assert body["plan"]["inputs"] == {"monthly_wage": "3000000"}
    assert body["plan"]["url"] == "/plan#monthly_wage=3000000"       # the salary only in the fragment
    assert body["plan"]["missing"] == ["출산예정일"] and body["plan"]["choices"] == []
    both = plan_client.post("/api/ask", json={"q": "예정일 2027-03-10, 세전 350만원이면 출산휴가 급여는?"}).get_json()["plan"]
    assert both["missing"] == [] and len(both["choices"]) == 4
    assert both["choices"][0]["url"] == "/plan#due_date=2027-03-10&monthly_wage=3500000&role=mother&company=priority"
    body = plan_client.post("/api/ask", json={"q": "육아휴직 급여 얼마나 나와요?"}).get_json()
    assert "plan" not in body
    assert body["topics"]                                           # the answer itself is unchanged


def test_cli_plan(runner_cli):
    out = runner_cli(["plan", "--due", "2027-03-10", "--wage", "300", "--today", "2026-11-25", "--json"])
    assert out.exit_code == 0, out.output
    body = json.loads(out.output)
    assert body["totals"]["나"] == {"insurance": 29_700_000, "employer": 1_600_000, "unknown": 0}
    bad = runner_cli(["plan", "--due", "2027-02-30", "--wage", "300", "--today", "2026-11-25"])
    assert bad.exit_code == 2 and "없는 날짜" in bad.output
    text = runner_cli(["plan", "--due", "2027-03-10", "--wage", "300", "--today", "2026-11-25", "--twins", "--large"])
    assert text.exit_code == 0 and "출산전후휴가 120일 (다태아)" in text.output


@pytest.fixture
def runner_cli():
    from click.testing import CliRunner

    from kb.cli import cli

    runner = CliRunner()
    return lambda args: runner.invoke(cli, ["--content", str(ROOT / "content"), *args], obj={})


def test_check_rules_passes_on_the_real_content(content):
    from kb.check import check_rules

    assert check_rules(content) == []


def test_check_rules_catches_a_topic_figure_that_disagrees(tmp_path):
    from kb.check import check_rules
    from kb.content import load

    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    topic = root / "topics" / "maternity-leave-pay.md"
    topic.write_text(topic.read_text(encoding="utf-8").replace("220만원", "230만원"), encoding="utf-8")
    problems = check_rules(load(root))
    assert any("maternity_leave_pay.cap = 220만원" in p.message and p.path.endswith("maternity-leave-pay.md")
               for p in problems), problems


def test_check_rules_catches_a_rule_that_disagrees(tmp_path):
    from kb.check import check_rules
    from kb.content import load

    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    rules = root / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("cap_total: 1684210", "cap_total: 1700000"), encoding="utf-8")
    problems = check_rules(load(root))
    assert any("spouse_leave_pay.cap_total = 170만원" in p.message for p in problems), problems


@pytest.mark.parametrize("q, amount", [("월급 300이면 얼마?", "300"), ("세전 350만원인데요", "350"),
                                       ("통상임금 2,800,000원이에요", "2,800,000")])
def test_a_salary_in_a_question_is_masked_before_logging(q, amount):
    from kb.privacy import mask

    masked = mask(q)
    assert amount not in masked and "***" in masked


def test_chat_log_has_no_salary(plan_client, caplog):
    import logging

    with caplog.at_level(logging.INFO):
        plan_client.post("/api/ask", json={"q": "월급 347만원이면 육아휴직 급여 얼마?"})
        plan_client.post("/api/plan", json={"due_date": "2027-03-10", "monthly_wage": 3470000})
    assert caplog.records and "347" not in caplog.text


def test_check_rules_reads_figures_written_with_their_words(tmp_path):
    from kb.check import check_rules
    from kb.content import load

    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    topic = root / "topics" / "childcare-reduced-hours.md"
    topic.write_text(topic.read_text(encoding="utf-8").replace("만 12세", "만 11세"), encoding="utf-8")
    problems = check_rules(load(root))
    assert [p for p in problems if "childcare_reduced_hours.child_age_max = 만12세" in p.message], problems
