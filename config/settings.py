"""The one object that reads the environment.

Every other module receives a `Settings` instance as an argument (or through LangGraph's runtime
context); nothing else calls `os.environ`. Precedence, highest first: explicit keyword arguments,
`NURI_*` environment variables, the `.env` file, the defaults below.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

Provider = Literal["auto", "ollama", "openai", "embedded"]
Embedder = Literal["e5", "use", "ollama"]


def _default_home() -> Path:
    return Path.home() / ".nuri"


class Settings(BaseSettings):
    """nuri's configuration. Each field maps to `NURI_<FIELD>` (e.g. `NURI_HOME`, `NURI_PROVIDER`)."""

    model_config = SettingsConfigDict(
        env_prefix="NURI_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        validate_default=True,
    )

    # --- general -------------------------------------------------------------------------------
    home: Path = Field(
        default_factory=_default_home,
        description="Data dir: the assembled GGUF, the Chroma store, crawl state and logs live here.",
    )
    log_level: str = Field("INFO", description="Log level of the log file in the data dir.")

    # --- LLM backend ---------------------------------------------------------------------------
    provider: Provider = Field(
        "auto",
        description="Which LLM backend answers: auto (Ollama when reachable and the model exists, "
        "otherwise embedded), ollama, openai (any OpenAI-compatible server) or embedded (llama.cpp).",
    )
    model: str = Field(
        "nuri-llama3-ko",
        description="Model name for Ollama or the OpenAI-compatible server "
        "(`nuri models create nuri-llama3-ko --gguf ...` makes this one in Ollama).",
    )
    ollama_host: str = Field("http://127.0.0.1:11434", description="Base URL of the Ollama server.")
    openai_base_url: str | None = Field(
        None, description="Base URL of an OpenAI-compatible server, e.g. http://gpu-box:8000/v1 (vLLM)."
    )
    openai_api_key: SecretStr = Field(
        SecretStr("not-needed"), description="API key for the OpenAI-compatible server, if it wants one."
    )
    gguf: Path | None = Field(
        None,
        description="Run this local GGUF in the embedded runtime instead of the default small model.",
    )
    num_ctx: int = Field(
        8192, ge=512, description="Context window in tokens, sent explicitly to every backend."
    )
    temperature: float = Field(0.2, ge=0.0, le=2.0, description="Sampling temperature.")
    top_k: int = Field(40, ge=0, description="Top-k sampling (0 disables).")
    top_p: float = Field(0.9, gt=0.0, le=1.0, description="Nucleus sampling.")
    num_predict: int = Field(1024, ge=1, description="Most tokens one answer may generate.")
    gpu_layers: int | None = Field(
        None,
        description="Layers to offload to the GPU (Ollama num_gpu; -1 = all). The PyPI xllamacpp wheel is "
        "a CPU build, so this applies to Ollama or a CUDA build of llama.cpp that you install.",
    )
    keep_alive: str = Field("5m", description="How long Ollama keeps the model loaded after a request.")
    threads: int | None = Field(
        None, ge=1, description="CPU threads for the embedded runtime (default: all)."
    )
    request_timeout: float = Field(120.0, gt=0, description="Seconds to wait for one LLM request.")
    agent_max_steps: int = Field(
        6, ge=2, le=50, description="Model calls per chat turn; the last one answers without tools."
    )

    # --- system-prompt presets (`nuri prompts`) ------------------------------------------------
    preset: str = Field(
        "default",
        min_length=1,
        description="System-prompt preset the agent answers with: its id or Korean name "
        "(shipped: default, news-analyst, concise, formal, casual; or one in <home>/prompts/).",
    )
    user_name: str = Field(
        "사용자", min_length=1, description="How presets address the user: the value of {user_name}."
    )

    # --- crawler -------------------------------------------------------------------------------
    user_agent: str = Field(
        "nuri-bot/0.1 (+https://github.com/nuri-agent/nuri; local-first Korean news reader)",
        description="User-Agent sent with every fetch, with a URL that explains the bot.",
    )
    crawl_delay: float = Field(1.0, ge=0.0, description="Seconds between two requests to one host (minimum).")
    crawl_concurrency: int = Field(4, ge=1, description="Requests in flight across all hosts.")
    max_body_bytes: int = Field(10_000_000, ge=1024, description="Cap on a decompressed response body.")
    connect_timeout: float = Field(10.0, gt=0, description="Seconds to open a connection.")
    read_timeout: float = Field(20.0, gt=0, description="Seconds to wait between two reads.")
    total_timeout: float = Field(60.0, gt=0, description="Deadline for one request, redirects included.")
    max_redirects: int = Field(5, ge=0, description="Redirect hops followed, each re-checked.")
    max_retries: int = Field(3, ge=0, description="Retries on 429/503, honouring Retry-After.")
    robots_cache_ttl: float = Field(
        86_400.0, gt=0, description="Seconds a robots.txt stays cached (<= 24 h)."
    )
    allow_private: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="host:port pairs on private addresses that the crawler may reach (comma-separated), "
        "for a deliberate intranet crawl. Ollama's and llama.cpp's ports are never allowed.",
    )

    # --- knowledge base ------------------------------------------------------------------------
    chroma_url: str | None = Field(
        None,
        description="Chroma server URL (e.g. http://kb-host:8000); unset = embedded store in the data dir.",
    )
    collection: str = Field("nuri-news", description="Chroma collection name.")
    embedder: Embedder = Field(
        "e5",
        description="Embedding model: e5 (multilingual-e5-small, precise), use (USE-multilingual, fast) "
        "or ollama (the Ollama model named by embed_model).",
    )
    embed_model: str = Field("bge-m3", description="Ollama embedding model when embedder=ollama.")
    chunk_tokens: int = Field(256, ge=32, le=512, description="Chunk size in the embedder's own tokens.")
    search_k: int = Field(5, ge=1, le=50, description="Results returned by a knowledge search.")
    kb_dense_weight: float = Field(
        0.7,
        ge=0.0,
        le=1.0,
        description="Weight of the dense (vector) score in hybrid search; BM25 gets the rest. When not set, "
        "each embedder uses the weight tuned for it on the retrieval benchmark (e5 0.75, USE 0.5).",
    )
    kb_agreement_weight: float = Field(
        0.2,
        ge=0.0,
        le=1.0,
        description="Hybrid-search bonus for passages that carry the numbers a question names (year, month, "
        "quarter, model number): tells near-duplicate stories apart. 0 turns it off.",
    )
    kb_recency_half_life_days: float | None = Field(
        None, gt=0, description="If set, newer articles rank higher: a score loses up to 20% per half-life."
    )
    kb_lock_timeout: float = Field(
        30.0, ge=0, description="Seconds a second writer waits for the knowledge-base lock before giving up."
    )
    kb_max_article_chars: int = Field(
        200_000, ge=1000, description="Longest article body stored; longer ones are rejected, not cut."
    )

    @field_validator("allow_private", mode="before")
    @classmethod
    def _split_pairs(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("home", mode="after")
    @classmethod
    def _expand_home(cls, value: Path) -> Path:
        return value.expanduser()

    # --- derived paths -------------------------------------------------------------------------
    @property
    def models_dir(self) -> Path:
        return self.home / "models"

    @property
    def chroma_dir(self) -> Path:
        return self.home / "chroma"

    @property
    def crawl_dir(self) -> Path:
        return self.home / "crawl"

    @property
    def log_file(self) -> Path:
        return self.home / "nuri.log"


def load_settings(**overrides: object) -> Settings:
    """Build settings; explicit keyword arguments beat the environment and `.env`."""
    return Settings(**overrides)
