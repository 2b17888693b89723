"""HEAD is answered wherever GET is, the way RFC 9110 asks: the same status and headers,
no body. Views say which methods they take with require_GET and friends, which leave HEAD
out; rather than widen every decorator, a HEAD request runs as a GET (GET views change
nothing) and its body is dropped on the way out. The page cache therefore answers HEAD too.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase, StreamingHttpResponse


class HeadAsGetMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method != "HEAD":
            return self.get_response(request)
        request.method = "GET"
        try:
            response = self.get_response(request)
        finally:
            request.method = "HEAD"
        if isinstance(response, StreamingHttpResponse):
            # Closes the file or generator behind the stream without reading it.
            response.close()
            response.streaming_content = []
        elif hasattr(response, "content"):
            # Content-Length (set by CommonMiddleware, further in) still tells the GET's size.
            response.content = b""
        return response
