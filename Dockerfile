# syntax=docker/dockerfile:1
# The model service as a self-contained image: the champion is trained at build time and served by
# `mlweekly serve`. No Docker engine? tests/test_docker.py runs these same commands outside Docker.
#   docker build -t mlweekly-serve .
#   docker run --rm -p 8000:8000 mlweekly-serve          # then: curl localhost:8000/health
#   docker compose up                                     # the service + the MLflow UI on :5000

# ---------------------------------------------------------------------------------------- builder
# Compilers, pip caches and the training run stay in this stage; only the venv and artifacts move on.
FROM python:3.11-slim-bookworm AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MLFLOW_DISABLE_TELEMETRY=true \
    DO_NOT_TRACK=1 \
    PREFECT_SERVER_ANALYTICS_ENABLED=false \
    PATH=/opt/venv/bin:$PATH
RUN python -m venv /opt/venv
WORKDIR /app
# Dependencies first, in their own layer: it is rebuilt only when pyproject.toml or the pins change,
# not on every code edit. An empty package stands in for src/ so pip can resolve the project.
COPY pyproject.toml README.md constraints.txt ./
RUN mkdir -p src/mlweekly && touch src/mlweekly/__init__.py \
    && pip install --no-cache-dir -c constraints.txt ".[mlops]" \
    && pip uninstall --yes mlweekly
# The code (a code edit rebuilds from here). The mlops extra only: the service needs no torch.
COPY src ./src
RUN pip install --no-cache-dir --no-deps -c constraints.txt .
# Train and register the champion into artifacts/telco_churn/mlflow.db. MLflow stores absolute
# artifact paths, so training happens in the same /app the runtime stage serves from.
COPY configs ./configs
RUN mlweekly pipeline run --config configs/telco_churn.yaml

# ---------------------------------------------------------------------------------------- runtime
FROM python:3.11-slim-bookworm AS runtime
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MLFLOW_DISABLE_TELEMETRY=true \
    DO_NOT_TRACK=1 \
    PREFECT_SERVER_ANALYTICS_ENABLED=false \
    PATH=/opt/venv/bin:$PATH
# A fixed, unprivileged uid: a compromised service cannot write outside what it owns.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /app/configs ./configs
# The service appends its request log under artifacts/: the only tree the app user owns.
COPY --from=builder --chown=app:app /app/artifacts ./artifacts
COPY docker/healthcheck.py /app/docker/healthcheck.py
# Numeric uid:gid, so a runtime (Kubernetes runAsNonRoot) can tell it is not root without /etc/passwd.
USER 10001:10001
EXPOSE 8000
# No curl in the slim image: the check is Python's urllib against /health.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py", "http://127.0.0.1:8000/health"]
ENTRYPOINT ["mlweekly"]
CMD ["serve", "--config", "configs/telco_churn.yaml", "--host", "0.0.0.0", "--port", "8000"]
