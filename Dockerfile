# Production-like image of Cartess: gunicorn (config/gunicorn_conf.py) behind nginx, static files
# served by nginx (whitenoise as a fallback). Used by docker-compose.yml (web and worker).
# Front-end libraries from the npm registry (package-lock.json), no build step.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

# GeoDjango needs GDAL, GEOS and PROJ (gdal-bin brings the three libraries); gettext compiles
# the French message catalogue.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gdal-bin gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /home/cartess cartess

WORKDIR /app
COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY . .
COPY --from=assets /app/node_modules ./node_modules
# collectstatic needs settings, not secrets: a throwaway key is enough at build time.
RUN DJANGO_SECRET_KEY=build-only-build-only-build-only-build-only-build-only \
    DJANGO_ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
    && for lang in fr en; do \
         msgfmt --check --output-file locale/$lang/LC_MESSAGES/django.mo locale/$lang/LC_MESSAGES/django.po; \
       done \
    && chown -R cartess: /app

USER cartess
EXPOSE 8000
CMD ["gunicorn", "--config", "config/gunicorn_conf.py", "config.wsgi"]
