# newsdesk: the same install as `make run`, in a Debian bookworm image with Python 3.11.
FROM python:3.11-slim-bookworm

ENV DEBIAN_FRONTEND=noninteractive \
    PYTHONUNBUFFERED=1 \
    NEWSDESK_DATA_DIR=/data \
    NEWSDESK_MODELS_DIR=/models \
    NEWSDESK_HOST=0.0.0.0

RUN apt-get update \
    && apt-get install -y --no-install-recommends apertium-eng-spa make \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY service ./service
COPY models/manifest.toml ./models/manifest.toml
COPY prompts ./prompts

# torch first, pinned, so nothing later pulls another build. For a small CPU-only image pass
# the PyTorch CPU wheel index: --build-arg TORCH_PIP_ARGS="--index-url <cpu wheel index>".
ARG TORCH_PIP_ARGS=""
RUN pip install --no-cache-dir torch==2.13.0 ${TORCH_PIP_ARGS} \
    && pip install --no-cache-dir '.[seq2seq]'

VOLUME ["/data", "/models"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["newsdesk", "serve", "--host", "0.0.0.0", "--port", "8000"]
