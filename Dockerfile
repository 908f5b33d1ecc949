# Lotse: build the virtualenv in one stage, run a slim image as a non-root user.
FROM python:3.11-slim AS build
WORKDIR /src
RUN python -m venv /opt/venv
# The locked versions (requirements.lock, see bench/upgrade_check.py), then Lotse itself.
COPY requirements.lock ./
RUN /opt/venv/bin/pip install --no-cache-dir -r requirements.lock
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN /opt/venv/bin/pip install --no-cache-dir --no-deps .

FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DATABASE_URL=sqlite+aiosqlite:////data/lotse.db
RUN useradd --create-home --uid 10001 lotse && mkdir /data && chown lotse /data
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --chown=lotse config.yaml ./
COPY --chown=lotse flows ./flows
COPY --chown=lotse locales ./locales
COPY --chown=lotse places ./places
COPY --chown=lotse nlu ./nlu
RUN mkdir -p data/cache && chown -R lotse data
USER lotse
# Learn the topic model and unpack the language model once at build time (data/cache):
# the bot then answers within seconds of its first start and maps the language model
# instead of loading it (see bot/langid/mapped.py); edited examples are learnt anew, in
# the background.
RUN python -m bot validate > /dev/null && echo Hallo | python -m bot langid > /dev/null
VOLUME ["/data"]
# Polling mode serves /healthz on 127.0.0.1:9100 (telegram.metrics_port in config.yaml).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:9100/healthz', timeout=4).status != 200)"
EXPOSE 8080 8088
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
