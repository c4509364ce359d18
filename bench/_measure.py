"""How the benches time a page or an action: the median of several runs after a warm-up."""

import statistics
import time


def median_ms(action, runs) -> float:
    action()  # warm caches
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


def get(client, url):
    """An action that reads the page (streamed files too) and fails loudly if it is not 200."""

    def action():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if response.streaming:
            b"".join(response.streaming_content)

    return action
