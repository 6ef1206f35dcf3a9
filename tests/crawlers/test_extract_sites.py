"""Extraction accuracy over the fixture corpus: one page per site rule plus generic pages.

Per page: exact title and published time (KST-aware), sentences that must be in the text, and
boilerplate (menus, related headlines, comments, bylines, copyright) that must not.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from crawlers.extract import extract_article, rule_for, site_rules

FIXTURES = Path(__file__).parent / "fixtures"
KST = timezone(timedelta(hours=9))

# Lines that are boilerplate on every page of the corpus.
ALWAYS_OUT = ["무단", "ⓒ", "©", "Copyright", "@", "구독", "저작권", "광고", "댓글"]

# fixture, URL, exact title, published (KST), sentences in text, boilerplate out, authors, outlet
CASES = [
    (
        "naver.politics.html",
        "https://n.news.naver.com/mnews/article/001/0015000001?sid=100",
        "청년 월세 지원, 내년부터 소득 기준 완화한다",
        "2026-11-23T09:12:00",
        [
            "정부가 내년부터 청년 월세 지원 사업의 소득 기준을 완화해 지원 대상을 넓히기로 했다.",
            "특히 반가운 소식",
        ],
        [
            "(서울=연합뉴스)",
            "전세 사기 피해자",
            "우리 동네까지 혜택",
            "요약봇",
            "서울의 한 청년 주거 상담 창구",
        ],
        ["김하늘"],
        "연합뉴스",
    ),
    (
        # Modelled on a full copy of a 2023 n.news.naver.com page: the date only as text, no data attribute.
        "naver.textdate.html",
        "https://n.news.naver.com/mnews/article/999/0000000001",
        "동네 도서관 야간 개방 확대된다",
        "2026-11-20T21:44:00",
        ["평일 밤 10시까지 문을 연다.", "주말 개방도 검토하겠다"],
        ["구독자", "1,234", "유하린 기자"],
        ["유하린"],
        "한빛일보",
    ),
    (
        "naver-entertain.drama.html",
        "https://m.entertain.naver.com/article/311/0001800001",
        "배우 한지우, 새 사극서 조선 첫 여성 천문관 연기",
        "2026-11-22T17:40:11",
        ["조선 최초의 여성 천문관 역을 맡는다.", "밤하늘 장면을 위해 별도의 세트를 지었다"],
        ["팬미팅 전석 매진", "연기 기대됩니다", "사진=별빛엔터", "오수진 기자"],
        ["오수진"],
        "별빛연예",
    ),
    (
        "naver-sports.baseball.html",
        "https://sports.news.naver.com/news?oid=413&aid=0000200001",
        "강속구 투수 윤태오, 구단 역대 최고 연봉 재계약",
        "2026-11-21T14:15:00",
        ["구단 역대 최고 연봉에 재계약했다.", "우승 반지를 끼고 싶다"],
        ["기사제공", "신인왕 경쟁", "선물 받기", "정민호 기자"],
        ["정민호"],
        "스포츠한빛",
    ),
    (
        "daum.economy.html",
        "https://v.daum.net/v/20261123101500123",
        "김장철 배추값 한 달 새 18% 내려",
        "2026-11-23T10:15:00",
        ["배추 가격이 한 달 사이 18% 내린 것으로 나타났다.", "무와 대파 가격도 각각 9%, 12% 떨어졌다."],
        ["자동 요약", "비축미 방출", "양념값이 너무", "대형마트에서 시민이"],
        ["최은비"],
        "한빛경제",
    ),
    (
        "yonhap.society.html",
        "https://www.yna.co.kr/view/AKR20261123045100004?section=society",
        "겨울철 도로 살얼음 사고 대비…고속도로 제설 장비 30% 늘린다",
        "2026-11-23T08:05:00",
        ["제설 장비를 지난해보다 30% 늘린다.", "결빙 관련 사고는 모두 140여 건으로 집계됐다."],
        ["(세종=연합뉴스)", "첫눈 내린 중부지방", "주말 전국 비 소식", "okjebo", "#제설", "송고"],
        ["박서준"],
        "연합뉴스",
    ),
    (
        "chosun.national.html",
        "https://www.chosun.com/national/education/2026/11/23/ABCDEFGHIJKLMNOPQRSTUVWX12/",
        "전국 초등학교 늘봄교실, 내년 3월부터 오후 8시까지 운영",
        "2026-11-23T06:30:00",
        [
            "늘봄교실 운영 시간을 오후 8시까지 늘린다.",
            "행정 업무를 별도 인력에게 맡겨야 한다고 요구하고 있다.",
        ],
        ["돌봄교실 대기 학생", "오피니언", "만들기 수업", "정말 반가운 소식"],
        ["이도윤"],
        "조선일보",
    ),
    (
        "joongang.society.html",
        "https://www.joongang.co.kr/article/25400001",
        "동네 의원 야간 진료 시범사업, 12개 시군으로 확대",
        "2026-11-22T19:30:00",
        ["경증 환자가 평균 14% 줄었다고 밝혔다.", "최소 3년 이상으로 보장해야 한다는 의견을 냈다."],
        ["소아과 오픈런", "# 야간진료", "중앙포토", "주말 기온 영하권", "AD"],
        ["정예린"],
        "중앙일보",
    ),
    (
        "donga.economy.html",
        "https://www.donga.com/news/Economy/article/all/20261123/130000001/1",
        "중소기업 수출 바우처, 내년 예산 두 배로",
        "2026-11-23T03:00:00",
        ["수출 바우처 예산을 내년에 두 배로 늘린다.", "지급 시기를 앞당겨 달라고 요청했다."],
        ["수출 14개월 연속", "신선대부두", "서류 좀 줄여주세요", "한도현 기자"],
        ["한도현"],
        "동아일보",
    ),
    (
        "hani.politics.html",
        "https://www.hani.co.kr/arti/politics/assembly/1200001.html",
        "국회 예결위, 지방소멸 대응 기금 증액 합의",
        "2026-11-23T15:45:00",
        [
            "지방소멸 대응 기금을 내년에 2천억원 늘리기로 합의했다.",
            "성과 평가 제도를 함께 도입해야 한다고 지적했다.",
        ],
        ["후원하기", "막판 협상", "한파 특보", "소위원회가 열리고 있다"],
        ["서지안"],
        "한겨레",
    ),
    (
        "khan.national.html",
        "https://www.khan.co.kr/article/202611231100001",
        "도심 가로수 병해충, 드론 방제로 잡는다",
        "2026-11-23T11:00:00",
        ["드론으로 방제하는 사업을 내년부터 전 자치구로 확대한다.", "약제 사용량도 30% 이상 줄었다."],
        ["#드론", "겨울 전기요금 동결", "방제약을 뿌리고 있다", "문가은 기자"],
        ["문가은"],
        "경향신문",
    ),
    (
        "hankookilbo.culture.html",
        "https://www.hankookilbo.com/News/Read/A2026112213450001234",
        "지역 서점 살리기 '책 한 권 더' 캠페인, 한 달 만에 5만 명 참여",
        "2026-11-22T13:45:00",
        ["한 달 만에 5만 명이 참여했다.", "작가와의 만남 행사를 지역 서점에서 열어"],
        ["종이값 인상", "책을 고르고 있다", "권나래 기자"],
        ["권나래"],
        "한국일보",
    ),
    (
        "kbs.society.html",
        "https://news.kbs.co.kr/news/pc/view/view.do?ncd=8100001&ref=A",
        "어린이 통학 차량 안전 점검, 위반 차량 17%",
        "2026-11-20T21:03:00",
        ["안전 규정을 어긴 것으로 나타났습니다.", "새 학기에 맞춰 다시 점검하기로 했습니다."],
        ["[앵커]", "[리포트]", "입니다.\n", "촬영기자", "스쿨존 과속", "기사 스크랩", "공유하기"],
        ["남궁현"],
        "KBS",
    ),
    (
        "mbc.society.html",
        "https://imnews.imbc.com/news/2026/society/article/6700001_36000.html",
        "폐교를 마을 도서관으로…주민 손으로 되살린 학교",
        "2026-11-22T20:31:00",
        ["마을 도서관으로 다시 태어났습니다.", "기증받은 책 1만 2천 권으로 서가를 채웠습니다."],
        ["◀", "MBC뉴스 민지후입니다", "#폐교", "고향 학교도", "바뀐 옛 초등학교 교실"],
        ["민지후"],
        "MBC",
    ),
    (
        "sbs.international.html",
        "https://news.sbs.co.kr/news/endPage.do?news_id=N1008100001",
        "북극 항로 화물선 운항, 올해 처음 100척 넘어",
        "2026-11-21T14:17:00",
        ["올해 처음으로 100척을 넘어섰습니다.", "국제 규제를 강화해야 한다고 주장하고 있습니다."],
        ["영상편집", "유럽 항구 물동량", "북극 항로를 지나는 화물선\n"],
        ["윤채원"],
        "SBS",
    ),
    (
        "ytn.society.html",
        "https://www.ytn.co.kr/_ln/0103_202611230012340001",
        "야간 자율주행 버스 정식 운행 시작",
        "2026-11-23T00:34:00",
        ["심야 자율주행 버스가 시범 운행을 마치고 정식 운행을 시작했습니다.", "교통카드로만 낼 수 있습니다."],
        ["YTN 권하람입니다", "제보", "카카오톡", "자율주행 택시 내년", "도심을 달리는 자율주행 버스"],
        ["권하람"],
        "YTN",
    ),
    (
        "mk.economy.html",
        "https://www.mk.co.kr/news/economy/11400001",
        "가계 빚 증가세 석 달 만에 꺾여",
        "2026-11-23T14:09:34",
        ["가계 대출 증가세가 석 달 만에 꺾였다.", "내년 총량 관리 목표를 정할 계획이다."],
        ["주담대 금리", "매경DB", "배준서 기자"],
        ["배준서"],
        "매일경제",
    ),
    (
        "hankyung.economy.html",
        "https://www.hankyung.com/article/2026112300011",
        "2차전지 소재 수출, 반년 만에 반등",
        "2026-11-23T07:10:00",
        ["2차전지 소재 수출이 6개월 만에 증가세로 돌아섰다.", "내년 1분기 주문을 봐야 한다고"],
        ["배터리 3사 실적", "생산 라인. 한경DB", "구독신청", "신유나 기자"],
        ["신유나"],
        "한국경제",
    ),
    (
        "generic.jsonld.html",
        "https://www.bluesea-news.example/news/articleView.html?idxno=40001",
        "바다숲 조성 10년, 갯녹음 면적 절반으로 줄어",
        "2026-11-20T16:30:00",
        [
            "갯녹음 면적이 절반 가까이 줄어든 것으로 조사됐다.",
            "2030년까지 조성 면적을 두 배로 늘리겠다고 밝혔다.",
        ],
        ["양식장 수온 경보", "로그인 후", "등록번호", "잠수부가 감태", "오피니언"],
        ["류시온"],
        "푸른바다신문",
    ),
    (
        "generic.opengraph.html",
        "https://sangol.example/2026/11/22/remote-clinic/",
        "산간 마을에 원격 진료 키오스크 설치",
        "2026-11-22T07:00:00",
        ["산간 마을 다섯 곳에 원격 진료 키오스크가 설치됐다.", "설치 마을을 열다섯 곳으로 늘릴 계획이다."],
        ["마을버스 노선", "페이스북 공유", "구독 신청", "도하율 기자 ·"],
        ["도하율"],
        "산골일보",
    ),
    (
        "generic.nometa.html",
        "https://museum.example/board/view?id=100",
        "시립미술관, 야간 개장 주 3회로 늘려",
        "2026-11-19T10:20:00",
        ["야간 개장을 주 1회에서 주 3회로 늘린다.", "응답자의 70% 이상이 저녁 관람을 원했다고 설명했다."],
        ["처음으로", "이전글", "작성자", "주소 | 전화"],
        [],
        None,
    ),
    (
        "yonhap.missing-selector.html",
        "https://www.yna.co.kr/view/AKR20261122011200003",
        "폐배터리 재활용 공장 가동…연 2만t 처리",
        "2026-11-22T11:20:00",
        ["재활용 공장이 울산에서 가동에 들어갔다.", "핵심 광물 수입 의존도를 낮추는 데 보탬이 될 것"],
        ["(울산=연합뉴스)", "수도권 미세먼지", "tae@"],
        ["장태윤"],
        "연합뉴스",
    ),
]

URL = {case[0]: case[1] for case in CASES}


@pytest.mark.parametrize(
    ("fixture", "url", "title", "published", "must_in", "must_out", "authors", "outlet"),
    CASES,
    ids=[case[0] for case in CASES],
)
def test_fixture_page(fixture, url, title, published, must_in, must_out, authors, outlet):
    article = extract_article((FIXTURES / fixture).read_bytes(), url)
    assert article.title == title
    assert article.published == datetime.fromisoformat(published).replace(tzinfo=KST)
    assert article.published.utcoffset() == timedelta(hours=9)
    for sentence in must_in:
        assert sentence in article.text
    for junk in [*must_out, *ALWAYS_OUT]:
        assert junk not in article.text + "\n", junk
    assert article.authors == authors
    assert article.outlet == outlet
    assert article.url == url
    assert article.language == "ko"
    # Paragraphs are separated by blank lines, and none is empty.
    assert all(part.strip() for part in article.text.split("\n\n"))
    assert "\n\n" in article.text
    assert article.sources and article.sources[0].url == article.canonical_url


def test_every_site_rule_has_a_fixture_and_an_observation():
    covered = {rule_for(url).id for _, url, *_ in CASES if rule_for(url)}
    rules = site_rules()
    assert {rule.id for rule in rules} <= covered
    assert len(rules) >= 15
    for rule in rules:
        assert rule.observed.get("source") and rule.observed.get("seen"), rule.id
        assert rule.body and rule.title and rule.article_url is not None, rule.id
        assert all(feed.startswith("https://") for feed in rule.feeds), rule.id
    assert sum(1 for rule in rules if rule.feeds) >= 10


def test_captions_are_kept_apart_from_the_text():
    article = extract_article((FIXTURES / "yonhap.society.html").read_bytes(), URL["yonhap.society.html"])
    assert article.captions == ["고속도로 제설 차량이 도로를 정비하고 있다. [한국도로공사 제공]"]
    assert "제설 차량이 도로를" not in article.text


def test_naver_metadata_updated_section_and_canonical():
    article = extract_article((FIXTURES / "naver.politics.html").read_bytes(), URL["naver.politics.html"])
    assert article.updated == datetime(2026, 11, 23, 10, 1, tzinfo=KST)
    assert article.section == "정치"
    assert article.canonical_url == "https://n.news.naver.com/article/001/0015000001"
    assert article.sources[0].outlet == "연합뉴스"


def test_saved_page_without_url_finds_its_rule_through_the_canonical_link(tmp_path):
    path = FIXTURES / "hani.politics.html"
    article = extract_article(path.read_bytes(), path.resolve().as_uri())
    assert article.canonical_url == "https://www.hani.co.kr/arti/politics/assembly/1200001.html"
    assert article.authors == ["서지안"]  # read by the hani rule, not guessed from the text
    assert article.updated == datetime(2026, 11, 23, 17, 19, tzinfo=KST)


def test_image_only_page_has_empty_text_not_menus():
    article = extract_article(
        (FIXTURES / "generic.imageonly.html").read_bytes(), "https://www.haneul-daily.example/p"
    )
    assert article.text == ""
    assert article.title == "[포토] 첫눈 내린 고궁"
    assert article.captions == ["23일 서울 종로구의 한 고궁에 첫눈이 쌓여 있다."]


def test_missing_selector_falls_back_to_the_generic_path(caplog):
    caplog.set_level("INFO", logger="crawlers.extract.extractor")
    extract_article(
        (FIXTURES / "yonhap.missing-selector.html").read_bytes(), URL["yonhap.missing-selector.html"]
    )
    assert "site rule yonhap found no body element" in caplog.text
