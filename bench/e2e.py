"""Upload a photo through the API, ask for its stylized version and wait for the result."""

import http.client
import io
import json
import time
import uuid
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class EndToEnd:
    megapixels: float
    upload_seconds: float
    queued_to_done_seconds: float
    total_seconds: float

    def as_dict(self) -> dict:
        return asdict(self)


def one_megapixel_jpeg(variant: int) -> bytes:
    """A natural photo (ml's bundled samples) at about 1 MP; `variant` keeps uploads distinct."""
    import ml

    samples = ml.sample_photos()
    photo = samples[variant % len(samples)].convert("RGB").resize((1155, 866))
    photo.putpixel((0, 0), (variant % 256, 0, 0))
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


class Client:
    def __init__(self, base_url: str, token: str):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.headers = {"Authorization": f"Token {token}", "Accept": "application/json"}

    def request(self, method: str, path: str, body: bytes | None = None, **headers) -> dict:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers={**self.headers, **headers})
            response = connection.getresponse()
            payload = response.read()
        finally:
            connection.close()
        if response.status >= 400:
            raise RuntimeError(f"{method} {path} -> {response.status}: {payload[:500]!r}")
        return json.loads(payload)

    def upload(self, image: bytes) -> dict:
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="image"; '
                f'filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
            ).encode()
            + image
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.request(
            "POST",
            "/api/v1/photos/",
            body,
            **{"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )[0]


def upload_to_result(base_url: str, token: str, look_slug: str, variant: int) -> EndToEnd:
    client = Client(base_url, token)
    image = one_megapixel_jpeg(variant)
    started = time.perf_counter()
    photo = client.upload(image)
    uploaded = time.perf_counter()
    body = json.dumps({"kind": "stylize", "photos": [photo["id"]], "look": look_slug}).encode()
    job = client.request("POST", "/api/v1/jobs/", body, **{"Content-Type": "application/json"})
    deadline = uploaded + 600
    while job["status"] in ("queued", "running"):
        if time.perf_counter() > deadline:
            raise RuntimeError(f"job {job['id']} did not finish in 10 minutes")
        time.sleep(0.1)
        job = client.request("GET", f"/api/v1/jobs/{job['id']}/")
    finished = time.perf_counter()
    if job["status"] != "succeeded" or job["results"]["count"] != 1:
        raise RuntimeError(f"job {job['id']} ended {job['status']}: {job['error']}")
    return EndToEnd(
        megapixels=round(photo["width"] * photo["height"] / 1e6, 2),
        upload_seconds=round(uploaded - started, 3),
        queued_to_done_seconds=round(finished - uploaded, 3),
        total_seconds=round(finished - started, 3),
    )
