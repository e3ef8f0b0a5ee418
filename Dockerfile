# drugstats dashboard: slim Python image, non-root user, health check on Streamlit's endpoint.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    STREAMLIT_SERVER_HEADLESS=true \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false
# pyarrow's own allocator keeps ~17 MB after the raw series are parsed; the system one returns it (bench/README.md)
ENV ARROW_DEFAULT_MEMORY_POOL=system

RUN useradd --create-home --uid 10001 drugstats
WORKDIR /app

COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY --chown=drugstats:drugstats . .
RUN pip install --no-deps -e . && python -m drugstats validate

USER drugstats
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status != 200)"

CMD ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]
