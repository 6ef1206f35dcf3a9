"""The crawl form and the progress of this session's crawls (polled by a fragment only while one runs)."""

from __future__ import annotations

import streamlit as st

from config import NuriError, Settings
from ui import session
from ui.crawl_jobs import CrawlJob, CrawlJobs, CrawlRequest
from ui.kb_access import get_kb

JOBS = "crawl_jobs"  # session key: ids of the crawls this browser session started
_FAILURES_SHOWN = 20


@st.cache_resource
def job_registry() -> CrawlJobs:
    """The process-wide crawl registry (thread-safe), shared by all browser sessions."""
    return CrawlJobs()


def my_jobs() -> list[int]:
    return st.session_state.setdefault(JOBS, [])


def start(settings: Settings, request: CrawlRequest) -> None:
    """Start a crawl for this session; a Korean error if it cannot (the same crawl already runs)."""
    try:
        kb = get_kb(settings)
    except Exception as error:  # noqa: BLE001 - crawl into the archive anyway, say why not indexed
        st.warning(f"지식 베이스를 열지 못해 보관 파일에만 저장합니다: {session.describe_error(error)}")
        kb = None
    job = job_registry().start(settings, request, kb)
    my_jobs().append(job.id)


def crawl_form(settings: Settings) -> None:
    with st.form("crawl", clear_on_submit=False, border=True):
        st.subheader("기사 수집")
        urls = st.text_area("기사 주소 (한 줄에 하나)", placeholder="https://언론사/기사/123", height=90)
        feed = st.text_input("RSS/Atom 피드 주소", placeholder="https://언론사/rss/economy.xml")
        section = st.text_input("섹션(목록) 페이지 주소", placeholder="https://언론사/economy")
        max_pages = st.number_input("최대 페이지 수", min_value=1, max_value=500, value=20, step=5)
        submitted = st.form_submit_button("수집 시작", type="primary")
    if submitted:
        try:
            start(settings, CrawlRequest.from_form(urls, feed, section, int(max_pages)))
        except NuriError as error:
            st.error(str(error))


def _show_job(job: CrawlJob) -> None:
    request = job.request
    what = ", ".join((*request.feeds, *request.urls))
    label = {"running": "수집 중", "done": "수집 완료", "failed": "수집 중단"}[job.state]
    st.progress(
        job.fraction, text=f"{label}: 페이지 {job.pages}/{request.max_pages} · 새 기사 {job.stored}건"
    )
    st.caption(f"대상: {what[:200]}" + (f" · 지금: {job.last[:80]}" if job.state == "running" else ""))
    if job.state != "running":
        if job.indexed or job.chunks:
            st.caption(f"지식 베이스: 기사 {job.indexed}건, 청크 {job.chunks}개 색인")
        if job.index_error:
            st.warning(f"지식 베이스에 넣지 못했습니다: {job.index_error} (기사는 보관 파일에 남아 있습니다)")
        if job.error:
            st.error(f"{job.error} 그 전에 저장한 기사 {job.stored}건은 그대로 남아 있습니다.")
    if job.failures:
        with st.expander(f"가져오지 못한 페이지 {len(job.failures)}개", expanded=job.state != "running"):
            for url, reason in job.failures[:_FAILURES_SHOWN]:
                st.text(f"{url}\n  → {reason}")
            if len(job.failures) > _FAILURES_SHOWN:
                st.caption(f"… 외 {len(job.failures) - _FAILURES_SHOWN}개 (nuri.log 참고)")


def progress_panel() -> None:
    """This session's crawls; re-drawn every second while one runs, then the page reruns once."""
    registry = job_registry()
    jobs = [job for job_id in my_jobs()[-3:] if (job := registry.get(job_id)) is not None]
    if not jobs:
        return
    running = any(j.state == "running" for j in jobs)

    @st.fragment(run_every="1s" if running else None)
    def panel() -> None:
        current = [registry.get(j.id) or j for j in jobs]
        for job in reversed(current):
            _show_job(job)
        if running and not any(j.state == "running" for j in current):
            st.rerun()  # the crawl ended: refresh the document table and stop polling

    panel()
