# Production image of vpswg: gunicorn serving vpswg.wsgi, static files by WhiteNoise.
# The same image runs the Celery worker and beat, and the one-shot migration (see
# docker-compose.yml). Configuration comes from the environment (see .env.example).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VPSWG_VAR_DIR=/app/var \
    MEDIA_ROOT=/app/var/private

# WeasyPrint needs Pango and a font (DejaVu covers Spanish); gettext is for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

# The application runs as an unprivileged user that owns nothing but /app/var.
RUN groupadd --system --gid 10001 vpswg \
    && useradd --system --uid 10001 --gid vpswg --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin vpswg

WORKDIR /app

# Dependencies first: this layer is rebuilt only when the lock file changes.
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock

COPY . .

# Static files and message catalogues are built into the image. The settings only need to
# load, not to reach a database: the values below are throwaway and exist for these two
# commands only (they are not ENV, so nothing of them stays in the running container).
# DJANGO_ENV must be production here, not development: production serves static files through
# CompressedManifestStaticFilesStorage, which needs the manifest that only a production
# collectstatic writes (a development collectstatic writes none, and every {% static %} tag
# would then fail at run time).
RUN export DJANGO_ENV=production \
        SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only \
        ALLOWED_HOSTS=build.invalid VPSWG_ENFORCE_MFA=true SITE_URL=https://build.invalid \
        DATABASE_URL=sqlite:////tmp/build.sqlite3 REDIS_URL=redis://build.invalid:6379/0 \
        EMAIL_URL=consolemail:// \
    && python manage.py collectstatic --noinput \
    && python manage.py compilemessages \
    && mkdir -p /app/var/private \
    && chown vpswg:vpswg /app/var /app/var/private \
    && chmod 0750 /app/var/private

# Uploaded files (private: application letters, evidence) outlive the container.
VOLUME ["/app/var/private"]

USER vpswg

EXPOSE 8000

# No HEALTHCHECK here: the worker, beat and migrate containers run this image too and serve no
# HTTP; docker-compose.yml gives each long-running service a check of its own.
CMD ["gunicorn", "vpswg.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--workers", "2", \
     "--access-logfile", "-", \
     "--error-logfile", "-", \
     "--worker-tmp-dir", "/dev/shm"]
