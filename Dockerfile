# Production image of Lianjie: gunicorn serves the app; the same image runs the Celery worker and beat.
FROM python:3.11-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libpq-dev \
 && rm -rf /var/lib/apt/lists/*
COPY requirements.txt /tmp/requirements.txt
RUN pip wheel --no-cache-dir --wheel-dir /wheels -r /tmp/requirements.txt

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DATA_DIR=/var/lib/lianjie
# libpq for psycopg2; gettext for the catalogs; WeasyPrint's libraries (libharfbuzz-subset0 keeps CJK
# PDFs fast) and a CJK font for Chinese reports.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 gettext libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 fonts-wqy-microhei \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/* && rm -rf /wheels
WORKDIR /app
COPY . /app
# Build-time only keys: compilemessages and collectstatic import the settings, which insist on them.
RUN SECRET_KEY=build-only FIELD_ENCRYPTION_KEY=00000000000000000000000000000000 \
      python manage.py compilemessages --ignore=.venv -v0 \
 && SECRET_KEY=build-only FIELD_ENCRYPTION_KEY=00000000000000000000000000000000 \
      python manage.py collectstatic --noinput -v0 \
 && useradd --system --home-dir /app --shell /usr/sbin/nologin lianjie \
 && mkdir -p /var/lib/lianjie && chown lianjie /var/lib/lianjie
USER lianjie
VOLUME ["/var/lib/lianjie"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"
CMD ["gunicorn", "lianjie.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "--timeout", "60"]
