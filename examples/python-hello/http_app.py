"""API Gateway HTTP API (payload format 2.0) echo handler.

Returns the proxy-integration response shape so a gateway, Wisp's or AWS's,
can turn it into a real HTTP response.
"""
import base64
import json


def handler(event, context):
    event = event if isinstance(event, dict) else {}
    http = (event.get("requestContext") or {}).get("http") or {}

    body = event.get("body")
    # Gateways base64-encode bodies they consider binary; echo the decoded text.
    if body is not None and event.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8", errors="replace")

    echo = {
        "method": http.get("method"),
        "path": event.get("rawPath"),
        "query": event.get("queryStringParameters") or {},
        "body": body,
        "requestId": context.aws_request_id,
    }
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        # The proxy contract wants the body as a string, not a nested object.
        "body": json.dumps(echo),
    }
