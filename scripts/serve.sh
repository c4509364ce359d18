#!/usr/bin/env bash
# Start the web server and the background task worker together; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
WORKERS="${WEB_WORKERS:-2}"

trap 'kill 0' EXIT INT TERM
.venv/bin/python manage.py db_worker --no-reload &
.venv/bin/python manage.py poll_watch --loop 60 &
.venv/bin/python manage.py run_alerts --loop &
.venv/bin/python manage.py play_exercises --loop 30 &
.venv/bin/gunicorn config.wsgi --bind "$HOST:$PORT" --workers "$WORKERS" \
  --timeout "${WEB_TIMEOUT:-600}" --access-logfile - --log-level warning &
sleep 1
echo
echo "Tocsin est lancé : http://$HOST:$PORT/  (Ctrl-C pour arrêter)"
echo
wait -n
