# The dashboard behind Caddy in one container. The build runs the set-up CI runs (`make test` sets up
# `setup caddy node-tools`, then tests): pinned packages in .venv, Debian's chromium (PNG export), fonts, Debian's
# caddy and zstd, and the Node tools of the tests (tests/test_serving.py checks the two lists stay equal).
#   docker build -t vn-cn-dashboard .
#   docker run -p 8080:8080 -e REPLICAS=2 vn-cn-dashboard        # http://localhost:8080/
# For replicas in separate containers, see compose.yaml (same image, same serving/Caddyfile).
FROM python:3.11-slim-bookworm

RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends make && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN make setup caddy node-tools PYTHON=python3 && rm -rf /var/lib/apt/lists/* /root/.cache
# Streamlit's bundles precompressed once (zstd -19, gzip -9) for Caddy: .venv/caddy-static
RUN .venv/bin/python -m serving.precompress

ENV REPLICAS=1 PYTHONUNBUFFERED=1
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD .venv/bin/python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:8080/_stcore/health', timeout=4)"
# serving.supervise starts REPLICAS Streamlit processes and Caddy on :8080, and restarts any that dies.
CMD ["sh", "-c", "exec .venv/bin/python -m serving.supervise --replicas \"$REPLICAS\" --port 8080"]
