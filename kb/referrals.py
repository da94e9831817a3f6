"""Name the right place to call for this person, here and now.

The topic's own referrals (editors' judgement, best first) are the base. The situation read from
the question, the answered topic and what the caller passed (`Context`) puts the places that
fit in front of them, each with one Korean line saying why:

- what happened: sexual harassment or violence -> 1366, the Seoul center and the labor office;
  dismissal -> the labor relations commission (3 months); unpaid wages -> the labor office and
  the Seoul Labor Rights Center; insurance during leave -> 1355 / 1577-1000; childcare -> the
  childcare support center;
- who is asking: an employer -> the work-family planner and the employment center; a platform
  or mobile worker -> the nearest shelters; a freelancer -> the Seoul Labor Rights Center;
- where: the 자치구 (from the question, or else the passed region) picks the working-mom center
  that covers it, and a station or neighbourhood orders shelters nearest first.

Then time (Asia/Seoul, the clock is a parameter): the first HEAD places keep their order even
when closed (they are still the right places; their cards say closed, with the hours), the
24-hour lines that fit (120; 1366 for harassment; 109 for distress) follow them, and any other
closed place moves behind the open ones. Among shelters near the person the open one comes
first within the same distance band. A crisis puts 109 first, always.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from . import hours as hours_mod
from .content import Content
from .models import Center, ReferralCard, Topic

if TYPE_CHECKING:
    from .places import Place

CRISIS_FIRST = "suicide-prevention-109"
WOMEN_EMERGENCY = "women-emergency-1366"
DASAN = "dasan-120"
GENERAL_HOTLINES = ("moel-1350", "seoul-labor-rights-center", "dasan-120")
WORKING_MOM_CENTERS = ("seoul-working-mom-center", "seoul-southwest-working-mom-center")
WORKING_PARENT_CATEGORIES = {"pregnancy", "birth", "parenting", "rights", "support"}
MAX_REFERRALS = 4
SHELTERS_SHOWN = 2
HEAD = 3                 # the places chosen first keep their order even when closed; 24-hour lines follow
TWENTY_FOUR_HOURS = {
    DASAN: "운영 시간 밖에도 통화할 수 있는 24시간 서울시 안내 전화",
    WOMEN_EMERGENCY: "성희롱·성폭력 피해 24시간 상담 (여성긴급전화)",
    CRISIS_FIRST: "마음이 힘들 때 24시간 통화할 수 있는 곳",
}
NEAR_KM = 6.0            # shelters within this distance form one band: the open one comes first
AUDIENCES = ("worker", "employer", "counselor")
WORKER_TYPES = ("regular", "fixed-term", "part-time", "dispatched", "platform", "mobile", "freelancer",
                "special", "small-workplace", "public", "youth")

# ---------------------------------------------------------------- reading the situation

_HARASSMENT = re.compile(r"성희롱|성추행|추행|끌어안|껴안|몸을\s*만|엉덩이|가슴을|뽀뽀|입을\s*맞|"
                         r"성폭력|성폭행|강간|불법\s*촬영|몰카|스토킹|성적\s*(농담|수치|불쾌|발언|요구)|신체\s*접촉")
_FEAR = re.compile(r"강제로|무서|두려|겁나|위협|협박|폭행|때리|때렸|맞았|성폭행|강간|쫓아|따라와")
_EMPLOYER = re.compile(
    r"(회사|사업장|가게|업체)?\s*(대표|사장|사업주|원장|점주)\s*(인데|예요|이에요|입니다|이고|로서|라서|입장)|"
    r"사업주\s*(가|는)?\s*(어떻게|뭘|무엇)|인사\s*담당|노무\s*담당|(우리|저희)\s*(회사\s*)?직원|"
    r"대체\s*인력|직원이\s*(육아휴직|출산휴가|단축).*(신청|쓰)")
_MOBILE = re.compile(r"배달|라이더|대리\s*(기사|운전)|택배|퀵\s*서비스|퀵기사|이동\s*노동|플랫폼\s*(노동|기사)|화물\s*(기사|차)|"
                     r"오토바이|방문\s*(점검|판매|노동|교사)|학습지|콜\s*기사")
_SHELTER = re.compile(r"쉼터|휴서울|쉴\s*곳|쉴\s*데|쉴만한|쉬는\s*곳|쉬는\s*데|"
                      r"쉬어\s*갈|쉴\s*수\s*있|휴게\s*(공간|시설|소)|대기할\s*곳|몸\s*녹일")
_FREELANCER = re.compile(r"프리랜서|특수\s*고용|특고|용역\s*계약|3\.3\s*%|사업\s*소득|외주\s*(대금|작업|비)|대금")
_PARENT = re.compile(r"직장맘|워킹맘|직장대디|엄마|아빠|임신|임산부|출산|육아|"
                     r"산휴|육휴|복직|자녀|아이|애기|아기|맞벌이|난임|유산")
_DISMISSAL = re.compile(r"해고|나오지\s*말|잘렸|짤렸|잘릴|짤릴|권고\s*사직|나가라|"
                        r"그만\s*두라|그만두래|퇴사\s*(압박|강요|종용)|계약\s*해지|사직\s*강요")
_WAGES = re.compile(r"임금\s*체불|체불|(월급|급여|임금|퇴직금|수당|알바비|주휴수당|돈)\S{0,6}\s*(안|못)\s*(줘|줍|주|받|들어)|"
                    r"(월급|급여|임금|퇴직금)\s*(을|를)?\s*(떼|밀)|대지급금|체당금")
_LABOR_OFFICE = re.compile(r"노동청|노동부에?\s*(진정|신고)|진정|신고|고소")
_PENSION = re.compile(r"국민\s*연금|연금")
_HEALTH = re.compile(r"건강\s*보험|건보|보험료")
_FOUR_INSURANCE = re.compile(r"4\s*대\s*보험|사대\s*보험")
_EMPLOYER_HELP = re.compile(r"지원금|대체\s*인력|대신할?\s*사람|사람\s*(을|를)?\s*(뽑|구하|구해|채용)|"
                            r"인력\s*공백|업무\s*공백|충원|"
                            r"업무\s*분담|유연\s*근무|재택\s*근무\s*도입|시차\s*출퇴근|플래너|동행\s*플래너")
EMPLOYER_HELP_TOPICS = {"employer-grants", "work-family-planner", "flexible-work"}
_WOMEN_SPACE = re.compile(r"여성\s*전용|여성용|여자\s*전용|여성\s*휴게")
_DISTRESS = re.compile(r"우울|불안|공황|잠을\s*못|너무\s*힘들|마음이\s*힘들|눈물|숨이\s*막")
_CHILDCARE = re.compile(r"어린이집|아이\s*돌봄|아이돌보미|돌봄\s*서비스|육아\s*종합\s*지원|시간제\s*보육|"
                        r"등원|하원|맡길\s*(곳|데)|"
                        r"봐\s*줄\s*(사람|곳)|돌봐\s*줄")


@dataclass(frozen=True)
class Context:
    """What the caller may pass besides the question (all optional)."""

    region: str | None = None        # a 자치구 or a place name, e.g. from the widget's data-region
    audience: str | None = None      # worker | employer | counselor
    worker_type: str | None = None   # one of WORKER_TYPES


def read_context(data: dict) -> Context | None:
    """`region`, `audience`, `worker_type` from a request or a batch line; a bad value raises
    QuestionError with a Korean message (a 4xx, never a 500). An unknown place name is kept:
    the router simply finds no district in it."""
    from .questions import QuestionError

    if not isinstance(data, dict):
        return None
    values = {}
    for key in ("region", "audience", "worker_type"):
        v = data.get(key)
        if v is None or v == "":
            continue
        if not isinstance(v, str) or len(v) > 40:
            raise QuestionError(f"{key}는 40자 이내의 글자로 보내 주세요.", f"bad_{key}")
        values[key] = v.strip()
    if values.get("audience") and values["audience"] not in AUDIENCES:
        raise QuestionError("audience는 worker, employer, counselor 중 하나로 보내 주세요.", "bad_audience")
    if values.get("worker_type") and values["worker_type"] not in WORKER_TYPES:
        raise QuestionError("worker_type은 " + ", ".join(WORKER_TYPES) + " 중 하나로 보내 주세요.", "bad_worker_type")
    return Context(**values) if values else None


@dataclass(frozen=True)
class Situation:
    place: Place | None = None       # kb.places.Place, or None
    place_named: bool = False        # the place came from the question (not a passed region)
    employer: bool = False
    employer_help: bool = False      # grants, replacement staff, flexible work: the planner's field
    mobile: bool = False
    wants_shelter: bool = False
    women_space: bool = False        # asks for a women-only room
    freelancer: bool = False
    parent: bool = False
    harassment: bool = False
    fear: bool = False
    dismissal: bool = False
    wages: bool = False
    labor_office: bool = False
    pension: bool = False
    health: bool = False
    childcare: bool = False
    distress: bool = False           # 우울·불안 or a counseling topic: 109 fits when offices are closed


def read_situation(question: str, topic: Topic | None, content: Content, context: Context | None = None) -> Situation:
    """Who is asking, what happened and where, from the question, the answered topic and context."""
    ctx = context or Context()
    q = question or ""
    places = content.places
    place = places.find(q) if places is not None else None
    named = place is not None
    if place is None and ctx.region and places is not None:
        place = places.resolve(ctx.region) or places.find(ctx.region)
    tid = topic.id if topic else ""
    category = topic.category if topic else ""
    four = bool(_FOUR_INSURANCE.search(q))
    return Situation(
        place=place, place_named=named,
        employer=ctx.audience == "employer" or bool(_EMPLOYER.search(q)),
        mobile=ctx.worker_type in ("platform", "mobile") or bool(_MOBILE.search(q)) or tid == "mobile-worker-shelters",
        # the shelter topic alone is not enough ("택배기사인데 근로자인지" finds it too): a place must come with it
        wants_shelter=bool(_SHELTER.search(q)) or (tid == "mobile-worker-shelters" and place is not None),
        women_space=bool(_WOMEN_SPACE.search(q)),
        # an employer facing a leave (or asking for grants, staff, flexible work): the planner's field
        employer_help=bool(_EMPLOYER_HELP.search(q)) or tid in EMPLOYER_HELP_TOPICS
        or category in ("pregnancy", "birth", "parenting"),
        freelancer=ctx.worker_type in ("freelancer", "special") or bool(_FREELANCER.search(q)) or tid == "freelancer-platform",
        parent=bool(_PARENT.search(q)) or category in ("pregnancy", "birth", "parenting"),
        harassment=bool(_HARASSMENT.search(q)) or tid == "sexual-harassment",
        fear=bool(_FEAR.search(q)),
        dismissal=bool(_DISMISSAL.search(q)) or tid in ("unfair-dismissal", "pregnancy-dismissal"),
        wages=bool(_WAGES.search(q)) or tid == "wage-arrears",
        labor_office=bool(_LABOR_OFFICE.search(q)),
        pension=four or bool(_PENSION.search(q)),
        health=four or bool(_HEALTH.search(q)),
        childcare=bool(_CHILDCARE.search(q)) or tid == "childcare-support-services",
        distress=bool(_DISTRESS.search(q)) or tid in ("psychological-counseling", "emotional-labor"),
    )


# ---------------------------------------------------------------- the routing

@dataclass
class Routing:
    """The router's decision: ids best first, and for each the reason and whether it is open."""

    ids: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)
    open_now: dict[str, bool | None] = field(default_factory=dict)
    situation: Situation = field(default_factory=Situation)
    when: datetime | None = None


def _short_districts(center: Center) -> str:
    return "·".join(d[:-1] if d.endswith("구") and len(d) > 2 else d for d in center.districts)


def _working_mom_center(district: str, content: Content) -> tuple[str, str] | None:
    """The working-mom center that covers `district`: the one listing it, else the Seoul-wide one."""
    covering = [c for c in WORKING_MOM_CENTERS if c in content.centers and district in content.centers[c].districts]
    if covering:
        c = content.centers[covering[0]]
        short_name = c.name.replace("서울특별시 ", "")
        return c.id, f"{district} → {short_name} ({_short_districts(c)} 담당)"
    wide = [c for c in WORKING_MOM_CENTERS if c in content.centers and not content.centers[c].districts]
    if wide:
        c = content.centers[wide[0]]
        return c.id, f"{district} → {c.name} (서울 직장맘·직장대디 상담)"
    return None


def _is_open(center: Center, when: datetime, content: Content) -> bool | None:
    return hours_mod.is_open(center.open_hours, when, content.holidays)


def nearest_shelters(place, content: Content, when: datetime, *, women_space: bool = False) -> list[tuple[str, str]]:
    """Shelters for a person at `place`, nearest first, with why. Bands: the place is in the
    shelter's `near` list; same 자치구; within NEAR_KM; farther. Inside the first three bands a
    shelter open now comes first, then one whose hours are unknown, then a closed one, then the
    nearer; beyond NEAR_KM only distance counts (an open shelter across the city is no help)."""
    places = content.places
    rows = []
    for order, c in enumerate(content.centers.values()):
        if c.kind != "shelter":
            continue
        women = bool(_WOMEN_SPACE.search(c.description))
        if place is None:
            band, dist = 1, float(order)
        else:
            assert places is not None  # a place is found in content.places
            near = {re.sub(r"\s+", "", n).removesuffix("역") for n in c.near}
            dist = min((places.distance_km(place.district, d) for d in c.districts), default=float("inf"))
            if place.name.removesuffix("역") in near:
                band = 0
            elif place.district in c.districts:
                band = 1
            elif dist <= NEAR_KM:
                band = 2
            else:
                band = 3
        state = _is_open(c, when, content)
        rank = 0 if state else 1 if state is None else 2
        first = 0 if (women or not women_space) else 1
        rows.append((first, band, rank if band < 3 else 0, dist, c.id))   # far away: the nearer wins
    rows.sort()
    out = []
    for i, (first, band, _, _dist, cid) in enumerate(rows[:SHELTERS_SHOWN]):
        where = content.centers[cid].districts[0] if content.centers[cid].districts else ""
        if women_space and first == 0:
            out.append((cid, f"여성 전용 공간이 있는 쉼터 ({where})"))
            continue
        if place is None:
            why = f"이동노동자 쉼터 ({where})"
        elif i == 0:
            why = f"{place.name} 근처 쉼터 ({where})" if band <= 1 else f"{place.name}에서 가장 가까운 쉼터 ({where})"
        else:
            why = f"다음으로 가까운 쉼터 ({where})"
        out.append((cid, why))
    return out


def _base(topics: list[Topic], confident: bool, related: bool) -> list[str]:
    """The topic's own places and one of the runner-up's; else the nearest topic's first and the hotlines."""
    if confident and topics:
        ids = list(topics[0].referrals)
        for t in topics[1:2]:
            ids += [r for r in t.referrals if r not in ids][:1]
        return ids
    nearest = list(topics[0].referrals[:1]) if related and topics else []
    return nearest + list(GENERAL_HOTLINES)


def plan(question: str, topics: list[Topic], content: Content, *, crisis: bool, confident: bool,
         related: bool = False, now: datetime | None = None, context: Context | None = None) -> Routing:
    """The full decision (ids, reasons, open state); `route` returns only the ids."""
    when = now or hours_mod.now()
    lead_topic = topics[0] if topics and confident else None
    s = read_situation(question, lead_topic, content, context)
    base = _base(topics, confident, related)
    leads: list[tuple[int, str, str]] = []          # (priority, id, why)
    seconds: list[tuple[str, str]] = []             # (id, why) to follow the first place
    reasons_pre: dict[str, str] = {}
    tail: list[tuple[str, str]] = []                # (id, why) after the topic's own places

    def add(priority: int, cid: str, why: str) -> None:
        if cid in content.centers:
            leads.append((priority, cid, why))

    if s.harassment:
        if s.employer:
            add(10, "seoul-sexual-harassment-center", "사업주의 성희롱 조사·조치와 예방교육 상담")
        else:
            pair = [(WOMEN_EMERGENCY, "성희롱·성폭력 피해 24시간 상담 (여성긴급전화)"),
                    ("seoul-sexual-harassment-center", "직장 내 성희롱·성폭력 상담과 사건 지원")]
            for cid, why in (pair if s.fear else pair[::-1]):
                add(10, cid, why)
            add(11, "moel-regional-office", "회사가 조사·조치를 하지 않으면 노동청에 신고할 수 있어요")
    if s.pension:
        add(20, "nps-1355", "휴가·휴직 중 국민연금 납부예외·추후납부 문의")
    if s.health:
        add(20, "nhis-1577", "휴가·휴직 중 건강보험료 문의")
    if s.employer and (s.employer_help or s.parent):   # an employer facing a leave, or asking for help
        add(25, "work-family-planner", "중소기업 사업주에게 대체인력·유연근무를 1:1로 설계해 주는 고용센터 플래너")
        add(25, "employment-center", "사업주 지원금(대체인력·업무분담·근로시간 단축) 신청 창구")
    district = s.place.district if s.place is not None else None
    picked = _working_mom_center(district, content) if district and not s.wants_shelter else None
    if picked and s.parent:
        add(30, *picked)
        base = [b for b in base if b not in WORKING_MOM_CENTERS]
    elif picked:   # not a parent's question: keep the topic's place for it, but the right center
        base = [picked[0] if b in WORKING_MOM_CENTERS else b for b in base]
        reasons_pre = {picked[0]: picked[1]}
    elif s.parent and not s.employer:   # a working parent, district unknown: keep her center in sight
        wmc = next((b for b in base if b in WORKING_MOM_CENTERS), None)
        if wmc and wmc not in base[:2]:
            seconds.append((wmc, ""))
    if s.wants_shelter and (s.mobile or s.place is not None or s.women_space):
        if (s.place is not None and content.places is not None) or s.women_space:
            for cid, why in nearest_shelters(s.place, content, when, women_space=s.women_space):
                add(35, cid, why)
            base = [b for b in base if content.centers.get(b) is None or content.centers[b].kind != "shelter"]
            add(36, "seoul-labor-rights-center", "쉼터를 운영하는 서울노동권익센터 · 이동노동자 노동상담")
        else:   # no place known: the topic's shelter list, the operator after it
            tail.append(("seoul-labor-rights-center", "쉼터를 운영하는 서울노동권익센터 · 이동노동자 노동상담"))
    elif s.mobile:   # who is asking, not what happened: right after the place for the question itself
        seconds.append(("seoul-labor-rights-center", "플랫폼·이동노동자 노동상담과 권리구제 지원"))
    if s.dismissal:
        lrc = ("labor-relations-commission", "부당해고는 해고된 날부터 3개월 안에 노동위원회에 구제신청 (5인 이상 사업장)")
        if s.parent:   # a parent pushed out: the working-mom center or the topic's place leads, then this
            seconds.append(lrc)
        else:
            add(40, *lrc)
            add(41, "seoul-labor-rights-center", "해고 상담과 권리구제 지원")
    if s.wages:
        pair = [("seoul-labor-rights-center", "임금체불 상담과 권리구제 지원"),
                ("moel-regional-office", "임금체불 진정 (사업장 관할 노동청, 온라인 민원마당 가능)")]
        for cid, why in (pair[::-1] if s.labor_office else pair):
            add(40, cid, why)
    if s.childcare:
        extra = f" · {district}에도 구 육아종합지원센터가 있어요" if district else ""
        add(20, "seoul-childcare-support-center", "아이돌봄·보육 지원 기관 연계" + extra)
    if s.freelancer and not s.employer:
        flc = ("seoul-labor-rights-center", "프리랜서·플랫폼 노동자 상담 (대금 미지급 소송 지원 등)")
        if s.wages or (lead_topic is not None and lead_topic.id == "freelancer-platform"):
            add(40, *flc)
            add(41, "seoul-labor-portal", "프리랜서 안심결제 등 온라인 지원")
        else:   # who is asking, not what about: after the topic's own first place
            seconds.append(flc)

    leads.sort(key=lambda x: x[0])
    reasons: dict[str, str] = dict(reasons_pre)
    ordered: list[str] = []
    for _, cid, why in leads:
        if cid not in ordered:
            ordered.append(cid)
        if why and not reasons.get(cid):
            reasons[cid] = why
    ordered += [b for b in base if b not in ordered and b in content.centers]
    for cid, why_text in tail:
        if cid in content.centers and cid not in ordered:
            ordered.append(cid)
            reasons.setdefault(cid, why_text)
    for cid, why_text in reversed(seconds):
        if cid in content.centers and cid not in ordered[:1]:
            ordered = ordered[:1] + [cid] + [o for o in ordered[1:] if o != cid]
            if why_text:
                reasons.setdefault(cid, why_text)
    ordered = list(dict.fromkeys(ordered))

    open_now = {cid: _is_open(content.centers[cid], when, content) for cid in ordered}
    # the head: the places the situation chose first, kept in order whatever the clock says
    head = ordered[:HEAD]
    rest = [c for c in ordered if c not in head]
    if head and open_now[head[0]] is False:
        urgent = [DASAN]
        if s.harassment and not s.employer:
            urgent.insert(0, WOMEN_EMERGENCY)
        if crisis or s.distress:
            urgent.insert(0, CRISIS_FIRST)
        for cid in reversed(urgent):
            if cid in content.centers and cid not in head:
                if cid in rest:
                    rest.remove(cid)
                rest.insert(0, cid)
                reasons.setdefault(cid, TWENTY_FOUR_HOURS.get(cid, "지금 통화할 수 있는 24시간 전화"))
                open_now[cid] = _is_open(content.centers[cid], when, content)
    rest = [c for c in rest if open_now.get(c) is not False] + [c for c in rest if open_now.get(c) is False]
    ids = (head + rest)[:MAX_REFERRALS]
    if crisis:
        ids = [CRISIS_FIRST] + [i for i in ids if i != CRISIS_FIRST][:MAX_REFERRALS - 1]
        open_now.setdefault(CRISIS_FIRST, _is_open(content.centers[CRISIS_FIRST], when, content)
                            if CRISIS_FIRST in content.centers else True)
    return Routing(ids=ids, reasons={k: v for k, v in reasons.items() if k in ids},
                   open_now={k: open_now.get(k) for k in ids}, situation=s, when=when)


def route(question: str, topics: list[Topic], content: Content, *, crisis: bool, confident: bool,
          related: bool = False, now: datetime | None = None, context: Context | None = None) -> list[str]:
    """Ordered center ids, best first, at most MAX_REFERRALS (plus 109 first in a crisis)."""
    return plan(question, topics, content, crisis=crisis, confident=confident, related=related,
                now=now, context=context).ids


# ---------------------------------------------------------------- why, and the cards

def first_sentence(text: str, limit: int = 90) -> str:
    plain = re.sub(r"[#*`>\[\]]", "", text).strip()
    sentence = re.split(r"(?<=[.!?다요])\s", plain, maxsplit=1)[0].strip()
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"


def why(center: Center, topic: Topic | None, *, crisis: bool) -> str:
    """The reason when no routing rule gave one: the topic it serves, or what it does."""
    if crisis and center.id == CRISIS_FIRST:
        return "지금 많이 힘드시다면 24시간 언제든 전화로 이야기할 수 있는 곳입니다."
    if topic is not None and topic.id in center.serves:
        return f"{topic.title} 상담 · " + first_sentence(center.description)
    return first_sentence(center.description)


def time_note(center: Center, open_now: bool | None) -> str:
    """What the clock adds to a card's why: closed now with the hours, or 24 hours."""
    if open_now is False:
        hours = center.hours or "운영 시간 확인 필요"
        if not center.is_verified("hours") and "확인" not in hours:
            hours += " (확인 필요)"
        return f"지금은 운영 시간이 아니에요 · {hours}"
    if open_now and center.open_hours is not None and center.open_hours.always:
        return "24시간"
    return ""


def cards(ids: list[str], content: Content, topic: Topic | None, *, crisis: bool,
          routing: Routing | None = None, now: datetime | None = None) -> list[ReferralCard]:
    """One card per id; `why` is the routing reason (or the topic's) plus the open/closed note."""
    when = (routing.when if routing and routing.when else None) or now or hours_mod.now()
    out = []
    for cid in ids:
        c = content.centers[cid]
        fb = content.centers.get(c.fallback)     # no fallback: "" is no center's id
        reason = (routing.reasons.get(cid) if routing else "") or why(c, topic, crisis=crisis)
        if crisis and cid == CRISIS_FIRST:
            reason = why(c, topic, crisis=True)
        state = routing.open_now[cid] if routing and cid in routing.open_now else _is_open(c, when, content)
        note = time_note(c, state)
        if note and note not in reason:
            reason = f"{reason} · {note}"
        out.append(ReferralCard(
            id=c.id, name=c.name, phone=c.phone, why=reason, kind=c.kind,
            hours=c.hours, website=c.website, unverified=c.unverified,
            fallback_phone=fb.phone if fb and c.unverified else "",
            fallback_name=fb.name if fb and c.unverified else "",
            open_now=state,
        ))
    return out
