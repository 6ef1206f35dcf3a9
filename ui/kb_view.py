"""The knowledge base's documents, search with hybrid scores, delete (confirmed) and re-crawl."""

from __future__ import annotations

import streamlit as st

from config import NuriError, Settings
from ui import session
from ui.crawl_jobs import CrawlRequest
from ui.crawl_view import start
from ui.text import citation_line

PENDING_DELETE = "kb_pending_delete"
EMPTY_HINT = (
    "지식 베이스가 비어 있습니다. 위의 '기사 수집'에 기사 주소나 RSS 피드 주소를 넣고 '수집 시작'을 누르세요. "
    "예: 피드 https://언론사/rss/economy.xml, 최대 페이지 20. 터미널에서는 `nuri crawl --feed 주소`도 됩니다."
)


def search_panel(kb, settings: Settings) -> None:
    st.subheader("검색")
    with st.form("kb_search", border=False):
        query = st.text_input("찾을 내용", placeholder="예: 지하철 요금 인상")
        k = st.slider("결과 수", 1, 20, settings.search_k)
        go = st.form_submit_button("검색")
    query = query.strip()
    if not go or not query:
        return
    if len(query) > 2000:
        st.warning("검색어가 너무 깁니다. 앞의 2,000자만 사용합니다.")
        query = query[:2000]
    try:
        hits = kb.search(query, k=k, mode="hybrid")
    except Exception as error:  # noqa: BLE001 - one Korean line, the traceback in the log
        st.error(session.describe_error(error))
        return
    if not hits:
        st.info("찾은 기사가 없습니다. 다른 낱말로 찾거나 기사를 더 수집해 보세요.")
        return
    for n, hit in enumerate(hits, 1):
        with st.container(border=True):
            st.markdown(citation_line(n, hit.title, hit.url, hit.outlet, hit.published))
            dense = f"{hit.dense_score:.3f}" if hit.dense_score is not None else "-"
            bm25 = f"{hit.bm25_score:.2f}" if hit.bm25_score is not None else "-"
            st.caption(f"점수 {hit.score:.3f} (의미 {dense} · BM25 {bm25}) · 청크 {hit.chunk_index + 1}")
            snippet = " ".join(hit.text.split())
            st.text(
                snippet[:300] + ("…" if len(snippet) > 300 else "")
            )  # crawled text: plain, never Markdown


def _doc_label(doc) -> str:
    day = doc.published.date().isoformat() if doc.published else "날짜 없음"
    return f"{doc.title[:60]} · {doc.outlet or '-'} · {day}"


def documents_panel(kb, settings: Settings, docs: list) -> None:
    st.subheader(f"기사 {len(docs)}건")
    if not docs:
        st.info(EMPTY_HINT)
        return
    rows = [
        {
            "제목": d.title, "언론사": d.outlet or "", "날짜": d.published.date().isoformat() if d.published else "",
            "청크": d.chunks, "주소": d.url,
        }
        for d in docs
    ]  # fmt: skip
    st.dataframe(
        rows, hide_index=True, width="stretch",
        column_config={"주소": st.column_config.LinkColumn("주소", display_text="열기")},
    )  # fmt: skip
    by_id = {d.doc_id: d for d in docs}
    chosen = st.selectbox("기사 선택", list(by_id), format_func=lambda i: _doc_label(by_id[i]))
    doc = by_id[chosen]
    left, right = st.columns(2)
    if left.button("다시 수집", help="이 기사를 다시 가져와 바뀐 내용이 있으면 교체합니다."):
        try:
            start(settings, CrawlRequest(urls=(doc.url,), max_pages=1, max_depth=0))
            st.success("다시 수집을 시작했습니다. 위에서 진행 상황을 볼 수 있습니다.")
        except NuriError as error:
            st.error(str(error))
    if right.button("삭제"):
        st.session_state[PENDING_DELETE] = doc.doc_id
    pending = st.session_state.get(PENDING_DELETE)
    if pending in by_id:
        target = by_id[pending]
        st.warning(f"'{target.title[:60]}' 기사를 지식 베이스에서 지울까요? 되돌릴 수 없습니다.")
        yes, no = st.columns(2)
        if yes.button("정말 삭제", type="primary"):
            st.session_state.pop(PENDING_DELETE, None)
            try:
                count = kb.delete(url=target.canonical_url)
            except Exception as error:  # noqa: BLE001
                st.error(session.describe_error(error))
            else:
                st.session_state["kb_notice"] = f"기사 {count}건을 지웠습니다."
                st.rerun()
        if no.button("취소"):
            st.session_state.pop(PENDING_DELETE, None)
            st.rerun()
