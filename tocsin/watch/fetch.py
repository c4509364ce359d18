"""Download one document for the watch: http(s) only, with a timeout and a size limit.

Any failure (refused scheme, unreachable host, HTTP error, timeout, oversized answer) becomes
a `DomainError` with a French message, so a poll records it instead of crashing the worker.
"""

import http.client
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from tocsin.core.errors import DomainError

ALLOWED_SCHEMES = {"http", "https"}
USER_AGENT = "Tocsin (veille operationnelle d'une CPTS)"


@dataclass(frozen=True)
class Document:
    url: str  # after redirects
    content: bytes
    content_type: str


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ALLOWED_SCHEMES or not parts.hostname:
        raise DomainError(f"Adresse refusée : seules les adresses http(s) sont lues ({url}).")


def _opener():
    # Built by hand: build_opener() would also add the file:, ftp: and data: handlers.
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        _HttpOnlyRedirects(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def fetch(url: str, *, timeout: int, max_bytes: int, headers: dict | None = None) -> Document:
    check_url(url)
    headers = {"User-Agent": USER_AGENT, **(headers or {})}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 — check_url: http(s)
    try:
        with _opener().open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise _too_big(int(length), max_bytes)
            content = response.read(max_bytes + 1)
            if len(content) > max_bytes:
                raise _too_big(len(content), max_bytes)
            return Document(response.geturl(), content, response.headers.get_content_type())
    except urllib.error.HTTPError as exc:
        hint = (
            " (accès refusé : vérifiez l'adresse ou la clé d'API)" if exc.code in {401, 403} else ""
        )
        raise DomainError(f"Le serveur a répondu {exc.code}{hint} pour {url}.") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise _timed_out(url, timeout) from exc
        raise DomainError(f"Adresse injoignable ({exc.reason}) : {url}.") from exc
    except TimeoutError as exc:
        raise _timed_out(url, timeout) from exc
    except (OSError, http.client.HTTPException) as exc:
        raise DomainError(f"Erreur réseau pendant la lecture de {url} : {exc}.") from exc


def _timed_out(url: str, timeout: int) -> DomainError:
    return DomainError(f"Pas de réponse en {timeout} secondes : {url}.")


def _too_big(size: int, max_bytes: int) -> DomainError:
    return DomainError(
        f"Le document dépasse la taille autorisée ({size // 1024} Ko pour "
        f"{max_bytes // 1024} Ko au plus)."
    )
